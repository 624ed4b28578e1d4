// `dlnb run` as users run it: the built dist/cli.js in a child process (run `npm run build`
// first), on notebooks written to a temp folder. Plus its pure parts: arguments, summaries.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs, UsageError } from '../../src/cli/args';
import { countDataValues, summarizeOutput } from '../../src/cli/outputSummary';
import { parseNotebook } from '../../src/shared/dlnbFormat';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');

function dlnb(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function notebook(...cells: [kind: 'code' | 'markdown', source: string][]): string {
  return JSON.stringify({ dlnb: 1, metadata: {}, cells: cells.map(([kind, source]) => ({ kind, source })) }, null, 2) + '\n';
}

describe('dlnb run', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const working = notebook(
    ['markdown', '# A notebook'],
    ['code', 'const t = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);\nconsole.log("hello from cell 2");\nt'],
    [
      'code',
      'plot.vega({ mark: "point", data: { values: [{ x: 1 }, { x: 2 }, { x: 3 }] }, ' +
        'encoding: { x: { field: "x", type: "quantitative" } } });\nconsole.error("to stderr");\n"last value"',
    ],
  );

  it('runs every code cell, streams text and summarizes rich outputs, exits 0', async () => {
    const file = write('working.dlnb', working);
    const { code, stdout, stderr } = await dlnb(['run', file], dir);
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      "hello from cell 2\nTensor float32 [2,3]\n    [[1, 2, 3],\n     [4, 5, 6]]\n[chart: vega-lite, 3 points]\n'last value'\n",
    );
    assert.equal(stderr, 'to stderr\n');
    assert.equal(readFileSync(file, 'utf8'), working, 'without --save the file is untouched');
  });

  it('prints a live chart once when shown and once as it ends, before the cell value', async () => {
    const source = [
      "const live = plot.live({ x: 'epoch', y: 'loss' });",
      'for (let epoch = 0; epoch < 40; epoch++) live.push({ epoch, loss: 1 / (epoch + 1) });',
      "'trained'",
    ].join('\n');
    const file = write('live.dlnb', notebook(['code', source]));
    const { code, stdout, stderr } = await dlnb(['run', file], dir);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "[chart: vega-lite, 0 points]\n[chart: vega-lite, 40 points] (final)\n'trained'\n");
  });

  it('prints what a timer prints after its cell ended', async () => {
    const file = write(
      'timer.dlnb',
      notebook(
        ['code', 'void setTimeout(() => console.log("from the timer"), 20);'],
        ['code', 'await new Promise((r) => setTimeout(r, 200));\nconsole.log("second cell")'],
      ),
    );
    const { code, stdout, stderr } = await dlnb(['run', file], dir);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'from the timer\nsecond cell\n');
  });

  it('warns about tensors a cell left that no variable holds, and only those', async () => {
    const file = write(
      'leaky.dlnb',
      notebook(
        ['code', 'const kept = tf.ones([3]);\ntf.ones([5]).square();\nundefined'],
        ['code', 'const alsoKept = { w: tf.zeros([2]) };'],
      ),
    );
    const { code, stderr } = await dlnb(['run', file], dir);
    assert.equal(code, 0, stderr);
    assert.equal(
      stderr,
      'cell 1: ⚠ this cell left 2 tensors (40 B) allocated that no variable holds; wrap temporary work in tf.tidy(() => ...) or dispose it\n',
    );
  });

  it('stops at the first failing cell with `cell N, line L:` and exits 1', async () => {
    const file = write(
      'failing.dlnb',
      notebook(
        ['code', 'console.log("ran first");'],
        ['code', 'function g() {\n  return missingName + 1;\n}\ng();'],
        ['code', 'console.log("never runs");'],
      ),
    );
    const { code, stdout, stderr } = await dlnb(['run', file], dir);
    assert.equal(code, 1);
    assert.equal(stdout, 'ran first\n');
    assert.match(
      stderr,
      /^cell 2, line 2: ReferenceError: missingName is not defined\n {4}at g \(cell 2, line 2\)\n {4}at cell 2, line 4\n/,
    );
  });

  it('refuses a corrupt file with exit 2 and leaves it byte-identical, even with --save', async () => {
    const corrupt = '{ "dlnb": 1, "cells": [ { "kind": "code", "source": "1" ';
    const file = write('corrupt.dlnb', corrupt);
    const { code, stderr } = await dlnb(['run', file, '--save'], dir);
    assert.equal(code, 2);
    assert.match(stderr, /cannot read .*corrupt\.dlnb: Not valid JSON at line 1/);
    assert.equal(readFileSync(file, 'utf8'), corrupt);
  });

  it('writes outputs to --out in the .dlnb format, leaving the source alone', async () => {
    const file = write('source.dlnb', working);
    const out = path.join(dir, 'with-outputs.dlnb');
    const { code, stderr } = await dlnb(['run', file, '--out', out], dir);
    assert.equal(code, 0, stderr);
    assert.equal(readFileSync(file, 'utf8'), working);
    const saved = parseNotebook(readFileSync(out, 'utf8'));
    assert.equal(saved.cells[0].outputs, undefined);
    const [second, third] = [saved.cells[1], saved.cells[2]];
    assert.deepEqual({ order: second.execution?.order, success: second.execution?.success }, { order: 1, success: true });
    assert.equal(typeof second.execution?.durationMs, 'number');
    assert.equal(third.execution?.order, 2);
    assert.deepEqual(second.outputs?.[0].items, [{ mime: 'application/vnd.code.notebook.stdout', data: 'hello from cell 2\n' }]);
    // A tensor is saved as the renderer's view and as its printed text.
    assert.deepEqual(
      second.outputs?.[1].items.map((i) => i.mime),
      ['application/vnd.dlnb.tensor+json', 'text/plain'],
    );
    assert.match(String(second.outputs?.[1].items[1].data), /^Tensor float32 \[2,3\]/);
    const view = second.outputs?.[1].items[0].data as { shape: number[]; table: { values: number[][] }; stats: { max: number } };
    assert.deepEqual(
      [view.shape, view.table.values, view.stats.max],
      [
        [2, 3],
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        6,
      ],
    );
    const chart = third.outputs?.[0].items.find((i) => i.mime.startsWith('application/vnd.vegalite'));
    assert.equal(countDataValues(chart?.data), 3);
  });

  it('saves a failing run in place with the error and success: false', async () => {
    const file = write('save.dlnb', notebook(['code', 'let fine = 1;'], ['code', 'throw new TypeError("bad input");']));
    const { code } = await dlnb(['run', file, '--save'], dir);
    assert.equal(code, 1);
    const saved = parseNotebook(readFileSync(file, 'utf8'));
    assert.equal(saved.cells[0].execution?.success, true);
    assert.equal(saved.cells[1].execution?.success, false);
    const error = saved.cells[1].outputs?.[0].items[0];
    assert.equal(error?.mime, 'application/vnd.code.notebook.error');
    assert.deepEqual(
      { ...(error?.data as object), stack: undefined },
      { name: 'TypeError', message: 'bad input', stack: undefined },
    );
  });

  it('writes each chart as DIR/cell-N-K.svg with --charts', async () => {
    const file = write(
      'charts.dlnb',
      notebook(
        ['markdown', 'charts below'],
        [
          'code',
          'const spec = (n: number) => ({ mark: "point", data: { values: Array.from({ length: n }, (_, x) => ({ x })) }, ' +
            'encoding: { x: { field: "x", type: "quantitative" } } });\nplot.vega(spec(2));\nplot.vega(spec(5));',
        ],
      ),
    );
    const charts = path.join(dir, 'charts');
    const { code, stdout, stderr } = await dlnb(['run', file, '--charts', charts], dir);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, '[chart: vega-lite, 2 points]\n[chart: vega-lite, 5 points]\n');
    for (const [name, points] of [
      ['cell-2-1.svg', 2],
      ['cell-2-2.svg', 5],
    ] as const) {
      const svg = readFileSync(path.join(charts, name), 'utf8');
      assert.match(svg, /^<svg /);
      assert.equal(svg.match(/aria-roledescription="point"/g)?.length, points, name);
    }
  });

  it('interrupts a cell that runs past --timeout and exits 1', async () => {
    const file = write('slow.dlnb', notebook(['code', 'while (true) {}'], ['code', 'console.log("never")']));
    const { code, stdout, stderr } = await dlnb(['run', file, '--timeout', '1'], dir);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /cell 1: timed out after 1 s \(--timeout\)/);
  });

  it('prints usage for --help and exits 2 on unknown options', async () => {
    const help = await dlnb(['--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: dlnb run FILE\.dlnb/);
    const wrong = await dlnb(['run', 'x.dlnb', '--fast'], dir);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /unknown option '--fast'/);
  });
});

