// The kernel end to end: the real worker bundle (dist/kernel.js, run `npm run build`
// first) driven through the kernel client, as the notebook controller and `dlnb run` do.
// One kernel is shared by these tests; each uses its own variable names.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKernel } from '../../src/kernel-client';
import { builtKernelOptions, builtWorkerPath } from './builtKernel';
import type { ExecutionObserver, KernelHandle } from '../../src/kernel-client/types';
import type { CellError, ExecuteDone, RichOutput } from '../../src/shared/protocol';

const workerPath = builtWorkerPath;
const MAX_OUTPUT = 1_000_000;

type Event =
  { kind: 'stdout' | 'stderr'; text: string } | { kind: 'display'; output: RichOutput } | { kind: 'update'; output: RichOutput };

class Recorder implements ExecutionObserver {
  readonly events: Event[] = [];
  onStream(name: 'stdout' | 'stderr', text: string): void {
    this.events.push({ kind: name, text });
  }
  onDisplay(output: RichOutput): void {
    this.events.push({ kind: 'display', output });
  }
  onUpdateDisplay(output: RichOutput): void {
    this.events.push({ kind: 'update', output });
  }
  text(kind: 'stdout' | 'stderr'): string {
    return this.events.flatMap((e) => (e.kind === kind ? [e.text] : [])).join('');
  }
}

/** The first item of `list` that `matches`, waiting up to `ms` for the kernel to send it. */
async function arrival<T>(list: T[], matches: (item: T) => boolean, ms = 5000): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  while (!list.some(matches) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return list.find(matches);
}

