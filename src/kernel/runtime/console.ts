// Routes the worker's console (and process.stdout/stderr writes) into the running cell's
// output. tfjs's `tensor.print()` and `model.summary()` use console.log, so they land there too.
import { format, inspect } from 'node:util';
import type { CellOutput, StreamName } from './output';

const STDOUT_METHODS = ['log', 'info', 'debug'] as const;
const STDERR_METHODS = ['warn', 'error'] as const;

export function redirectConsole(output: CellOutput): void {
  const target = console as unknown as Record<string, unknown>;
  const line =
    (name: StreamName) =>
    (...args: unknown[]) => {
      if (!output.full) output.write(name, format(...args) + '\n');
    };
  for (const method of STDOUT_METHODS) target[method] = line('stdout');
  for (const method of STDERR_METHODS) target[method] = line('stderr');
  target.trace = (...args: unknown[]) => {
    const where = new Error().stack?.split('\n').slice(2).join('\n') ?? '';
    output.write('stderr', `Trace: ${format(...args)}\n${where}\n`);
  };
  target.dir = (value: unknown, options?: object) => output.write('stdout', inspect(value, { ...options, colors: false }) + '\n');
  target.table = target.log;

  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name] as unknown as { write: (chunk: unknown, ...rest: unknown[]) => boolean };
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      output.write(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  }
}
