// The cell compiler, tested by running what it produces: each test gets a fresh V8
// context standing in for the kernel's global scope, with fake runtime hooks.
import assert from 'node:assert/strict';
import { SourceMap } from 'node:module';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { compileCell, RUNTIME_HOOKS, topLevelDeclarations } from '../../src/kernel/compile';

const fileName = 'cell-7.ts';

/** A notebook's global scope: runs cells the way the kernel runtime does. */
class FakeNotebook {
  readonly context: vm.Context;
  readonly imported: string[] = [];
  ticks = 0;

  constructor(modules: Record<string, object> = {}, tickLimit = Infinity) {
    this.context = vm.createContext({ setTimeout });
    this.context[RUNTIME_HOOKS.import] = async (specifier: string) => {
      this.imported.push(specifier);
      if (!(specifier in modules)) throw new Error(`no module ${specifier}`);
      return modules[specifier];
    };
    this.context[RUNTIME_HOOKS.tick] = () => {
      if (++this.ticks >= tickLimit) throw new Error('interrupted');
    };
  }

  run(source: string): Promise<unknown> {
    const cell = compileCell(source, { fileName });
    assert.deepEqual(cell.diagnostics, []);
    for (const name of cell.declaredNames) {
      if (!(name in this.context)) this.context[name] = undefined;
    }
    // The timeout only turns a loop that lost its tick into a failure instead of a hang.
    return vm.runInContext(cell.code, this.context, { filename: fileName, timeout: 10_000 }) as Promise<unknown>;
  }

  global(name: string): unknown {
    return this.context[name];
  }
}

/** Where an error thrown by the cell points in the cell, through the map. */
function originalPosition(error: Error, map: ConstructorParameters<typeof SourceMap>[0]) {
  const frame = new RegExp(`${fileName.replace('.', '\\.')}:(\\d+):(\\d+)`).exec(error.stack ?? '');
  assert.ok(frame, `no frame of ${fileName} in ${error.stack}`);
  const entry = new SourceMap(map).findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1) as {
    originalLine: number;
    originalColumn: number;
    originalSource: string;
  };
  return { line: entry.originalLine + 1, column: entry.originalColumn + 1, source: entry.originalSource };
}

describe('compileCell: state across cells', () => {
  it('lets later cells see const, let, var, function and class declarations', async () => {
    const nb = new FakeNotebook();
    await nb.run('const a = 1; let b = 2; var c = 3;\nfunction f(n: number) { return n * 10 }\nclass K { v = 4 }');
    assert.equal(await nb.run('a + b + c + f(1) + new K().v'), 20);
  });

  it('re-runs a cell that declares const, let, class and function without "already declared"', async () => {
    const nb = new FakeNotebook();
    const cell = (n: number) => `const x = ${n}; let y = ${n} + 1; class A { n = ${n} }; function f() { return ${n} }`;
    await nb.run(cell(1));
    await nb.run(cell(2));
    assert.equal(await nb.run('[x, y, new A().n, f()].join()'), '2,3,2,2');
  });

  it('resets `let y;` to undefined on a re-run, as a fresh declaration would', async () => {
    const nb = new FakeNotebook();
    await nb.run('let y = 5');
    await nb.run('let y;');
    assert.equal(nb.global('y'), undefined);
  });

  it('hoists functions: callable above their declaration and published before the cell body runs', async () => {
    const nb = new FakeNotebook();
    await nb.run('const early = typeof globalThis.g; const called = g() + early;\nfunction g() { return "g:" }');
    assert.equal(nb.global('called'), 'g:function');
  });

  it('makes var in top-level loops and blocks global, as in a script, but not var in functions', async () => {
    const nb = new FakeNotebook();
    await nb.run(`
      for (var i = 0, unset; i < 3; i++) { var last = i }
      for (var key in { a: 1 }) if (key) var seen = key;
      for (var [x, y] of [[1, 2]]) {}
      try { var inTry = 't' } finally {}
      function local() { var hidden = 1; for (var j = 0; j < 1; j++); return hidden + j }
      const viaArrow = () => { var alsoHidden = 1; return alsoHidden };
      local() + viaArrow()`);
    assert.equal(await nb.run('[i, unset, last, key, seen, x, y, inTry].join()'), '3,,2,a,a,1,2,t');
    assert.equal(await nb.run('typeof hidden + typeof j + typeof alsoHidden'), 'undefinedundefinedundefined');
  });

  it('keeps closures pointing at the shared globals', async () => {
    const nb = new FakeNotebook();
    await nb.run('let count = 0; const inc = () => ++count;');
    await nb.run('inc(); inc();');
    assert.equal(await nb.run('count'), 2);
  });
});

