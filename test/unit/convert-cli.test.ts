// `dlnb export` and `dlnb import` as users run them: the built dist/cli.js (run
// `npm run build` first). The tutorial is run once with `dlnb run`, then exported to each
// format: the .ipynb is checked against the official nbformat schema (with Debian's
// python3-nbformat, when installed) and imported back to the same file; the HTML page is
// opened in Chromium, which must fetch nothing and draw every chart.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium } from '../chromium';
import { parseNotebook } from '../../src/shared/dlnbFormat';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const fixtures = path.join(root, 'test/fixtures');
const CHART = 'application/vnd.vegalite.v5+json';

function dlnb(args: string[], cwd: string, timeout = 180_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A Python with nbformat (Debian's python3-nbformat), or undefined. */
function pythonWithNbformat(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import nbformat'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

describe('dlnb export and import of the run tutorial', () => {
  let dir: string;
  let runFile: string;
  let charts: number;

  before(async () => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-convert-'));
    runFile = path.join(dir, 'tutorial.dlnb');
    const run = await dlnb(['run', path.join(root, 'examples/deep-learning-basics.dlnb'), '--out', runFile], dir);
    assert.equal(run.code, 0, run.stderr);
    const notebook = parseNotebook(readFileSync(runFile, 'utf8'));
    charts = notebook.cells.flatMap((cell) => cell.outputs ?? []).filter((o) => o.items.some((i) => i.mime === CHART)).length;
    assert.ok(charts >= 5, `the run tutorial shows charts (${charts})`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exports a valid nbformat 4.5 notebook that imports back to the same .dlnb', async (t) => {
    const ipynbFile = path.join(dir, 'tutorial.ipynb');
    const exported = await dlnb(['export', runFile, '--to', 'ipynb'], dir);
    assert.equal(exported.code, 0, exported.stderr);
    const ipynb = JSON.parse(readFileSync(ipynbFile, 'utf8'));
    assert.equal(ipynb.nbformat, 4);
    assert.equal(ipynb.nbformat_minor, 5);
    assert.equal(ipynb.metadata.kernelspec.name, 'tslab');
    const chartOutputs = ipynb.cells
      .flatMap((c: { outputs?: unknown[] }) => c.outputs ?? [])
      .filter((o: { data?: object }) => o.data && CHART in o.data);
    assert.equal(chartOutputs.length, charts);
    for (const output of chartOutputs)
      assert.match(output.data['image/svg+xml'].join(''), /^<svg[^>]*>.*<\/svg>$/s, 'each chart carries an SVG rendering');
    for (const output of chartOutputs) {
      const png = Buffer.from(output.data['image/png'], 'base64');
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'and a PNG one');
      assert.ok(png.readUInt32BE(16) >= 600 && png.length > 10_000, `a PNG of ${png.readUInt32BE(16)} px, ${png.length} bytes`);
      assert.deepEqual(output.metadata.dlnb_rendered, ['image/svg+xml', 'image/png']);
    }
    assert.ok(
      ipynb.cells.some((c: { outputs?: Array<{ output_type: string }> }) => c.outputs?.some((o) => o.output_type === 'stream')),
    );

    const python = pythonWithNbformat();
    if (python) {
      const check =
        'import sys, nbformat\nnb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\nnbformat.validate(nb, version=4, version_minor=5)\nprint("valid")';
      assert.equal(execFileSync(python, ['-c', check, ipynbFile], { encoding: 'utf8' }).trim(), 'valid');
    } else {
      t.diagnostic('python3-nbformat is not installed: schema validation skipped (apt-get install python3-nbformat)');
    }

    const back = path.join(dir, 'back.dlnb');
    const imported = await dlnb(['import', ipynbFile, '--out', back], dir);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(readFileSync(back, 'utf8'), readFileSync(runFile, 'utf8'), 'the round trip gives the same file');
  });

  it('exports one HTML page that loads nothing, runs nothing and draws every chart', async () => {
    const htmlFile = path.join(dir, 'page.html');
    const exported = await dlnb(['export', runFile, '--to', 'html', '--out', htmlFile], dir);
    assert.equal(exported.code, 0, exported.stderr);
    const html = readFileSync(htmlFile, 'utf8');
    assert.equal((html.match(/<figure class="chart"><svg /g) ?? []).length, charts, 'every chart is an inline <svg>');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\s(src|srcset|xlink:href)="(?!data:)/i, 'everything the page shows is inline');
    assert.doesNotMatch(html, /url\(|@import/i);

    const browser = await launchChromium();
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ viewport: { width: 1100, height: 1400 }, colorScheme });
        const requests: string[] = [];
        page.on('request', (request) => {
          if (request.url() !== `file://${htmlFile}` && !request.url().startsWith('data:')) requests.push(request.url());
        });
        await page.goto(`file://${htmlFile}`);
        const sizes = await page.$$eval('figure.chart > svg', (svgs) =>
          svgs.map((svg) => svg.getBoundingClientRect()).map((r) => [r.width, r.height]),
        );
        assert.equal(sizes.length, charts);
        for (const [width, height] of sizes) assert.ok(width > 100 && height > 50, `a chart draws at ${width}x${height}`);
        const marks = await page.$$eval('figure.chart svg path, figure.chart svg line', (els) => els.length);
        assert.ok(marks > charts * 10, 'the charts have axes and marks');
        const math = await page.$$eval('math', (els) => els.map((el) => el.getBoundingClientRect().width));
        assert.ok(math.length > 0 && math.every((width) => width > 0), 'math is drawn');
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(background, colorScheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
        const shots = path.join(root, 'test-results');
        mkdirSync(shots, { recursive: true });
        await page.locator('figure.chart').first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(shots, `export-html-${colorScheme}.png`) });
        assert.deepEqual(requests, [], 'the page loads nothing');
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });

  it('dist/export.js, as the extension loads it, draws the charts with its own assets', async () => {
    const bundle = path.join(root, 'dist/export.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, not a source module
    const convert = require(bundle) as typeof import('../../src/convert');
    const notebook = parseNotebook(readFileSync(runFile, 'utf8'));
    const target = path.join(dir, 'from-bundle.ipynb');
    const { files, warnings } = await convert.exportNotebook(notebook, 'ipynb', target);
    assert.deepEqual([files, warnings], [[target], []]);
    const outputs = JSON.parse(readFileSync(target, 'utf8')).cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []);
    assert.equal(outputs.filter((o: { data?: Record<string, unknown> }) => o.data?.['image/png']).length, charts);
    assert.equal(convert.importIpynb(readFileSync(target, 'utf8')), readFileSync(runFile, 'utf8'));
  });

  it('exports Markdown with each chart as an SVG file beside it', async () => {
    const mdFile = path.join(dir, 'md', 'lesson.md');
    mkdirSync(path.dirname(mdFile));
    const exported = await dlnb(['export', runFile, '--to', 'md', '--out', mdFile], dir);
    assert.equal(exported.code, 0, exported.stderr);
    const text = readFileSync(mdFile, 'utf8');
    const links = [...text.matchAll(/!\[[^\]]*\]\((lesson_files\/[^)]+\.svg)\)/g)].map((m) => m[1]);
    assert.equal(links.length, charts);
    for (const link of links) assert.match(readFileSync(path.join(dir, 'md', link), 'utf8'), /^<svg/);
    assert.equal(readdirSync(path.join(dir, 'md', 'lesson_files')).length, charts);
    assert.match(text, /^```typescript\n/m);
  });
});

describe('dlnb export --execute and dlnb import', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-import-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--execute runs the notebook first and leaves the file as it was', async () => {
    const file = path.join(dir, 'small.dlnb');
    const text =
      JSON.stringify({ dlnb: 1, metadata: {}, cells: [{ kind: 'code', source: 'console.log("ran " + (6 * 7))' }] }) + '\n';
    writeFileSync(file, text);
    const result = await dlnb(['export', file, '--to', 'md', '--execute'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(readFileSync(path.join(dir, 'small.md'), 'utf8'), /```text\nran 42\n```/);
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('--execute writes nothing when a cell fails', async () => {
    const file = path.join(dir, 'failing.dlnb');
    writeFileSync(file, JSON.stringify({ dlnb: 1, metadata: {}, cells: [{ kind: 'code', source: 'throw new Error("no")' }] }));
    const result = await dlnb(['export', file, '--to', 'html', '--execute'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /nothing exported/);
    assert.equal(existsSync(path.join(dir, 'failing.html')), false);
  });

  it('exports a chart it cannot draw offline with its spec, and says so', async () => {
    const file = path.join(dir, 'remote.dlnb');
    const remote = {
      mark: 'point',
      data: { url: 'https://example.com/cars.json' },
      encoding: { x: { field: 'a', type: 'quantitative' } },
    };
    writeFileSync(
      file,
      JSON.stringify({
        dlnb: 1,
        metadata: {},
        cells: [{ kind: 'code', source: 'plot.vega(spec)', outputs: [{ items: [{ mime: CHART, data: remote }] }] }],
      }),
    );
    const result = await dlnb(['export', file, '--to', 'ipynb'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /A chart in cell 1 was not drawn \(its Vega-Lite spec is kept\): .*https:\/\/example\.com\/cars\.json/,
    );
    const output = JSON.parse(readFileSync(path.join(dir, 'remote.ipynb'), 'utf8')).cells[0].outputs[0];
    assert.deepEqual(Object.keys(output.data), [CHART]);
  });

  it('imports a TypeScript notebook that then runs with dlnb run', async () => {
    const target = path.join(dir, 'tensors.dlnb');
    const imported = await dlnb(['import', path.join(fixtures, 'tslab-tensors.ipynb'), '--out', target], dir);
    assert.equal(imported.code, 0, imported.stderr);
    const run = await dlnb(['run', target], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'sum is 6\n[ 2, 4, 6 ]\n');
  });

  it('imports a Python lesson keeping every markdown cell and every line of code', async () => {
    const source = path.join(fixtures, 'pytorch-lesson.ipynb');
    const target = path.join(dir, 'lesson.dlnb');
    const imported = await dlnb(['import', source, '--out', target], dir);
    assert.equal(imported.code, 0, imported.stderr);
    const lesson = JSON.parse(readFileSync(source, 'utf8'));
    const cells = parseNotebook(readFileSync(target, 'utf8')).cells;
    assert.equal(cells.length, lesson.cells.length);
    for (const [i, cell] of lesson.cells.entries()) {
      const text = [cell.source].flat().join('');
      if (cell.cell_type === 'markdown')
        assert.equal(
          cells[i].source,
          text.replace('attachment:diagram.png', `data:image/png;base64,${cell.attachments?.['diagram.png']['image/png']}`),
        );
      else assert.ok(cells[i].source.startsWith('```python\n' + text + '\n```'), `cell ${i + 1} keeps its code`);
    }
    assert.match(cells[4].source, /ZeroDivisionError: division by zero/);
    assert.doesNotMatch(cells[4].source, /\u001b/);
  });

  it('refuses a broken notebook and an existing target, writing nothing', async () => {
    const broken = path.join(dir, 'broken.ipynb');
    writeFileSync(broken, readFileSync(path.join(fixtures, 'pytorch-lesson.ipynb'), 'utf8').slice(0, 300));
    const bad = await dlnb(['import', broken], dir);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /cannot import \S*broken\.ipynb: not a Jupyter notebook: the file is not valid JSON at line 19, column \d+/,
    );
    assert.equal(existsSync(path.join(dir, 'broken.dlnb')), false);

    const existing = path.join(dir, 'kept.dlnb');
    writeFileSync(existing, 'mine');
    const refused = await dlnb(['import', path.join(fixtures, 'tslab-tensors.ipynb'), '--out', existing], dir);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already exists; use --out PATH or --force/);
    assert.equal(readFileSync(existing, 'utf8'), 'mine');
    const forced = await dlnb(['import', path.join(fixtures, 'tslab-tensors.ipynb'), '--out', existing, '--force'], dir);
    assert.equal(forced.code, 0, forced.stderr);
  });
});
