// The chart renderer in a real Chromium page under a strict CSP (no eval, no network),
// driven the way VS Code drives it: activate(ctx), then renderOutputItem(item, element).
// Needs `npm run build` (it serves dist/renderer.js) and Debian's chromium.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createPlotApi } from '../../src/kernel/plot/index';
import { MIME, type MimeBundle } from '../../src/shared/protocol';
import { openRendererPage, type RendererPage } from '../renderer/rendererPage';

// Callbacks given to page.evaluate run in the page; the Node tsconfig has no DOM types.
declare const window: any;
declare const document: any;
declare const getComputedStyle: any;

// DLNB_RENDERER_BUNDLE tests another build of the renderer (e.g. an experiment in /tmp).
const BUNDLE = process.env.DLNB_RENDERER_BUNDLE ?? 'dist/renderer.js';

const VL = 'https://vega.github.io/schema/vega-lite/v5.json';

function scatter(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  // Deterministic, spread-out points (a Lissajous-like cloud).
  const values = Array.from({ length: n }, (_, i) => ({ x: Math.sin(i * 0.37) * 10 + i / n, y: Math.cos(i * 0.91) * 5 + i / n }));
  return {
    $schema: VL,
    width: 'container',
    height: 200,
    data: { values },
    mark: 'point',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    ...extra,
  };
}

/** The Vega-Lite spec a notebook cell's `plot.*` call would show. */
function kitSpec(draw: (plot: ReturnType<typeof createPlotApi>) => void): Record<string, unknown> {
  let shown: MimeBundle | undefined;
  const io = { display: (bundle: MimeBundle) => (shown = bundle), updateDisplay: () => undefined, onCellEnd: () => undefined };
  draw(createPlotApi({ io, maxPoints: 5000 }));
  assert.ok(shown, 'the plot call showed a chart');
  return shown[MIME.vegaLite] as Record<string, unknown>;
}

const SHOTS = process.env.DLNB_SCREENSHOTS ?? '/tmp';