describe('compileCell: destructuring declarations', () => {
  it('assigns every name of object and array patterns, defaults and rest included', async () => {
    const nb = new FakeNotebook();
    await nb.run(`
      const src = { a: 1, b: [2, undefined, 4, 5, 6], d: undefined, e: 7, f: 8 };
      const { a, b: [c, c2 = 30, , ...tail], d = 'dflt', ...r } = src;
      let [first, , third = 'x', ...others]: number[] = [10, 11, undefined, 13];
      const { ['computed' + 'Key']: ck } = { computedKey: 'ck' };`);
    assert.deepEqual(
      await nb.run('JSON.stringify({ a, c, c2, tail, d, r, first, third, others, ck })'),
      JSON.stringify({
        a: 1,
        c: 2,
        c2: 30,
        tail: [5, 6],
        d: 'dflt',
        r: { e: 7, f: 8 },
        first: 10,
        third: 'x',
        others: [13],
        ck: 'ck',
      }),
    );
  });

  it('lists destructured names in declaredNames', () => {
    const cell = compileCell('const { a, b: [c = 1], ...r } = e; let [x, , ...y] = z;', { fileName });
    assert.deepEqual([...cell.declaredNames].sort(), ['a', 'c', 'r', 'x', 'y']);
  });
});

describe('compileCell: top-level await and the last expression', () => {
  it('supports top-level await and for await', async () => {
    const nb = new FakeNotebook();
    const value = await nb.run(`
      const v = await new Promise<number>((resolve) => setTimeout(() => resolve(5), 1));
      async function* gen() { yield 1; yield 2; }
      let sum = 0;
      for await (const n of gen()) sum += n;
      v * 10 + sum`);
    assert.equal(value, 53);
  });

  it('returns the last expression statement, with or without a semicolon', async () => {
    const nb = new FakeNotebook();
    await nb.run('const x = { k: 1 }');
    assert.equal(await nb.run('x;'), nb.global('x'));
    assert.equal(await nb.run('x.k + 1'), 2);
    assert.equal(await nb.run('x.k + 2;;'), 3);
    assert.equal(JSON.stringify(await nb.run('({ o: x.k })')), '{"o":1}');
  });

  it('returns undefined when the last statement is not an expression', async () => {
    const nb = new FakeNotebook();
    assert.equal(await nb.run('1 + 1; const z = 3'), undefined);
    assert.equal(await nb.run('1 + 1; if (z) { z }'), undefined);
    assert.equal(await nb.run('1 + 1\nfunction h() { return 1 }'), undefined);
    assert.equal(await nb.run('1 + 1\nclass Q {}'), undefined);
    assert.equal(await nb.run('1 + 1\ninterface I { a: number }'), undefined);
    assert.equal(await nb.run(''), undefined);
  });

  it('returns the value of a trailing assignment expression', async () => {
    const nb = new FakeNotebook();
    await nb.run('let w = 1');
    assert.equal(await nb.run('w = 9'), 9);
  });
});

