// Outputs and the side panel as a VS Code user meets them, in code-server through Chromium:
// a chart's legend stays uncovered while the pointer is over the chart; a tensor draws as
// a table and heatmap; a model as its summary; an error thrown inside tfjs names its cell
// and line in VS Code's error output; a redeclared tensor is named; one stop button shows
// while a cell runs; Show Values opens beside the notebook in one group, however often.
// Run with `npm run test:e2e` (packages dlnb.vsix first). Screenshots: test-results/e2e/.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { cellState, notebook, openNotebook, runCell, showPanel, treeRows, waitForOutput, walkCells } from './notebookUi';
import { openWorkbench, outputFrame, repoRoot, waitFor, type Workbench } from './workbench';

// Callbacks given to evaluate run in the page; the Node tsconfig has no DOM types.
declare const getComputedStyle: (el: unknown) => { color: string };

const VSIX = process.env.DLNB_E2E_VSIX ?? join(repoRoot, 'dlnb.vsix');
const MINUTE = 60_000;

const CELLS = [
  "plot.lines({ L1: [3, 2, 1.5, 1.2], L2: [3, 2.5, 2, 1.9] }, { title: 'Penalties' });",
  'const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);\nx',
  'const net = new dl.nn.Sequential(new dl.nn.Linear(2, 3), new dl.nn.ReLU(), new dl.nn.Linear(3, 1));\nnet',
  'const x = tf.tensor([1, 2, 3]);\nx.reshape([2, 2]);',
  "await new Promise((done) => setTimeout(done, 5000));\n'waited'",
  "for (let step = 0; step < 5; step++) {\n  history.log('first', 5 - step);\n  history.log('second', 10 - step);\n}",
];
const OUTPUTS_NOTEBOOK = { dlnb: 1, metadata: {}, cells: CELLS.map((source) => ({ kind: 'code', source })) };

/** Brings a cell into view (the cell list draws only the rows on screen) and runs it. */
async function runInView(workbench: Workbench, index: number): Promise<void> {
  await walkCells(workbench.page, index + 1, async () => undefined);
  await runCell(workbench.page, index);
}

/** Titles of the loss-curve charts drawn in any webview frame. */
async function curveTitles(page: Page): Promise<string[]> {
  const titles: string[] = [];
  for (const frame of page.frames()) {
    const found = await frame
      .evaluate(() =>
        [...(globalThis as any).document.querySelectorAll('#chart .role-title-text text')].map(
          (t: any) => t.textContent as string,
        ),
      )
      .catch(() => [] as string[]);
    titles.push(...found);
  }
  return titles;
}

async function runAndWait(workbench: Workbench, index: number, state: 'success' | 'error'): Promise<void> {
  await runInView(workbench, index);
  await waitFor(`cell ${index + 1} to end`, async () => (await cellState(workbench.page, index)) === state, 3 * MINUTE);
}

