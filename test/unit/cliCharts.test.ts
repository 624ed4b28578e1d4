// `dlnb run --charts` never crashes the run: a chart that cannot be exported is reported
// for its cell, later cells still run and --save still writes. Runs the built dist/cli.js
// (`node esbuild.mjs --production` first).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const cli = path.resolve(__dirname, '../../dist/cli.js');

function dlnb(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 60_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('dlnb run --charts: bad charts', () => {
  let dir: string;
  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`node esbuild.mjs --production\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-cli-charts-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a chart with links is exported, an invalid spec is reported for its cell, and the run goes on', async () => {
    const cells = [
      'plot.vega({data:{values:[{a:1,h:"https://example.com/"}]},mark:"point",encoding:{x:{field:"a",type:"quantitative"},href:{field:"h"}}})',
      'plot.vega({ mark: "nonsense", data: { values: [{ a: 1 }] } } as any)',
      'console.log("third cell ran")',
    ];
    const file = path.join(dir, 'charts.dlnb');
    writeFileSync(file, JSON.stringify({ dlnb: 1, metadata: {}, cells: cells.map((source) => ({ kind: 'code', source })) }));
    const charts = path.join(dir, 'svg');
    const { code, stdout, stderr } = await dlnb(['run', file, '--charts', charts, '--save'], dir);
    assert.equal(code, 1, 'a chart that was not exported fails the run');
    assert.match(stdout, /third cell ran/);
    assert.match(
      stderr,
      /^dlnb: cell 2: chart 1 was not exported to .*cell-2-1\.svg: not a valid Vega-Lite spec: unknown mark type 'nonsense'/m,
    );
    assert.doesNotMatch(stderr, /TypeError|reading 'href'|reading 'filled'/);
    assert.deepEqual(readdirSync(charts), ['cell-1-1.svg']);
    assert.match(readFileSync(file, 'utf8'), /third cell ran/, 'the outputs were saved');
  });
});
