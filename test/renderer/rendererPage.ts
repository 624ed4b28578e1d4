// A real Chromium page under the notebook webview's strict CSP (no eval, no network),
// with a built renderer bundle served as /renderer.js and driven by the harness the way
// VS Code drives it. Shared by the chart and the value renderer tests.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../chromium';

const root = join(import.meta.dirname, '..', '..');
export { CHROMIUM };
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'none'",
].join('; ');

export interface RendererPage {
  page: Page;
  base: string;
  /** URLs the page asked for. */
  requests: string[];
  /** Uncaught errors and console errors in the page. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Opens the harness with `bundle` (a path under the repository) as its renderer. */
export async function openRendererPage(bundle: string): Promise<RendererPage> {
  if (!existsSync(CHROMIUM)) assert.fail(`${CHROMIUM} is missing; run: apt-get install chromium`);
  if (!existsSync(resolve(root, bundle))) assert.fail(`${bundle} is missing; run: npm run build`);
  const files: Record<string, { path: string; type: string }> = {
    '/index.html': { path: 'test/renderer/page/index.html', type: 'text/html' },
    '/harness.js': { path: 'test/renderer/page/harness.js', type: 'text/javascript' },
    '/page.css': { path: 'test/renderer/page/page.css', type: 'text/css' },
    '/renderer.js': { path: bundle, type: 'text/javascript' },
  };
  const server: Server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      // The browser asks for /favicon.ico on its own; anything else is a bug in the test.
      res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-security-policy': CSP });
    res.end(readFileSync(resolve(root, file.path)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await launchChromium();
  const page = await browser.newPage();
  const requests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return {
    page,
    base,
    requests,
    pageErrors,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}