describe('dlnb outputs and panel in VS Code', { timeout: 20 * MINUTE }, () => {
  let workbench: Workbench;

  before(
    async () => {
      workbench = await openWorkbench({
        vsix: VSIX,
        prepare: (workspace) => writeFileSync(join(workspace, 'outputs.dlnb'), JSON.stringify(OUTPUTS_NOTEBOOK, null, 2)),
      });
      await openNotebook(workbench.page, 'outputs.dlnb');
    },
    { timeout: 10 * MINUTE },
  );

  after(async () => {
    await workbench?.close();
  });

  test(
    'a chart keeps its legend uncovered while hovered; its menu opens only on its button',
    { timeout: 5 * MINUTE },
    async () => {
      const { page } = workbench;
      await runAndWait(workbench, 0, 'success');
      const frame = outputFrame(page);
      const labels = frame.locator('.dlnb-chart .role-legend-label text');
      await labels.first().waitFor({ timeout: MINUTE });
      await frame.locator('.dlnb-chart').first().hover();
      await frame.locator('.dlnb-chart-menu').first().waitFor();
      await workbench.screenshot('outputs-chart-hovered');
      const uncovered = await labels.evaluateAll((texts) =>
        texts.map((label) => {
          const box = label.getBoundingClientRect();
          const top = label.ownerDocument.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
          const svg = (label as unknown as { ownerSVGElement: { contains(node: unknown): boolean } | null }).ownerSVGElement;
          return svg?.contains(top) ?? false;
        }),
      );
      assert.deepEqual(uncovered, [true, true], 'nothing covers the L1 and L2 legend entries');
      assert.equal(await frame.locator('.vega-actions').first().isVisible(), false, 'the export menu is closed');
      await frame.locator('.dlnb-chart-menu').first().click();
      assert.ok(await frame.locator('.vega-actions').first().isVisible());
      await page.keyboard.press('Escape');
      await waitFor('the menu to close', async () => !(await frame.locator('.vega-actions').first().isVisible()), 10_000);
    },
  );

  test('a tensor draws as a table with a heatmap; a model as its summary', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    await runAndWait(workbench, 1, 'success');
    await runAndWait(workbench, 2, 'success');
    const frame = outputFrame(page);
    await frame.locator('.dlnb-tensor tbody td').first().waitFor({ timeout: MINUTE });
    assert.deepEqual(await frame.locator('.dlnb-tensor tbody td').allTextContents(), ['1', '2', '3', '4', '5', '6']);
    assert.equal(await frame.locator('.dlnb-tensor canvas.dlnb-heatmap').count(), 1);
    await frame.locator('.dlnb-model').waitFor({ timeout: MINUTE });
    assert.match(
      await frame.locator('.dlnb-model').innerText(),
      /Linear[\s\S]*\[batch, 3\][\s\S]*13 parameters: 13 trainable, 0 not trainable/,
    );
    await workbench.screenshot('outputs-tensor-and-model');
  });

  test('an error inside tfjs names its cell and line; the replaced tensor is named', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    await runAndWait(workbench, 3, 'error');
    await waitForOutput(page, /Size\(3\) must match the product of shape 2,2[\s\S]*cell 4, line 2/);
    await waitForOutput(page, /`x` \(a \[2,3\] float32 tensor from cell 2\) was replaced/);
    // VS Code's error output, in the theme's red.
    const name = outputFrame(page)
      .locator('.traceback span', { hasText: /^Error$/ })
      .first();
    const colour = await name.evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = colour.match(/\d+/g)!.map(Number);
    assert.ok(r > g + 60 && r > b + 60, `the error's name is red (${colour})`);
    await workbench.screenshot('outputs-error');
  });

  test('one stop button while a cell runs', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    await runInView(workbench, 4);
    await waitFor('the cell to run', async () => (await cellState(page, 4)) === 'running', MINUTE);
    const stops = notebook(page).locator('.notebook-toolbar-container .action-label[aria-label*="Interrupt"]');
    await stops.first().waitFor();
    await workbench.screenshot('outputs-running');
    assert.equal(await stops.count(), 1, 'VS Code’s Interrupt only');
    await waitFor('the cell to end', async () => (await cellState(page, 4)) === 'success', MINUTE);
  });

  test(
    'the Parameters view reads at its default width; Show Values reuses one group beside the notebook',
    { timeout: 5 * MINUTE },
    async () => {
      const { page } = workbench;
      await showPanel(page);
      const rows = await waitFor(
        'the Parameters rows',
        async () => {
          const found = await treeRows(page, 'Parameters');
          return found.some((row) => row.label === 'x') ? found : undefined;
        },
        MINUTE,
      );
      assert.equal(rows.find((row) => row.label === 'x')?.description, '[3] = [1, 2, 3]');
      // A model's row shows its summary on hover.
      const pane = page.locator('.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: 'Parameters' }) });
      await pane
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: /^net$/ }) })
        .first()
        .hover();
      await page.locator('.monaco-hover', { hasText: 'Output shape' }).waitFor({ timeout: 30_000 });
      await workbench.screenshot('outputs-parameters-hover');
      // No description is cut off at the default side-bar width.
      const cut = await pane
        .locator('.monaco-list-row .label-description')
        .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
      assert.deepEqual(cut, []);

      // Twice: values change as a model trains, so each opening is a new document.
      for (let opening = 0; opening < 2; opening++) {
        const row = pane
          .locator('.monaco-list-row')
          .filter({ has: page.locator('.label-name', { hasText: /^x$/ }) })
          .first();
        await row.hover();
        await row.locator('.action-label[aria-label="Show Values"]').click();
        await page.locator('.tab', { hasText: '.jsonc' }).first().waitFor({ timeout: 30_000 });
      }
      await workbench.screenshot('outputs-show-values');
      assert.equal(await page.locator('.editor-group-container').count(), 2, 'the notebook and one group beside it');

      // Two loss curves, one after the other: one chart panel, in that same group.
      await runAndWait(workbench, 5, 'success');
      const loss = page.locator('.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: 'Loss History' }) });
      for (const run of ['first', 'second']) {
        const row = loss
          .locator('.monaco-list-row')
          .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${run}`) }) })
          .first();
        await row.waitFor({ timeout: MINUTE });
        await row.hover();
        await row.locator('.action-label[aria-label="Show Loss Curve"]').click();
        await page.locator('.tab', { hasText: `Loss: ${run}` }).waitFor({ timeout: 30_000 });
      }
      // The reused panel draws the second run's curve (its title is the run's name).
      await waitFor('the second curve to draw', () => curveTitles(page).then((titles) => titles.includes('second')), 2 * MINUTE);
      await workbench.screenshot('outputs-loss-curves');
      assert.equal(await page.locator('.tab', { hasText: 'Loss:' }).count(), 1, 'the chart panel is reused');
      assert.equal(await page.locator('.editor-group-container').count(), 2, 'still the notebook and one group beside it');
    },
  );
});