describe('kernel (worker thread)', () => {
  let kernel: KernelHandle;
  let notebookDir: string;
  const uncaught: { error: CellError; runId?: number }[] = [];
  const late: { name: string; text: string; runId: number }[] = [];

  /** Runs `cells` as cells 1..n of a notebook (cell sources known to the kernel). */
  async function run(source: string, cell = 1, cellSources: string[] = []): Promise<{ done: ExecuteDone; out: Recorder }> {
    const out = new Recorder();
    const done = await kernel.execute({ cell, source, cellSources: () => cellSources }, out);
    return { done, out };
  }

  async function value(source: string): Promise<string | undefined> {
    const { done } = await run(source);
    assert.equal(done.status, 'ok', JSON.stringify(done.error));
    return done.result?.bundle['text/plain'] as string | undefined;
  }

  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run \`npm run build\` first`);
    notebookDir = mkdtempSync(path.join(tmpdir(), 'dlnb-kernel-'));
    writeFileSync(path.join(notebookDir, 'helper.js'), 'exports.double = (x) => x * 2;\nexports.label = "from helper";\n');
    // A package that only offers an "import" entry: require.resolve refuses it.
    const esmOnly = path.join(notebookDir, 'node_modules', 'esm-only-dlnb');
    mkdirSync(esmOnly, { recursive: true });
    writeFileSync(
      path.join(esmOnly, 'package.json'),
      JSON.stringify({ name: 'esm-only-dlnb', type: 'module', exports: { '.': { import: './main.js' } } }),
    );
    writeFileSync(path.join(esmOnly, 'main.js'), 'export const answer = 42;\nexport default "esm default";\n');
    kernel = createKernel(builtKernelOptions({ notebookDir, maxOutputChars: MAX_OUTPUT }));
    kernel.onUncaught((error, runId) => uncaught.push({ error, runId }));
    kernel.onLateOutput((name, text, runId) => late.push({ name, text, runId }));
    await kernel.start();
  });

  after(async () => {
    await kernel?.dispose();
    rmSync(notebookDir, { recursive: true, force: true });
  });

  it('starts on the wasm backend', () => {
    assert.equal(kernel.backend, 'wasm');
    assert.equal(kernel.state, 'idle');
  });

  it('keeps state across cells and lets a cell redeclare a name', async () => {
    await value('let counter = 1;\nconst label = "first";');
    assert.equal(await value('counter + 1'), '2');
    await value('let counter = 10;\nconst label = "second";');
    assert.equal(await value('`${label} ${counter}`'), "'second 10'");
  });

  it('runs top-level await and shows the awaited value', async () => {
    assert.equal(await value('const waited = await new Promise((r) => setTimeout(() => r(21), 5));\nwaited * 2'), '42');
  });

  it('shows nothing for undefined, tensors with dtype and shape, and values with their own MIME bundle', async () => {
    const { done } = await run('let nothing = 1;\nundefined');
    assert.equal(done.result, undefined);
    const tensorText = await value('tf.tensor2d([[1, 2], [3, 4]])');
    assert.match(tensorText ?? '', /^Tensor float32 \[2,2\]\n/);
    assert.match(tensorText ?? '', /\[\[1, 2\],\s+\[3, 4\]\]/);
    const rich = await run(
      '({ [Symbol.for("dlnb.mimeBundle")]() { return { "text/html": "<b>hi</b>", "text/plain": "hi" }; } })',
    );
    assert.equal(rich.done.result?.bundle['text/html'], '<b>hi</b>');
    const shown = await run('({ [Symbol.for("dlnb.alreadyShown")]: true, x: 1 })');
    assert.equal(shown.done.result, undefined);
  });

  it('gives cells the bundled tfjs for every tfjs import', async () => {
    assert.equal(await value('import * as tfjs from "@tensorflow/tfjs";\ntfjs === tf'), 'true');
    assert.equal(await value('import { tensor1d } from "@tensorflow/tfjs-core";\ntensor1d === tf.tensor1d'), 'true');
    assert.equal(
      await value('import { tf as fromDlnb, history as h } from "dlnb";\nfromDlnb === tf && typeof h.log'),
      "'function'",
    );
  });

  it("gives cells tfjs's every export as a plain value, the package's own", async () => {
    // The bundle reads tfjs's exports into constants at load (scripts/lib/tfjsExports.mjs)
    // and cells get them as data properties: the same names and the very same values as
    // the package's own exports object, which `tf.default` is.
    const names = Object.keys(await import('@tensorflow/tfjs')).filter((name) => name !== 'default');
    const { done, out } = await run(
      [
        'const real = (tf as any).default;',
        'const own = Object.keys(real);',
        'const notData = Object.keys(tf).filter((k) => !("value" in Object.getOwnPropertyDescriptor(tf, k)!));',
        'const differ = own.filter((k) => (tf as any)[k] !== real[k]);',
        'console.log(JSON.stringify({ own: own.sort(), notData, differ, add: tf.add(1, 2).dataSync()[0] }));',
      ].join('\n'),
    );
    assert.equal(done.status, 'ok', JSON.stringify(done.error));
    const seen = JSON.parse(out.text('stdout'));
    assert.deepEqual(seen.own, names.sort());
    assert.deepEqual(seen.notData, []);
    assert.deepEqual(seen.differ, []);
    assert.equal(seen.add, 3);
    // Shown as one line, as Jupyter shows a module, not as its 500 exports.
    assert.match((await value('tf')) ?? '', /^\[module @tensorflow\/tfjs \d+\.\d+\.\d+\]$/);
  });

  it('imports a local module from the notebook folder', async () => {
    assert.equal(
      await value('import { double, label as helperLabel } from "./helper.js";\n`${double(21)} ${helperLabel}`'),
      "'42 from helper'",
    );
    assert.equal(await value('import helper from "./helper.js";\nhelper.label'), "'from helper'");
    assert.equal(await value('require("./helper.js").double(4)'), '8');
  });

  it('imports an ESM-only package from the notebook folder, and Node built-ins', async () => {
    assert.equal(
      await value('import esmDefault, { answer } from "esm-only-dlnb";\n`${esmDefault} ${answer}`'),
      "'esm default 42'",
    );
    assert.equal(await value('import nodePath, { basename } from "node:path";\nnodePath.basename === basename'), 'true');
  });

  it('names a missing module and where it was looked for', async () => {
    const { done } = await run('import missing from "no-such-package-dlnb";');
    assert.equal(done.status, 'error');
    assert.match(done.error?.message ?? '', /no-such-package-dlnb/);
    assert.ok(done.error?.message.includes(notebookDir), done.error?.message);
  });

  it('streams stdout, stderr and displays in the order they happened', async () => {
    const { done, out } = await run(
      'console.log("one", { a: 1 });\ndisplay({ [Symbol.for("dlnb.mimeBundle")]() { return { "text/plain": "shown" }; } });\n' +
        'console.error("two");\nconsole.log("three");\ntf.tensor1d([7, 8]).print();',
    );
    assert.equal(done.status, 'ok');
    const order = out.events.map((e) => ('text' in e ? `${e.kind}:${e.text}` : `${e.kind}:${e.output.bundle['text/plain']}`));
    assert.deepEqual(order.slice(0, 3), ['stdout:one { a: 1 }\n', 'display:shown', 'stderr:two\n']);
    assert.match(order.slice(3).join(''), /^stdout:three\n(stdout:)?Tensor\n\s+\[7, 8\]\n$/);
  });

  it('batches a loop printing 100,000 lines into a few messages', async () => {
    const { done, out } = await run('for (let i = 0; i < 100000; i++) console.log(i);');
    assert.equal(done.status, 'ok');
    const lines = out.text('stdout').split('\n');
    assert.equal(lines.length, 100_001);
    assert.equal(lines[99_999], '99999');
    assert.ok(out.events.length < 200, `${out.events.length} stream messages`);
  });

  it("cuts a cell's output at maxOutputChars with a marker", async () => {
    const { done, out } = await run('console.log("x".repeat(1500000));\nconsole.log("after the cut");');
    assert.equal(done.status, 'ok');
    const text = out.text('stdout');
    assert.ok(text.startsWith('x'.repeat(MAX_OUTPUT)));
    assert.match(text, /… output truncated after 1000000 characters \(dlnb\.maxOutputChars\)\n$/);
    assert.ok(!text.includes('after the cut'));
    // The next cell has its own budget.
    const next = await run('console.log("fresh budget")');
    assert.equal(next.out.text('stdout'), 'fresh budget\n');
  });

  it('maps error frames to cell and line, even in a function from an earlier cell', async () => {
    await value('function explode(n: number): number {\n  const limit: number = 3;\n  throw new RangeError(`too big: ${n}`);\n}');
    const { done } = await run('const before = 1;\nexplode(before);', 6);
    assert.equal(done.status, 'error');
    assert.equal(done.error?.name, 'RangeError');
    assert.equal(done.error?.message, 'too big: 1');
    assert.deepEqual({ cell: done.error?.location?.cell, line: done.error?.location?.line }, { cell: 1, line: 3 });
    const frames = done.error?.stack.split('\n').slice(1);
    assert.deepEqual(frames, ['    at explode (cell 1, line 3)', '    at cell 6, line 2']);
  });

  it('names the cell and line of an error thrown deep inside tfjs, and folds the library frames', async () => {
    const { done } = await run('const wrongShape = tf.tensor([1, 2, 3]);\nwrongShape.reshape([2, 2]);', 7);
    assert.equal(done.status, 'error');
    assert.match(done.error?.message ?? '', /Size\(3\) must match the product of shape 2,2/);
    assert.deepEqual({ cell: done.error?.location?.cell, line: done.error?.location?.line }, { cell: 7, line: 2 });
    const frames = done.error?.stack.split('\n').slice(1) ?? [];
    assert.equal(frames[0], '    at cell 7, line 2', 'the cell frame comes first');
    assert.match(frames[1] ?? '', /^    \.\.\. \d+ frames? inside tfjs or other libraries$/);
    assert.equal(frames.length, 2);
    // A callback the library calls back into keeps both cell frames, innermost first.
    const nested = await run('tf.tidy(() => {\n  return tf.ones([3]).reshape([4]);\n});', 8);
    assert.deepEqual({ cell: nested.done.error?.location?.cell, line: nested.done.error?.location?.line }, { cell: 8, line: 2 });
    const nestedFrames = nested.done.error?.stack.split('\n').slice(1) ?? [];
    assert.deepEqual(nestedFrames.filter((f) => f.includes('cell 8')).length, 2, nestedFrames.join('\n'));
  });

  it('reports syntax errors with their cell and line', async () => {
    const { done } = await run('const fine = 1;\nconst broken = ;', 4);
    assert.equal(done.status, 'error');
    assert.equal(done.error?.name, 'SyntaxError');
    assert.deepEqual({ cell: done.error?.location?.cell, line: done.error?.location?.line }, { cell: 4, line: 2 });
  });

  it('hints at the cell that declares an undefined name', async () => {
    const cells = ['const a = 1;', 'useLater + 1', 'let useLater = 5;'];
    const { done } = await run(cells[1], 2, cells);
    assert.equal(done.status, 'error');
    assert.equal(done.error?.name, 'ReferenceError');
    assert.equal(done.error?.hint, '`useLater` is declared in cell 3, which has not run');
    const unknown = await run('neverDeclaredAnywhere', 2, cells);
    assert.equal(unknown.done.error?.hint, undefined);
  });

  it("asks for the other cells' sources only to explain a ReferenceError, not on every run", async () => {
    let asked = 0;
    const cellSources = () => {
      asked++;
      return ['1 + 1', 'notYet', 'const notYet = 2;'];
    };
    const fine = await kernel.execute({ cell: 1, source: '1 + 1', cellSources }, new Recorder());
    assert.equal(fine.status, 'ok');
    assert.equal(asked, 0);
    const failed = await kernel.execute({ cell: 2, source: 'notYet', cellSources }, new Recorder());
    assert.equal(failed.error?.hint, '`notYet` is declared in cell 3, which has not run');
    assert.equal(asked, 1);
  });

  it('reports an error thrown by a timer after its cell ended, and keeps running', async () => {
    const { done } = await run('setTimeout(() => {\n  throw new Error("late failure");\n}, 10);', 9);
    assert.equal(done.status, 'ok');
    const report = await arrival(uncaught, (u) => u.error.message === 'late failure');
    assert.ok(report, 'the late error was reported');
    assert.equal(report.runId, done.id);
    assert.deepEqual({ cell: report.error.location?.cell, line: report.error.location?.line }, { cell: 9, line: 2 });
    assert.equal(await value('1 + 1'), '2');
  });

  it('reports text a timer prints after its cell ended, with that cell’s run', async () => {
    const { done } = await run('setTimeout(() => console.log("printed later"), 10);\n"scheduled"', 11);
    assert.equal(done.status, 'ok');
    const printed = await arrival(late, (l) => l.text.includes('printed later'));
    assert.deepEqual(printed, { name: 'stdout', text: 'printed later\n', runId: done.id });
  });

  it('reports a promise rejection nobody handled', async () => {
    const { done } = await run('Promise.reject(new TypeError("nobody caught this"));\n"cell went on"', 10);
    assert.equal(done.status, 'ok');
    const report = await arrival(uncaught, (u) => u.error.message === 'nobody caught this');
    assert.equal(report?.error.name, 'TypeError');
    assert.equal(report?.error.location?.cell, 10);
  });

  it('reports the tensors a cell leaves behind, apart from those its variables hold', async () => {
    const { done } = await run(
      'const kept = [tf.ones([2]), tf.zeros([3]), tf.scalar(1)];\n' +
        'const model = { layer: { weights: new Map([["w", tf.ones([4])]]) } };\n' +
        'tf.ones([5]).square();\n' +
        'tf.tidy(() => {\n  tf.ones([100]).add(1);\n});',
    );
    assert.equal(done.status, 'ok');
    // Six new tensors: four held through `kept` and `model`, two (ones([5]) and its square) held by nothing.
    assert.equal(done.memory.tensorsAfter - done.memory.tensorsBefore, 6);
    assert.equal(done.memory.leakedTensors, 2);
    assert.equal(done.memory.leakedBytes, 2 * 5 * 4);
    const snapshot = await kernel.snapshot();
    assert.ok(snapshot.kernel.leaks.some((leak) => leak.tensors === 2 && leak.bytes === 40));
  });

  it('names a top-level tensor a cell replaced while it was still allocated, apart from its leaks', async () => {
    await run('dl.manualSeed(1);\nconst xr = dl.rand(256, 1);', 6);
    const { done } = await run('const xr = tf.tensor([1, 2, 3]);', 12);
    assert.equal(done.status, 'ok');
    assert.deepEqual(done.memory.replaced, [
      { name: 'xr', what: 'a [256,1] float32 tensor', fromCell: 6, dispose: 'xr.dispose()', tensors: 1, bytes: 1024 },
    ]);
    assert.equal(done.memory.leakedTensors, 0, 'the old tensor is blamed on its name, not as an anonymous leak');
    const leak = (await kernel.snapshot()).kernel.leaks.find((l) => l.cell === 12);
    assert.deepEqual({ tensors: leak?.tensors, names: leak?.replaced?.map((r) => r.name) }, { tensors: 1, names: ['xr'] });

    // Running the same cell again replaces its own earlier tensor; a model-like object names its class.
    await run('const netR = new dl.nn.Linear(2, 1);', 13);
    const again = await run('const netR = new dl.nn.Linear(2, 1);', 13);
    assert.deepEqual(
      again.done.memory.replaced?.map((r) => [r.name, r.what, r.fromCell, r.tensors]),
      [['netR', 'a Linear holding 2 tensors', 13, 2]],
    );
    // Disposed first, or still held by another name: nothing to report.
    const disposed = await run('xr.dispose();\nconst xr2 = 1;', 14);
    assert.equal(disposed.done.memory.replaced, undefined);
    const freed = await run('const xr = tf.tensor([4, 5]);', 12);
    assert.equal(freed.done.memory.replaced, undefined, 'the old xr was disposed');
    await run('const keepR = xr;', 15);
    const aliased = await run('const xr = tf.tensor([6]);', 12);
    assert.equal(aliased.done.memory.replaced, undefined, 'keepR still holds the old xr');
  });

  it('answers panel requests: loss history curves from history.log', async () => {
    await value('for (let step = 0; step < 5; step++) history.log("manual", 10 - step);');
    const snapshot = await kernel.snapshot();
    const runInfo = snapshot.runs.find((r) => r.name === 'manual');
    assert.ok(runInfo);
    assert.equal(runInfo.loss.steps, 5);
    const points = await kernel.curve(runInfo.id);
    assert.deepEqual(
      points.map((p) => p.value),
      [10, 9, 8, 7, 6],
    );
  });

  it("gives a parameter's full values by its id in the panel tree", async () => {
    await value('const panelWeights = tf.variable(tf.tensor2d([[1.5, -2], [3, 4.25]]));');
    const snapshot = await kernel.snapshot();
    const node = snapshot.parameters.find((p) => p.label === 'panelWeights');
    assert.ok(node, JSON.stringify(snapshot.parameters.map((p) => p.label)));
    const values = await kernel.values(node.id);
    assert.deepEqual(values.shape, [2, 2]);
    assert.deepEqual(values.values, [1.5, -2, 3, 4.25]);
  });

  it('sends live panel snapshots while a synchronous loop runs, and after the cell', async () => {
    const during: number[] = [];
    let finished = false;
    let afterCell = 0;
    const listening = kernel.onPanel(() => (finished ? afterCell++ : during.push(Date.now())));
    kernel.setLivePanel(true);
    try {
      // A busy loop keeps the worker's timers from firing: only loop ticks can post.
      const { done } = await run('const busyUntil = Date.now() + 1500;\nwhile (Date.now() < busyUntil) {}');
      finished = true;
      assert.equal(done.status, 'ok');
      assert.ok(during.length >= 1, 'a snapshot arrived while the loop ran');
      const deadline = Date.now() + 2000;
      while (afterCell === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(afterCell >= 1, 'a snapshot arrived after the cell');
    } finally {
      kernel.setLivePanel(false);
      listening.dispose();
    }
  });
});
