// A user's VS Code for the end-to-end tests: code-server with the packaged extension
// installed, a workspace folder of our own, and Debian's Chromium driven by playwright-core.
// Helpers act as a user does (keyboard, command palette, clicks) and poll; none sleeps.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium } from '../chromium';
import { createProfile, installExtension, startCodeServer, type CodeServer, type Profile } from '../../scripts/code-server.mjs';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const resultsDir = join(repoRoot, 'test-results', 'e2e');

export { launchChromium };

export interface Workbench {
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** The folder open in VS Code; tests put their notebooks here. */
  workspace: string;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts code-server with `vsix` installed and `workspace` populated by `prepare`, then opens
 * the workbench in Chromium and waits until the extension's activity-bar icon shows. With a
 * `locale` (and its language pack, from `prepareProfile`), VS Code runs in that display language and
 * the icon is found by `activityTitle`.
 */
export async function openWorkbench(options: {
  vsix: string;
  prepare(workspace: string): void;
  locale?: string;
  activityTitle?: string;
  /** Runs before code-server starts, e.g. to install a language pack. */
  prepareProfile?(profile: Profile): Promise<void>;
}): Promise<Workbench> {
  const root = mkdtempSync(join(tmpdir(), 'dlnb-e2e-'));
  const workspace = join(root, 'workspace');
  mkdirSync(workspace);
  options.prepare(workspace);
  mkdirSync(resultsDir, { recursive: true });

  const profile = createProfile(join(root, 'profile'), { 'files.autoSave': 'off' });
  await options.prepareProfile?.(profile);
  await installExtension(profile, options.vsix);
  const server = await startCodeServer({ profile, folder: workspace, locale: options.locale });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server.stop();
    // Keep the server log with the screenshots; the rest of the profile is noise.
    cpSync(profile.logFile, join(resultsDir, 'code-server.log'));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const screenshot = async (name: string) => {
      await page.screenshot({ path: join(resultsDir, `${name}.png`) }).catch(() => undefined);
    };
    // A cold code-server on a busy machine can take longer than the default 30 s to load.
    await page.goto(server.workbenchUrl(workspace), { timeout: 180_000 });
    await activityBarItem(page, options.activityTitle ?? 'DL Notebook').waitFor({ timeout: 120_000 });
    return { server, browser, page, workspace, screenshot, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export function activityBarItem(page: Page, name: string): Locator {
  return page.locator('.activitybar').getByRole('tab', { name, exact: true });
}

/** Runs a command from the command palette, by its full title as listed there. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const palette = page.locator('.quick-input-widget');
  await page.keyboard.press('Control+Shift+P');
  const input = palette.locator('input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // Fuzzy matching may rank another command first ("File: Compare Active File with Saved"
  // for "File: Save"): pick the row whose label is exactly the title.
  const row = palette.locator('.monaco-list-row').filter({ has: page.locator('.label-name').getByText(title, { exact: true }) });
  await row.first().click({ timeout: 30_000 });
  await palette.waitFor({ state: 'hidden' });
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a user would. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  const palette = page.locator('.quick-input-widget');
  await page.keyboard.press('Control+P');
  const input = palette.locator('input');
  await input.waitFor();
  await input.fill(fileName);
  await palette.locator('.monaco-list-row.focused', { hasText: fileName }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'hidden' });
}

/** The active notebook editor (the notebook's cell list and its toolbar). */
export function notebookEditor(page: Page): Locator {
  return page.locator('.notebook-editor').filter({ visible: true }).first();
}

/** Where cell outputs are drawn: the notebook's webview, one frame inside another. */
export function outputFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Polls `probe` until it returns something truthy; `what` names it in the timeout error. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let interval = 100; ; interval = Math.min(interval * 2, 1000)) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${detail}`);
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, interval));
  }
}