describe('chart renderer in Chromium', () => {
  let harness: RendererPage;
  let page: Page;
  let base: string;
  let requests: string[];
  let pageErrors: string[];

  before(async () => {
    harness = await openRendererPage(BUNDLE);
    ({ page, base, requests, pageErrors } = harness);
  });

  after(() => harness?.close());

  const render = (id: string, spec: unknown) => page.evaluate(([i, s]) => window.harness.render(i, s), [id, spec] as const);
  const stats = () => page.evaluate(() => window.harness.stats() as { outputs: number; views: number; created: number });
  const text = (id: string) => page.locator(`#output-${id}`).innerText();

  it('draws one SVG symbol per point of a 256-point scatter', async () => {
    await render('scatter', scatter(256));
    const symbols = await page.locator('#output-scatter g.mark-symbol > path').count();
    assert.equal(symbols, 256);
    // width: 'container' fills the output element (600px wide in the harness).
    const width = await page.locator('#output-scatter svg.marks').evaluate((svg) => svg.getBoundingClientRect().width);
    assert.ok(width > 500 && width <= 600, `chart width ${width}`);
  });

  it('follows the editor width when the window resizes', async () => {
    const widthOf = () => page.locator('#output-scatter svg.marks').evaluate((svg) => svg.getBoundingClientRect().width);
    const before = await widthOf();
    await page.evaluate(() => {
      document.getElementById('output-scatter').style.width = '400px';
      window.dispatchEvent(new Event('resize'));
    });
    await page.waitForFunction(() => document.querySelector('#output-scatter svg.marks')!.getBoundingClientRect().width <= 400);
    const after = await widthOf();
    assert.ok(after < before && after > 300, `width ${before} -> ${after}`);
  });

  it('shows a tooltip when the pointer is over a point', async () => {
    await render('tips', scatter(5, { mark: { type: 'point', tooltip: true } }));
    const box = await page.locator('#output-tips g.mark-symbol > path').first().boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#vg-tooltip-element.visible');
    assert.match(await page.locator('#vg-tooltip-element').innerText(), /x[\s\S]*y/);
    await page.mouse.move(0, 0);
  });

  it('offers PNG and SVG export only, made offline from the view', async () => {
    const links = page.locator('#output-scatter .vega-actions a');
    assert.deepEqual((await links.allTextContents()).sort(), ['Save as PNG', 'Save as SVG']);
    await page.locator('#output-scatter').hover();
    await page.locator('#output-scatter .dlnb-chart-menu').click();
    assert.ok(await page.locator('#output-scatter .vega-actions').isVisible());
    const svgLink = page.locator('#output-scatter .vega-actions a', { hasText: 'SVG' });
    await svgLink.dispatchEvent('mousedown');
    await page.waitForFunction(() =>
      document.querySelector('#output-scatter .vega-actions a[download="chart.svg"]')?.href.startsWith('blob:'),
    );
    const pngLink = page.locator('#output-scatter .vega-actions a', { hasText: 'PNG' });
    await pngLink.dispatchEvent('mousedown');
    await page.waitForFunction(() =>
      document.querySelector('#output-scatter .vega-actions a[download="chart.png"]')?.href.startsWith('data:image/png'),
    );
    await page.mouse.move(0, 0);
  });

  it('keeps the export menu closed at rest, so the legend shows; opens on its button; closes on a choice, Escape or a click outside', async () => {
    await render(
      'legend',
      kitSpec((plot) => plot.lines({ L1: [3, 2, 1.5, 1.2], L2: [3, 2.5, 2, 1.9] })),
    );
    const menu = page.locator('#output-legend .vega-actions');
    const legendLabels = page.locator('#output-legend .role-legend-label text');
    assert.deepEqual(await legendLabels.allTextContents(), ['L1', 'L2']);
    /**
     * Whether, at the centre of each legend label, the topmost element is the chart itself
     * (Vega's labels ignore the pointer, so the hit is their SVG), not the menu or its button.
     */
    const legendUncovered = () =>
      page.locator('#output-legend').evaluate((output) =>
        Array.from(output.querySelectorAll('.role-legend-label text')).map((label: any) => {
          const box = label.getBoundingClientRect();
          const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
          return label.ownerSVGElement.contains(top);
        }),
      );
    const shoot = (name: string) => page.locator('#output-legend').screenshot({ path: join(SHOTS, `dlnb-chart-${name}.png`) });

    assert.equal(await menu.isVisible(), false, 'closed at rest');
    assert.equal(await menu.evaluate((m) => getComputedStyle(m).display), 'none');
    await shoot('rest');
    assert.deepEqual(await legendUncovered(), [true, true]);
    // Hovering the chart shows the menu's button only.
    await page.locator('#output-legend').hover();
    assert.equal(await menu.isVisible(), false, 'still closed while hovered');
    await shoot('hover');
    assert.deepEqual(await legendUncovered(), [true, true]);

    const button = page.locator('#output-legend .dlnb-chart-menu');
    await button.click();
    assert.ok(await menu.isVisible(), 'opens on its button');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await shoot('open');
    await page.keyboard.press('Escape');
    assert.equal(await menu.isVisible(), false, 'Escape closes it');

    await button.click();
    assert.ok(await menu.isVisible());
    // A click elsewhere in the chart (outside the menu and its button) also closes it.
    const plotArea = await page.locator('#output-legend svg.marks').boundingBox();
    assert.ok(plotArea);
    await page.mouse.click(plotArea.x + 40, plotArea.y + plotArea.height / 2);
    assert.equal(await menu.isVisible(), false, 'a click outside closes it');

    await button.click();
    await menu.locator('a', { hasText: 'SVG' }).click();
    assert.equal(await menu.isVisible(), false, 'a choice closes it');
    assert.deepEqual(await legendUncovered(), [true, true]);
    await page.mouse.move(0, 0);
  });

  it('labels an index axis with whole numbers only', async () => {
    await render(
      'index-axis',
      kitSpec((plot) => plot.line([1, 3, 2, 5])),
    );
    const ticks = await page.locator('#output-index-axis .role-axis-label').first().locator('text').allTextContents();
    assert.deepEqual(ticks, ['0', '1', '2', '3']);
  });

  it('shows a readable error for invalid JSON and for a spec Vega-Lite cannot compile', async () => {
    await render('broken-json', '{ "mark": "point", ');
    assert.match(await text('broken-json'), /Could not draw this chart[\s\S]*not valid JSON/);
    await render('no-mark', { $schema: VL, data: { values: [{ a: 1 }] } });
    assert.match(await text('no-mark'), /Could not draw this chart[\s\S]*Vega-Lite could not compile the spec/);
    const messages = await page.evaluate(() => window.harness.messages as { type: string; outputId: string }[]);
    assert.ok(messages.some((m) => m.type === 'chartError' && m.outputId === 'no-mark'));
  });

  it('refuses data from URLs, anywhere in the spec, without making a request', async () => {
    const before = requests.length;
    await render('url-top', { ...scatter(3), data: { url: 'http://example.com/data.json' } });
    assert.match(await text('url-top'), /http:\/\/example\.com\/data\.json at data\.url[\s\S]*draw offline from inline data/);
    const lookup = {
      ...scatter(3),
      transform: [{ lookup: 'x', from: { data: { url: 'https://example.org/lookup.csv' }, key: 'x', fields: ['z'] } }],
    };
    await render('url-lookup', lookup);
    assert.match(await text('url-lookup'), /https:\/\/example\.org\/lookup\.csv at transform\[0\]\.from\.data\.url/);
    await render('url-layer', {
      $schema: VL,
      layer: [
        { ...scatter(2), $schema: undefined },
        { ...scatter(2), data: { url: 'http://example.com/l.json' } },
      ],
    });
    assert.match(await text('url-layer'), /layer\[1\]\.data\.url/);
    // An image mark's URLs are not data: the chart draws, but the loader refuses to fetch them.
    await render('image', {
      $schema: VL,
      data: { values: [{ x: 1, y: 1, img: 'http://example.com/a.png' }] },
      mark: { type: 'image', width: 20, height: 20 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' },
        url: { field: 'img', type: 'nominal' },
      },
    });
    await page.waitForTimeout(200);
    const fetched = requests.slice(before).filter((url) => !url.startsWith(base));
    assert.deepEqual(fetched, []);
  });

  it('keeps one view per output id across 200 re-renders, with no DOM growth', async () => {
    const spec = (k: number) => scatter(50, { title: `render ${k}` });
    for (let k = 0; k < 20; k++) await render('again', spec(k));
    const elementsAt20 = await page.evaluate(() => document.getElementsByTagName('*').length);
    const viewsAt20 = (await stats()).views;
    for (let k = 20; k < 200; k++) await render('again', spec(k));
    const elementsAt200 = await page.evaluate(() => document.getElementsByTagName('*').length);
    const { views } = await stats();
    assert.equal(views, viewsAt20, 'no Vega view left unfinalized');
    assert.equal(elementsAt200, elementsAt20);
    assert.equal(await page.locator('#output-again .dlnb-chart').count(), 1);
    assert.match(await text('again'), /render 199/);
    // Disposing the output finalizes its view.
    await page.evaluate(() => window.harness.dispose('again'));
    assert.equal((await stats()).views, views - 1);
  });

  it('draws a burst of updates to one output twice: the first and the newest', async () => {
    const createdBefore = (await stats()).created;
    const specs = Array.from({ length: 30 }, (_, k) => scatter(20, { title: `update ${k}` }));
    await page.evaluate((s) => window.harness.renderBurst('burst', s), specs);
    const created = (await stats()).created - createdBefore;
    assert.equal(created, 2, 'the first update, then the newest');
    assert.match(await text('burst'), /update 29/);
    assert.equal(await page.locator('#output-burst .dlnb-chart').count(), 1);
  });

  it('downsamples 20,000 points with a note, drawn on a canvas', async () => {
    await render('big', scatter(20_000));
    const note = await page.locator('#output-big .dlnb-chart-note').innerText();
    const match = /showing ([\d,]+) of 20,000 points/.exec(note);
    assert.ok(match, note);
    const shown = Number(match[1].replace(/,/g, ''));
    assert.ok(shown > 1000 && shown <= 5000, `shown ${shown}`);
    assert.equal(await page.locator('#output-big canvas').count(), 1);
    // The spec's own budget wins over the default.
    await render('big-budget', scatter(3000, { usermeta: { dlnb: { maxPoints: 500 } } }));
    assert.match(await page.locator('#output-big-budget .dlnb-chart-note').innerText(), /of 3,000 points/);
  });

  it('draws in the dark theme colours when VS Code switches theme', async () => {
    await render('themed', scatter(10, { title: 'themed' }));
    const titleFill = () => page.locator('#output-themed .role-title-text text').getAttribute('fill');
    assert.equal(await titleFill(), '#3b3b3b');
    await page.evaluate(() => document.body.classList.replace('vscode-light', 'vscode-dark'));
    await page.waitForFunction(
      () => document.querySelector('#output-themed .role-title-text text')?.getAttribute('fill') === '#cccccc',
    );
    // A spec with its own config keeps it.
    await render('own-config', scatter(10, { title: 'mine', config: { title: { color: '#ff0000' } } }));
    assert.equal(await page.locator('#output-own-config .role-title-text text').getAttribute('fill'), '#ff0000');
    await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
  });

  it('raised no CSP violation and no page error', async () => {
    const violations = await page.evaluate(() => window.harness.violations);
    assert.deepEqual(violations, []);
    assert.deepEqual(
      pageErrors.filter((e) => !/refused to load/.test(e)),
      [],
    );
  });
});
