// The loss-curve webview in a real Chromium page, served with the same HTML and CSP as in
// VS Code (our script by nonce, no eval, no network): it draws a run's curve, updates it
// in place as the run grows, and follows the theme. Needs `npm run build` and chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { lossChartHtml } from '../../src/host/panel/lossChartHtml';
import { CURVE_DATA, curveChart } from '../../src/host/panel/lossChartSpec';
import type { CurvePoint, LossChartUpdate } from '../../src/shared/protocol';

const root = join(import.meta.dirname, '..', '..');

// Page-side globals used by the callbacks that run in Chromium (the Node tsconfig has no DOM).
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
}
declare const window: { posted: unknown[]; postMessage(message: unknown, target: string): void };
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  body: { className: string; style: { setProperty(name: string, value: string): void } };
};
const NONCE = 'testnonce0123456789';

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        lossChartHtml({
          cspSource: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          scriptUri: '/lossChart.js',
          nonce: NONCE,
        }),
      );
    } else if (path === '/lossChart.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(join(root, 'dist', 'lossChart.js')));
    } else {
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function update(points: CurvePoint[]): LossChartUpdate {
  const { spec, values } = curveChart('SGD', points, 5000);
  return { type: 'curve', spec, dataName: CURVE_DATA, values };
}

function curve(steps: number): CurvePoint[] {
  // Stays within a factor of 100, so the y axis stays linear and the spec the same as it grows.
  return Array.from({ length: steps }, (_, i) => ({ series: 'loss', step: i + 1, value: 1 + 1 / (i + 1) }));
}

describe('loss-curve webview in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    server = await serve();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 800, height: 500 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    // What VS Code provides inside a webview: acquireVsCodeApi and the theme on <body>.
    // (A string: functions passed from tsx-compiled tests carry helpers the page lacks.)
    await page.addInitScript(`
      window.posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });
      document.addEventListener('DOMContentLoaded', () => {
        document.body.className = 'vscode-dark';
        document.body.style.setProperty('--vscode-editor-foreground', 'rgb(1, 2, 3)');
      });
    `);
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => window.posted.length > 0);
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  const send = (message: LossChartUpdate) => page.evaluate((m) => window.postMessage(m, '*'), message);
  const axisLabels = () => page.$$eval('#chart svg .role-axis-label text', (nodes) => nodes.map((n) => n.textContent ?? ''));

  it('says it is ready, then draws the curve without eval or network', async () => {
    assert.deepEqual(await page.evaluate(() => window.posted), [{ type: 'ready' }]);
    await send(update(curve(10)));
    await page.waitForSelector('#chart svg .mark-line path');
    const d = await page.getAttribute('#chart svg .mark-line path', 'd');
    assert.ok(d && d.split(/[ML]/).length > 10, 'one line through the points');
    const labels = await axisLabels();
    assert.ok(labels.includes('10'), `x axis reaches step 10: ${labels.join(' ')}`);
    assert.deepEqual(problems, []);
  });

  it('updates the drawn chart in place as the run grows', async () => {
    await page.evaluate(() => document.querySelector('#chart svg')?.setAttribute('data-marked', 'yes'));
    await send(update(curve(100)));
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#chart svg .role-axis-label text')].some((t) => t.textContent === '100'),
    );
    assert.equal(await page.getAttribute('#chart svg', 'data-marked'), 'yes', 'same view, new data');
    assert.deepEqual(problems, []);
  });

  it('draws in the theme’s colours and redraws when the theme changes', async () => {
    const labelFill = () => page.$eval('#chart svg .role-axis-label text', (t) => t.getAttribute('fill'));
    assert.equal(await labelFill(), 'rgb(1, 2, 3)');
    await page.evaluate(() => {
      document.body.style.setProperty('--vscode-editor-foreground', 'rgb(200, 100, 50)');
      document.body.className = 'vscode-light';
    });
    await page.waitForFunction(
      () => document.querySelector('#chart svg .role-axis-label text')?.getAttribute('fill') === 'rgb(200, 100, 50)',
    );
    assert.deepEqual(problems, []);
  });
});