describe('dlnb arguments and summaries', () => {
  it('parses run options', () => {
    assert.deepEqual(parseArgs(['run', 'a.dlnb', '--out', 'b.dlnb', '--timeout', '2.5', '--charts', 'c', '--backend', 'cpu']), {
      command: 'run',
      file: 'a.dlnb',
      save: false,
      out: 'b.dlnb',
      timeoutSeconds: 2.5,
      chartsDir: 'c',
      backend: 'cpu',
      memoryMb: 4096,
      oneCore: false,
    });
    assert.equal((parseArgs(['run', 'a.dlnb', '--one-core']) as { oneCore: boolean }).oneCore, true);
    assert.throws(() => parseArgs(['run']), UsageError);
    assert.throws(() => parseArgs(['run', 'a.dlnb', '--timeout', 'soon']), /positive number/);
    assert.throws(() => parseArgs(['run', 'a.dlnb', '--backend', 'gpu']), /wasm or cpu/);
    assert.throws(() => parseArgs(['run', 'a.dlnb', '--save', '--out', 'b']), /either --save or --out/);
  });

  it('counts chart data values in layers and datasets', () => {
    const spec = {
      datasets: { a: [1, 2], b: [3] },
      layer: [{ data: { values: [{}, {}, {}, {}] } }, { data: { name: 'a' } }],
    };
    assert.equal(countDataValues(spec), 7);
    assert.equal(summarizeOutput({ 'application/vnd.vegalite.v5+json': spec }), '[chart: vega-lite, 7 points]');
    const tensor = {
      'application/vnd.dlnb.tensor+json': { dtype: 'int32', shape: [4] },
      'text/plain': 'Tensor int32 [4]\n    [1, 2, 3, 4]',
    };
    assert.equal(summarizeOutput(tensor), 'Tensor int32 [4]\n    [1, 2, 3, 4]', 'a terminal prints the tensor');
    assert.equal(summarizeOutput({ 'text/plain': "'text'" }), "'text'");
  });
});
