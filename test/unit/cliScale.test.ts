// `dlnb run` on a large notebook: running N cells costs time in proportion to the
// notebook's size, not N times its size (an execute message carries one cell, not every
// cell's source). Runs the built dist/cli.js (`node esbuild.mjs --production` first).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const cli = path.resolve(__dirname, '../../dist/cli.js');

describe('dlnb run at scale', () => {
  let dir: string;
  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`node esbuild.mjs --production\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-cli-scale-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'runs a 10,000-cell notebook of 20 MB within a generous bound, and still explains a ReferenceError',
    { timeout: 320_000 },
    async () => {
      const padding = `// ${'x'.repeat(2000)}\n`;
      const cells = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'code', source: `${padding}const v${i} = ${i};` }));
      cells.push({ kind: 'code', source: 'const late = 1;' });
      cells.splice(10_000, 0, { kind: 'code', source: 'console.log(v9999 + late)' });
      const file = path.join(dir, 'big.dlnb');
      writeFileSync(file, JSON.stringify({ dlnb: 1, metadata: {}, cells }));
      const started = Date.now();
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [cli, 'run', file], { cwd: dir, timeout: 300_000, maxBuffer: 64 << 20 }, (error, out, err) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: out, stderr: err });
        });
      });
      const seconds = (Date.now() - started) / 1000;
      assert.equal(code, 1, stderr);
      assert.equal(stdout, '');
      // Cell 10,001 fails: `late` is declared in cell 10,002, which has not run.
      assert.match(stderr, /^cell 10001, line 1: ReferenceError: late is not defined/m);
      assert.match(stderr, /hint: `late` is declared in cell 10002, which has not run/);
      // Generous for a loaded 2-core machine: about 40 s of CPU; before, 1,000 cells took 168 s.
      assert.ok(seconds < 240, `took ${seconds} s`);
      console.log(`# 10,001 cells of 20 MB ran in ${seconds.toFixed(1)} s`);
    },
  );
});