describe('compileCell: imports', () => {
  const modules = {
    'lib-ns': { alpha: 1, beta: 2 },
    'lib-default': { default: 'the default', named: 'n' },
    'lib-cjs': { plain: true },
    'lib-side': {},
  };

  it('runs each import form through the runtime hook', async () => {
    const nb = new FakeNotebook(modules);
    await nb.run(`
      import * as ns from 'lib-ns';
      import { alpha, beta as b } from 'lib-ns';
      import d, { named } from 'lib-default';
      import cjs from 'lib-cjs';
      import dflt2, * as whole from 'lib-default';
      import 'lib-side';`);
    assert.deepEqual(nb.imported, ['lib-ns', 'lib-ns', 'lib-default', 'lib-cjs', 'lib-default', 'lib-side']);
    assert.equal(nb.global('ns'), modules['lib-ns']);
    assert.deepEqual([nb.global('alpha'), nb.global('b')], [1, 2]);
    assert.deepEqual([nb.global('d'), nb.global('named'), nb.global('dflt2')], ['the default', 'n', 'the default']);
    assert.equal(nb.global('cjs'), modules['lib-cjs'], 'a module without a default export is its own default');
    assert.equal(nb.global('whole'), modules['lib-default']);
  });

  it('keeps imports that only later cells use, drops type-only ones', async () => {
    const nb = new FakeNotebook(modules);
    await nb.run(`import type { T } from 'types-only'; import { type U, alpha } from 'lib-ns';\nconst n: T = 1 as U;`);
    assert.deepEqual(nb.imported, ['lib-ns']);
    assert.equal(await nb.run('alpha'), 1);
  });

  it('supports `import x = require(...)`', async () => {
    const nb = new FakeNotebook(modules);
    assert.equal(await nb.run(`import cjs = require('lib-cjs');\ncjs.plain`), true);
  });

  it('fails the cell with the import error when a module is missing', async () => {
    const nb = new FakeNotebook(modules);
    await assert.rejects(nb.run(`import * as nope from 'missing'`), { message: 'no module missing' });
  });

  it('lists import bindings in declaredNames', () => {
    const cell = compileCell(
      `import a, { b, c as d } from 'x'; import * as ns from 'y'; import type { T } from 'z'; import 'w';`,
      { fileName },
    );
    assert.deepEqual([...cell.declaredNames].sort(), ['a', 'b', 'd', 'ns']);
  });
});

describe('compileCell: interrupt checks in loops', () => {
  it('stops a synchronous while (true) loop once the tick hook throws', async () => {
    const nb = new FakeNotebook({}, 1000);
    await assert.rejects(nb.run('let spins = 0; while (true) { spins++ }'), { message: 'interrupted' });
    assert.equal(nb.ticks, 1000);
    assert.equal(nb.global('spins'), 999);
  });

  it('ticks once per iteration in every loop kind, single-statement bodies included', async () => {
    const nb = new FakeNotebook();
    await nb.run(`
      let s = 0;
      for (let i = 0; i < 3; i++) s += i;
      for (const k in { a: 1, b: 2 }) s += k.length;
      for (const v of [10, 20]) { s += v }
      let w = 0; while (w < 4) w++;
      let d = 0; do d++; while (d < 5);
      outer: for (const r of [1, 2, 3]) { if (r === 2) continue outer; s += r }`);
    assert.equal(nb.global('s'), 0 + 1 + 2 + 2 + 30 + 1 + 3);
    assert.equal(nb.ticks, 3 + 2 + 2 + 4 + 5 + 3);
  });

  it('points an interrupt at the loop it stopped, through the source map', async () => {
    const source = 'let n = 0;\nfunction spin() {\n  for (;;)\n    n++;\n}\nspin();';
    const cell = compileCell(source, { fileName });
    const error = (await new FakeNotebook({}, 3).run(source).catch((e: Error) => e)) as Error;
    assert.equal(error.message, 'interrupted');
    assert.equal(originalPosition(error, cell.map).line, 3);
  });

  it('interrupts nested loops and loops inside functions, arrows and methods', async () => {
    for (const source of [
      'for (let i = 0; i < 10; i++) { for (;;) {} }',
      'function spin() { while (true); }\nspin()',
      'const spin = () => { do {} while (true) }; spin()',
      'class C { m() { for (const x of (function* () { while (true) yield 1 })()) {} } }\nnew C().m()',
    ]) {
      const nb = new FakeNotebook({}, 50);
      await assert.rejects(nb.run(source), { message: 'interrupted' }, source);
      assert.equal(nb.ticks, 50, source);
    }
  });
});

