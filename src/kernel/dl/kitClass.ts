// The kit's classes as users reach them (`dl.nn.Linear`, `dl.optim.SGD`). PyTorch creates
// a layer by calling its class, `nn.Linear(1, 1)`; in JavaScript that throws V8's "Class
// constructor ... cannot be invoked without 'new'", which names neither the kit nor the
// fix. Each class is handed out behind a proxy that only changes that call: it says what
// to write. `new`, `extends`, `instanceof` and static members reach the class itself.

type Class = abstract new (...args: never[]) => unknown;

export function kitClass<C extends Class>(path: string, cls: C): C {
  return new Proxy(cls, {
    apply(_target, _thisArg, args: unknown[]): never {
      throw new TypeError(`${path} is a class: create it with new, as in new ${path}(${argumentText(args)})`);
    },
  });
}

/** The arguments as the user may have written them, when they are plain values. */
function argumentText(args: unknown[]): string {
  const plain = args.every((a) => a === undefined || a === null || ['number', 'string', 'boolean'].includes(typeof a));
  if (!plain) return '...';
  return args.map((a) => (typeof a === 'string' ? JSON.stringify(a) : String(a))).join(', ');
}
