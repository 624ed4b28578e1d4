// The tensor renderer in a real Chromium page under the webview's CSP: views made by the
// kernel's own tensorView from real tensors, drawn as VS Code would hand them over, then
// checked through the DOM and the pixels of the canvases (screenshots in $DLNB_SCREENSHOTS or /tmp).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { modelSummary } from '../../src/kernel/panel/modelSummary';
import { tensorView } from '../../src/kernel/runtime/tensorView';
import { MIME } from '../../src/shared/protocol';
import { openRendererPage, type RendererPage } from '../renderer/rendererPage';

// Callbacks given to page.evaluate run in the page; the Node tsconfig has no DOM types.
declare const window: any;
declare const getComputedStyle: any;

tf.enableProdMode();
const SHOTS = process.env.DLNB_SCREENSHOTS ?? '/tmp';

function viewOf(make: () => tf.Tensor) {
  const tensor = make();
  try {
    return tensorView(tensor);
  } finally {
    tensor.dispose();
  }
}

/** The RGBA of the canvas pixel at (x, y), in the canvas's own pixels. */
function pixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page
    .locator(selector)
    .evaluate((canvas: any, [px, py]) => [...canvas.getContext('2d').getImageData(px, py, 1, 1).data], [x, y]);
}

describe('tensor and model renderer in Chromium', () => {
  let harness: RendererPage;
  let page: Page;
  const render = (id: string, value: unknown, mime: string = MIME.tensor) =>
    page.evaluate(([i, v, m]) => window.harness.render(i, v, m), [id, value, mime] as const);
  const shoot = (id: string) => page.locator(`#output-${id}`).screenshot({ path: join(SHOTS, `dlnb-tensor-${id}.png`) });

  before(async () => {
    harness = await openRendererPage('dist/valueRenderer.js');
    page = harness.page;
  });
  after(() => harness?.close());

  it('shows a small 2-D tensor as a header with statistics, a table and a heatmap', async () => {
    await render(
      'small',
      viewOf(() =>
        tf.tensor2d([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    );
    await shoot('small');
    const text = await page.locator('#output-small').innerText();
    assert.match(text, /Tensor float32 \[2, 3\]/);
    assert.match(text, /6 values · min 1 · max 6 · mean 3\.5 · std 1\.8708/);
    const cells = await page.locator('#output-small tbody td').allTextContents();
    assert.deepEqual(cells, ['1', '2', '3', '4', '5', '6']);
    // The heatmap's lowest cell is the scale's dark end, its highest the yellow end.
    assert.deepEqual(await pixel(page, '#output-small canvas.dlnb-heatmap', 0, 0), [68, 1, 84, 255]);
    assert.deepEqual(await pixel(page, '#output-small canvas.dlnb-heatmap', 2, 1), [253, 231, 37, 255]);
  });

  it('prints the head and tail of a large tensor with ellipses, as NumPy does', async () => {
    await render(
      'large',
      viewOf(() => tf.range(0, 100 * 50).reshape([100, 50])),
    );
    await shoot('large');
    const header = await page.locator('#output-large thead th').allTextContents();
    assert.deepEqual(header, ['', '0', '1', '2', '3', '4', '…', '45', '46', '47', '48', '49']);
    const rowLabels = await page.locator('#output-large tbody th').allTextContents();
    assert.deepEqual(rowLabels, ['0', '1', '2', '3', '4', '⋮', '95', '96', '97', '98', '99']);
    assert.equal(await page.locator('#output-large tbody tr').last().locator('td').last().innerText(), '4999');
    assert.match(await page.locator('#output-large figcaption').innerText(), /every 2nd row/);
  });

  it('shows a 1-D tensor as one row', async () => {
    await render(
      'line',
      viewOf(() => tf.linspace(0, 1, 5)),
    );
    assert.deepEqual(await page.locator('#output-line tbody td').allTextContents(), ['0', '0.25', '0.5', '0.75', '1']);
    assert.equal(await page.locator('#output-line canvas').count(), 0, 'no heatmap for 1-D');
  });

  it('draws an [H,W,3] tensor as an image with sharp enlarged pixels', async () => {
    const red = [1, 0, 0];
    const blue = [0, 0, 1];
    const rows = Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => ((x + y) % 2 ? red : blue)));
    await render(
      'image',
      viewOf(() => tf.tensor3d(rows)),
    );
    await shoot('image');
    assert.deepEqual(await pixel(page, '#output-image canvas.dlnb-image', 0, 0), [0, 0, 255, 255]);
    assert.deepEqual(await pixel(page, '#output-image canvas.dlnb-image', 1, 0), [255, 0, 0, 255]);
    const width = await page.locator('#output-image canvas.dlnb-image').evaluate((c: any) => c.getBoundingClientRect().width);
    assert.ok(width >= 64, `an 8-pixel image is enlarged (${width} px)`);
    assert.match(await page.locator('#output-image figcaption').innerText(), /values 0\.\.1 shown as 0\.\.255/);
  });

  it('follows the theme colours and reads with no network', async () => {
    const colour = () => page.locator('#output-small .dlnb-head').evaluate((el: any) => getComputedStyle(el).color);
    assert.equal(await colour(), 'rgb(59, 59, 59)');
    await page.evaluate(() => window.document.body.classList.replace('vscode-light', 'vscode-dark'));
    assert.equal(await colour(), 'rgb(204, 204, 204)');
    await shoot('small');
    await page.evaluate(() => window.document.body.classList.replace('vscode-dark', 'vscode-light'));
    assert.deepEqual(
      harness.requests.filter((url) => !url.startsWith(harness.base)),
      [],
    );
  });

  it('shows a model summary: layers, output shapes, parameter counts, trainable and not', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 1 })],
    });
    await render('model', modelSummary(model), MIME.model);
    model.dispose();
    await shoot('model');
    const rows = await page
      .locator('#output-model tbody tr')
      .evaluateAll((trs: any[]) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td: any) => td.textContent)));
    assert.deepEqual(
      rows.map((r) => r.slice(1)),
      [
        ['Dense', '[batch, 4]', '16'],
        ['BatchNormalization', '[batch, 4]', '16'],
        ['Dense', '[batch, 1]', '5'],
      ],
    );
    assert.equal(await page.locator('#output-model .dlnb-totals').innerText(), '37 parameters: 29 trainable, 8 not trainable');
    assert.equal(
      await page.locator('#output-model tbody tr').nth(1).locator('td').last().getAttribute('title'),
      '8 not trainable',
    );
  });

  it('says so, rather than draw nothing, for an output it cannot read', async () => {
    await render('broken', '{ "dtype": ');
    assert.match(await page.locator('#output-broken').innerText(), /Could not read this output/);
    assert.deepEqual(harness.pageErrors, []);
    assert.deepEqual(await page.evaluate(() => window.harness.violations), []);
  });
});