describe('compileCell: TypeScript', () => {
  it('strips annotations, interfaces, enums, generics and namespaces, and keeps their runtime parts', async () => {
    const nb = new FakeNotebook();
    const value = await nb.run(`
      interface Shape { area(): number }
      type Pair<T> = [T, T];
      enum Color { Red, Green = 'green' }
      namespace Geo { export const unit = 2 }
      abstract class Base<T> implements Shape { constructor(protected readonly side: T) {} abstract area(): number }
      export class Square extends Base<number> { area(): number { return this.side ** 2 } }
      function first<T>(pair: Pair<T>): T { return pair[0]! }
      const shapes = [new Square(3)] satisfies Shape[];
      [first<number>([shapes[0].area(), 0]), Color.Red, Color.Green, Geo.unit as number]`);
    assert.deepEqual(JSON.stringify(value), JSON.stringify([9, 0, 'green', 2]));
    assert.equal(typeof nb.global('Square'), 'function');
  });

  it('runs a cell with a type error: types are never checked', async () => {
    const nb = new FakeNotebook();
    const cell = compileCell('const n: number = "s"; n', { fileName });
    assert.deepEqual(cell.diagnostics, []);
    assert.equal(await nb.run('const n: number = "s"; n'), 's');
  });

  it('re-runs an enum cell', async () => {
    const nb = new FakeNotebook();
    await nb.run('enum E { A = 1 }');
    assert.equal(await nb.run('enum E { A = 2 }\nE.A'), 2);
  });
});

describe('compileCell: modules', () => {
  it('drops export keywords and keeps what they declared', async () => {
    const nb = new FakeNotebook();
    await nb.run(`
      export const c = 1; export let l = 2; export function f() { return 3 } export class K {}
      export enum E { A = 4 } export { c as renamed }; export default c + 10;`);
    assert.equal(await nb.run('[c, l, f(), typeof K, E.A, typeof renamed].join()'), '1,2,3,function,4,undefined');
  });

  it('evaluates anonymous default exports without declaring anything', async () => {
    const cell = compileCell('export default function () {}\nexport default class {}', { fileName });
    assert.deepEqual(cell.declaredNames, []);
    assert.equal(await new FakeNotebook().run('export default class { static x = 1 }'), undefined);
  });
});

describe('compileCell: syntax errors', () => {
  it('reports the line and column of a syntax error in the cell', () => {
    const cell = compileCell('const ok = 1;\nlet broken = ;\n', { fileName });
    assert.equal(cell.diagnostics.length, 1);
    assert.deepEqual(cell.diagnostics[0], { message: 'Expression expected.', line: 2, column: 14 });
  });

  it('reports an unclosed block at the end of the cell', () => {
    const cell = compileCell('function f() {\n  return 1;\n', { fileName });
    assert.ok(cell.diagnostics.length > 0);
    assert.match(cell.diagnostics[0].message, /'}' expected/);
    assert.equal(cell.diagnostics[0].line, 3);
  });

  it('rejects bad input with a clear error', () => {
    assert.throws(() => compileCell(undefined as unknown as string, { fileName }), /source must be a string/);
    assert.throws(() => compileCell('1', { fileName: '' }), /fileName/);
  });
});

