// What a user does with a notebook in the workbench, as Playwright steps: open it, press a
// toolbar button, run one cell, walk through the cells so their outputs draw, read outputs
// from the output webview, and read the DL Notebook side panel.
import type { Locator, Page } from 'playwright-core';
import { activityBarItem, openFile, outputFrame, runCommand, waitFor } from './workbench';

/** The notebook editor in front (VS Code draws notebooks in an overlay above the editor area). */
export function notebook(page: Page): Locator {
  return page.locator('.notebookOverlay').filter({ visible: true });
}

export function cellRow(page: Page, index: number): Locator {
  return notebook(page).locator(`.monaco-list-row[data-index="${index}"]`);
}

export function toolbarButton(page: Page, label: string): Locator {
  return notebook(page).locator(`.notebook-toolbar-container .action-label[aria-label="${label}"]`);
}

/** Opens a workspace notebook and waits until its cells (not just an empty editor) show. */
export async function openNotebook(page: Page, fileName: string): Promise<void> {
  await openFile(page, fileName);
  // Cells appear once the extension has activated and its serializer read the file.
  await cellRow(page, 0).waitFor({ state: 'attached', timeout: 180_000 });
  await toolbarButton(page, 'Run All').waitFor({ timeout: 60_000 });
}

/**
 * Opens the notebook toolbar's `...` menu and returns its item `label`. The toolbar is drawn
 * again when the kernel picker fills in, which can swallow a click or close a menu just
 * opened on a slow machine: click again until the item shows.
 */
export async function toolbarMenuItem(page: Page, label: string): Promise<Locator> {
  const more = toolbarButton(page, 'More...')
    .or(notebook(page).locator('.notebook-toolbar-container .codicon-toolbar-more'))
    .first();
  const item = page.locator('.monaco-menu .action-item').filter({ hasText: label });
  await waitFor(
    `the notebook toolbar's ... menu to show ${label}`,
    async () => {
      if (await item.isVisible()) return true;
      await more.click({ timeout: 5_000 });
      await item.waitFor({ timeout: 5_000 }).catch(() => undefined);
      return item.isVisible();
    },
    60_000,
  );
  return item;
}

/**
 * Presses Run All and waits for the whole run to end: the toolbar's Run All turns into
 * Interrupt while cells run and comes back when the last one has finished.
 */
export async function runAll(page: Page, timeoutMs: number): Promise<void> {
  await toolbarButton(page, 'Run All').click();
  await toolbarButton(page, 'Interrupt').waitFor({ timeout: 60_000 });
  await toolbarButton(page, 'Run All').waitFor({ timeout: timeoutMs });
}

/** Closes every editor, discarding unsaved changes (what a test changed is not worth keeping). */
export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  const dontSave = page.locator('.monaco-dialog-box').getByRole('button', { name: "Don't Save" });
  await waitFor(
    'all editors to close',
    async () => {
      if (await dontSave.isVisible()) await dontSave.click();
      return (await page.locator('.tabs-container .tab').count()) === 0;
    },
    30_000,
  );
}

/** Runs one cell with the run button in its gutter. */
export async function runCell(page: Page, index: number): Promise<void> {
  const row = cellRow(page, index);
  await row.scrollIntoViewIfNeeded();
  await row.hover();
  await row.locator('.run-button-container .action-label').first().click();
}

export type CellState = 'success' | 'error' | 'running' | 'idle';

/** The run state VS Code shows in a cell's status bar. */
export async function cellState(page: Page, index: number): Promise<CellState> {
  const status = cellRow(page, index).locator('.cell-status-left');
  if (await status.locator('.codicon-notebook-state-success').count()) return 'success';
  if (await status.locator('.codicon-notebook-state-error').count()) return 'error';
  if (await status.locator('.codicon-loading, .codicon-notebook-state-executing, .codicon-sync').count()) {
    return 'running';
  }
  return 'idle';
}

/**
 * Moves the cell focus from the first cell to the last, one cell at a time, waiting at each
 * for VS Code to show it: outputs are drawn into the webview only once their cell is in view.
 * `atCell` runs at each stop (to wait for that cell's outputs).
 */
export async function walkCells(page: Page, count: number, atCell: (index: number) => Promise<void>): Promise<void> {
  // Keyboard focus on the cell list itself (command mode): the arrow keys move between cells.
  await notebook(page).locator('.monaco-list').first().focus();
  await page.keyboard.press('Control+Home');
  for (let index = 0; index < count; index++) {
    if (index > 0) await page.keyboard.press('ArrowDown');
    // Markdown rows count as hidden (their text draws in the webview): wait for presence.
    await notebook(page)
      .locator(`.monaco-list-row.focused[data-index="${index}"]`)
      .waitFor({ state: 'attached', timeout: 30_000 });
    await atCell(index);
  }
}

/** Charts drawn in the output webview (vega-embed leaves an SVG or a canvas of class `marks`). */
export function drawnCharts(page: Page): Locator {
  return outputFrame(page).locator('.dlnb-chart svg.marks, .dlnb-chart canvas.marks');
}

/** All text shown in the output webview. */
export async function outputText(page: Page): Promise<string> {
  return outputFrame(page).locator('body').innerText();
}

/** Waits until the output webview shows text matching `pattern`; returns the match. */
export function waitForOutput(page: Page, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return waitFor(`output matching ${pattern}`, async () => (await outputText(page)).match(pattern), timeoutMs);
}

export interface TreeRow {
  label: string;
  description: string;
}

/** Opens the DL Notebook side panel. */
export async function showPanel(page: Page): Promise<void> {
  const icon = activityBarItem(page, 'DL Notebook');
  if ((await icon.getAttribute('aria-selected')) !== 'true') await icon.click();
}

/** Rows of one view of the side bar (e.g. "Parameters"), as label and description. */
export async function treeRows(page: Page, viewName: string): Promise<TreeRow[]> {
  const pane = page.locator('.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: viewName }) });
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
    })),
  );
}
