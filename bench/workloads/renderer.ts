// How long the notebook renderer takes to draw a big chart in Chromium, the way an output
// webview draws it: 10,000 points drawn whole (the budget raised past them), and the same
// data under the default budget, where the renderer downsamples. Target: under 300 ms.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CHROMIUM, launchChromium } from '../../test/chromium';
import type { BenchContext, Workload } from '../lib/context';
import { median } from '../lib/measure';
import type { Row } from '../lib/table';

const WORKLOAD = 'renderer';
const TARGET_MS = 300;
const POINTS = 10_000;

// The page runs in the browser; the bench's tsconfig has no DOM types.
declare const window: { harness: { render(id: string, spec: object): Promise<void> } };

function scatter(n: number, maxPoints?: number): object {
  const values = Array.from({ length: n }, (_, i) => ({ x: Math.sin(i * 0.37) * 10 + i / n, y: Math.cos(i * 0.91) * 5 + i / n }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 'container',
    height: 300,
    data: { values },
    mark: 'point',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    ...(maxPoints ? { usermeta: { dlnb: { maxPoints } } } : {}),
  };
}

export const rendererWorkload: Workload = {
  name: WORKLOAD,
  async run(context: BenchContext): Promise<Row[]> {
    const page = path.join(context.root, 'test/renderer/page');
    const bundle = path.join(context.root, 'dist/renderer.js');
    if (!existsSync(CHROMIUM) || !existsSync(bundle)) {
      return [{ workload: WORKLOAD, variant: '(all)', unit: 'ms', note: `needs ${CHROMIUM} and dist/renderer.js` }];
    }
    const files: Record<string, [string, string]> = {
      '/index.html': [path.join(page, 'index.html'), 'text/html'],
      '/harness.js': [path.join(page, 'harness.js'), 'text/javascript'],
      '/page.css': [path.join(page, 'page.css'), 'text/css'],
      '/renderer.js': [bundle, 'text/javascript'],
    };
    const server = createServer((req, res) => {
      const file = files[new URL(req.url ?? '/', 'http://x').pathname];
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(file[0]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
      await tab.waitForFunction(() => 'harness' in window);
      const runs = context.quick ? 3 : 7;
      context.log(`${WORKLOAD}: ${runs} draws of ${POINTS} points, whole and downsampled`);
      const variants: Array<[string, object]> = [
        [`${POINTS.toLocaleString('en')} points, drawn whole`, scatter(POINTS, 2 * POINTS)],
        [`${POINTS.toLocaleString('en')} points, default budget (downsampled)`, scatter(POINTS)],
      ];
      const rows: Row[] = [];
      for (const [variant, spec] of variants) {
        const times: number[] = [];
        for (let i = 0; i <= runs; i++) {
          const ms = await tab.evaluate(async (s) => {
            const start = performance.now();
            await window.harness.render('bench', s);
            return performance.now() - start;
          }, spec);
          if (i > 0) times.push(ms); // the first draw loads vega
        }
        rows.push({ workload: WORKLOAD, variant, value: median(times), unit: 'ms', target: { of: 'value', max: TARGET_MS } });
      }
      return rows;
    } finally {
      await browser.close();
      server.close();
    }
  },
};