describe('compileCell: source map', () => {
  it('maps a thrown error back to its line in a multi-line cell with types and imports', async () => {
    const source = [
      "import * as lib from 'lib';", // 1
      'interface Point { x: number; y: number }', // 2
      'const points: Point[] = [{ x: 1, y: 2 }];', // 3
      'function check(p: Point): number {', // 4
      '  for (const k of Object.keys(p)) {', // 5
      '    if (k === "y") throw new Error(`bad ${k}`);', // 6
      '  }', // 7
      '  return 0;', // 8
      '}', // 9
      'check(points[0]);', // 10
    ].join('\n');
    const cell = compileCell(source, { fileName });
    const nb = new FakeNotebook({ lib: {} });
    const error = (await nb.run(source).catch((e: Error) => e)) as Error;
    assert.equal(error.message, 'bad y');
    const at = originalPosition(error, cell.map);
    assert.equal(at.line, 6);
    assert.equal(at.column, 'if (k === "y") throw new Error'.length - 'new Error'.length + 5);
    assert.equal(at.source, fileName);
    assert.equal(cell.map.sourcesContent?.[0], source);
  });

  it('maps a synchronous top-level error after a destructuring and a class', async () => {
    const source = 'const { a } = { a: 1 };\nclass A {}\n\nlet t: number = a;\nnull!.boom;\n';
    const cell = compileCell(source, { fileName });
    const error = (await new FakeNotebook().run(source).catch((e: Error) => e)) as Error;
    assert.match(error.message, /null/);
    assert.equal(originalPosition(error, cell.map).line, 5);
  });
});

describe('compileCell: repeated compiles', () => {
  it('names the file of each call in the map, even for a source compiled before', () => {
    const source = 'const same = 1;\nsame';
    const first = compileCell(source, { fileName: 'run-1.ts' });
    const second = compileCell(source, { fileName: 'run-2.ts' });
    assert.deepEqual([first.map.sources, first.map.file], [['run-1.ts'], 'run-1.ts']);
    assert.deepEqual([second.map.sources, second.map.file], [['run-2.ts'], 'run-2.ts']);
    assert.equal(second.code, first.code);
    second.declaredNames.push('changed');
    assert.deepEqual(compileCell(source, { fileName: 'run-3.ts' }).declaredNames, ['same']);
  });
});

describe('topLevelDeclarations', () => {
  it('lists the runtime names a cell declares, without compiling it', () => {
    const names = topLevelDeclarations(`
      import tf, * as ns from 'tf'; import { a, b as c, type T } from 'x'; import type D from 'd';
      import req = require('r');
      const { p, q: [r = 1], ...rest } = o; let u; var v = 1;
      function f() {} function f(x?: number): void; export function g() {}
      class Model {} enum E { A } const enum CE { B }
      namespace N { export const z = 1 } namespace TypesOnly { export type X = 1 }
      interface I {} type Alias = 1; declare const ambient: number;
      if (true) { const inner = 1; var nested = 2 }
      for (let i = 0; i < 1; i++) {} for (var loopVar of []) {}
      function h() { var local = 1 }`);
    const expected = [
      'CE',
      'E',
      'Model',
      'N',
      'a',
      'c',
      'f',
      'g',
      'h',
      'loopVar',
      'nested',
      'ns',
      'p',
      'r',
      'req',
      'rest',
      'tf',
      'u',
      'v',
    ];
    assert.deepEqual(names.sort(), expected.sort());
  });

  it('agrees with the names compileCell declares', () => {
    const source = `import d, { a } from 'x'; const { b, c: [e] } = o; let l; class K {} function fn() {} enum En { X }
      for (var v = 0; v < 1; v++) { var w = v }`;
    assert.deepEqual(topLevelDeclarations(source).sort(), compileCell(source, { fileName }).declaredNames.sort());
  });

  it('returns what it can read from a cell with a syntax error', () => {
    assert.deepEqual(topLevelDeclarations('const fine = 1;\nlet broken = ;'), ['fine', 'broken']);
  });
});
