// Headless chart export: a Vega-Lite spec becomes a well-formed SVG file with one mark
// per point, offline, both from the sources and from a CommonJS bundle like dist/cli.js.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { HEADLESS_WIDTH, chartToSvg, withFixedSize, writeChartSvg } from '../../src/cli/chartExport';
import { createPlotApi } from '../../src/kernel/plot/index';

interface XmlElement {
  name: string;
  attributes: string;
  children: XmlElement[];
}

/** A small XML reader: enough to check nesting is well formed and walk the tree. */
function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: '', children: [] };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = tag.exec(text))) {
    assert.ok(!/[<>]/.test(text.slice(last, match.index)), `stray markup near offset ${last}`);
    last = tag.lastIndex;
    const [, closing, name, attributes, selfClosing] = match;
    if (!name) continue;
    if (closing) {
      const open = stack.pop();
      assert.equal(open?.name, name, `</${name}> closes <${open?.name}>`);
      continue;
    }
    const element = { name, attributes, children: [] };
    stack[stack.length - 1].children.push(element);
    if (!selfClosing) stack.push(element);
  }
  assert.ok(!/[<>]/.test(text.slice(last)), 'stray markup at the end');
  assert.equal(stack.length, 1, `unclosed <${stack[stack.length - 1].name}>`);
  assert.equal(root.children.length, 1, 'one root element');
  return root.children[0];
}

function findAll(element: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  return [...(test(element) ? [element] : []), ...element.children.flatMap((c) => findAll(c, test))];
}

const symbolCount = (svg: XmlElement): number =>
  findAll(svg, (e) => e.name === 'g' && /class="[^"]*\bmark-symbol\b/.test(e.attributes)).reduce(
    (sum, g) => sum + g.children.filter((c) => c.name === 'path').length,
    0,
  );

function scatterSpec(n: number): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 'container',
    height: 200,
    data: { values: Array.from({ length: n }, (_, i) => ({ x: i, y: (i * 7) % 11 })) },
    mark: 'point',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'dlnb-chart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeChartSvg', () => {
  it('writes a well-formed SVG with one symbol per point', async () => {
    const file = join(dir, 'scatter.svg');
    await writeChartSvg(scatterSpec(37), file);
    const svg = parseXml(readFileSync(file, 'utf8'));
    assert.equal(svg.name, 'svg');
    assert.match(svg.attributes, /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(symbolCount(svg), 37);
  });

  it("gives 'container' sizes a fixed width headless", async () => {
    const fixed = withFixedSize({
      width: 'container',
      layer: [{ height: 'container' }],
      data: { values: [{ width: 'container' }] },
    }) as any;
    assert.equal(fixed.width, HEADLESS_WIDTH);
    assert.equal(typeof fixed.layer[0].height, 'number');
    assert.equal(fixed.data.values[0].width, 'container', 'data is left as it is');
    const svg = parseXml(await chartToSvg(scatterSpec(3)));
    const width = Number(/\bwidth="(\d+(?:\.\d+)?)"/.exec(svg.attributes)?.[1]);
    assert.ok(width >= HEADLESS_WIDTH, `svg width ${width}`);
  });

  it('exports what the plot API builds: lmplot draws its band, line and points', async () => {
    const specs: Record<string, unknown>[] = [];
    const plot = createPlotApi({
      io: {
        display: (b) => specs.push(b['application/vnd.vegalite.v5+json'] as Record<string, unknown>),
        updateDisplay() {},
        onCellEnd() {},
      },
      maxPoints: 5000,
    });
    plot.lmplot([1, 2, 3, 4, 5, 6], [1.2, 1.9, 3.2, 3.9, 5.1, 6.2], { title: 'fit' });
    const svg = parseXml(await chartToSvg(specs[0]));
    assert.equal(symbolCount(svg), 6);
    const marks = (kind: string) =>
      findAll(svg, (e) => e.name === 'g' && new RegExp(`class="[^"]*\\bmark-${kind}\\b`).test(e.attributes));
    assert.equal(marks('area').length, 1, 'the confidence band');
    assert.equal(marks('line').length, 1, 'the fitted line');
  });

  it('refuses data from URLs instead of fetching them', async () => {
    await assert.rejects(
      chartToSvg({ ...scatterSpec(1), data: { url: 'https://example.com/cars.json' } }),
      /https:\/\/example\.com\/cars\.json at data\.url[\s\S]*offline/,
    );
  });

  it('shows a clear error for a spec Vega-Lite cannot compile', async () => {
    await assert.rejects(chartToSvg({ data: { values: [] } }), /Invalid specification/);
    await assert.rejects(chartToSvg([] as unknown as object), /spec must be a Vega-Lite spec object/);
  });

  it('draws a chart with links (an href encoding) as plain marks, without a stray failure later', async () => {
    const stray: unknown[] = [];
    const onStray = (reason: unknown) => stray.push(reason);
    process.on('unhandledRejection', onStray);
    try {
      const spec = {
        data: {
          values: [
            { a: 1, h: 'https://example.com/' },
            { a: 2, h: 'https://example.org/' },
          ],
        },
        mark: { type: 'point', href: 'https://example.net/' },
        encoding: { x: { field: 'a', type: 'quantitative' }, href: { field: 'h' } },
      };
      const svg = await chartToSvg(spec);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(symbolCount(parseXml(svg)), 2);
      assert.doesNotMatch(svg, /example\.(com|org|net)/, 'no link is written');
      assert.deepEqual(stray, []);
    } finally {
      process.off('unhandledRejection', onStray);
    }
  });

  it('names the problem of a spec that is not Vega-Lite instead of an internal TypeError', async () => {
    await assert.rejects(chartToSvg({ mark: 'nonsense', data: { values: [{ a: 1 }] } }), (error: Error) => {
      assert.equal(
        error.message,
        "not a valid Vega-Lite spec: unknown mark type 'nonsense' (expected one of arc, area, bar, boxplot, circle, errorband, errorbar, geoshape, image, line, point, rect, rule, square, text, tick, trail)",
      );
      return true;
    });
    await assert.rejects(
      chartToSvg({ data: { values: [] }, layer: [{ mark: 'line' }, { mark: { type: 'pointy' } }] }),
      /^Error: not a valid Vega-Lite spec: unknown mark type 'pointy'/,
    );
  });

  it('works bundled as CommonJS, as dist/cli.js bundles it', async () => {
    // The same options as the CLI target in esbuild.mjs.
    const outfile = join(dir, 'chartExport.cjs');
    await esbuild.build({
      entryPoints: [join(import.meta.dirname, '../../src/cli/chartExport.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
      alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
      absWorkingDir: join(import.meta.dirname, '../..'),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, not a source module
    const bundled = require(outfile) as typeof import('../../src/cli/chartExport');
    const file = join(dir, 'bundled.svg');
    await bundled.writeChartSvg(scatterSpec(12), file);
    assert.equal(symbolCount(parseXml(readFileSync(file, 'utf8'))), 12);
  });
});
