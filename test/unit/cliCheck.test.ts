// `dlnb check` as users run it: the built dist/cli.js (run `npm run build` first) in a child
// process, on the shipped examples and on crafted notebooks.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');

function dlnb(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function notebookWith(...cells: Array<[kind: 'code' | 'markdown', source: string]>): string {
  return JSON.stringify({ dlnb: 1, metadata: {}, cells: cells.map(([kind, source]) => ({ kind, source })) });
}

describe('dlnb check', () => {
  let dir: string;
  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-check-'));
  });

  it('finds no problems in the examples and exits 0', async () => {
    const examples = readdirSync(path.join(root, 'examples'))
      .filter((f) => f.endsWith('.dlnb'))
      .map((f) => `examples/${f}`);
    assert.ok(examples.length > 0);
    const { code, stdout, stderr } = await dlnb(['check', ...examples]);
    assert.equal(stdout, '');
    assert.match(stderr, /no problems in \d+ notebooks?/);
    assert.equal(code, 0);
  });

  it('prints each error at its cell, line and column, and exits 1', async () => {
    const file = path.join(dir, 'mistakes.dlnb');
    writeFileSync(
      file,
      notebookWith(
        ['markdown', '# Mistakes'],
        ['code', 'const x = tf.tensor([1, 2, 3]);'],
        ['code', 'x.print();\nconst y = tf.tensr([1, 2]);'],
        ['markdown', 'and one more'],
        ['code', 'const m = new dl.nn.Linear(1, 1);\nm.forward(x).shapee;'],
      ),
    );
    const { code, stdout } = await dlnb(['check', 'mistakes.dlnb'], dir);
    assert.deepEqual(stdout.trim().split('\n'), [
      "mistakes.dlnb: cell 3, line 2, col 14: Property 'tensr' does not exist on type 'typeof tf'. Did you mean 'tensor'?",
      "mistakes.dlnb: cell 5, line 2, col 14: Property 'shapee' does not exist on type 'Tensor<Rank>'. Did you mean 'shape'?",
    ]);
    assert.equal(code, 1);
  });

  it('--json gives the same problems as data', async () => {
    writeFileSync(path.join(dir, 'one.dlnb'), notebookWith(['code', 'zzzUnknown + 1;']));
    writeFileSync(path.join(dir, 'clean.dlnb'), notebookWith(['code', 'const ok = tf.scalar(1);']));
    const { code, stdout } = await dlnb(['check', '--json', 'one.dlnb', 'clean.dlnb'], dir);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout), {
      files: [
        {
          file: 'one.dlnb',
          problems: [
            { cell: 1, line: 1, column: 1, message: "Cannot find name 'zzzUnknown'.", severity: 'error', code: 'TS2304' },
          ],
        },
        { file: 'clean.dlnb', problems: [] },
      ],
    });
  });

  it('exits 2 with the reason for a notebook it cannot read, and for bad arguments', async () => {
    writeFileSync(path.join(dir, 'broken.dlnb'), '{ "dlnb": 1, "cells": [');
    const broken = await dlnb(['check', 'broken.dlnb'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.dlnb/);
    const none = await dlnb(['check'], dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing the notebooks to check/);
    const flag = await dlnb(['check', '--jsno', 'one.dlnb'], dir);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option '--jsno'/);
  });
});
