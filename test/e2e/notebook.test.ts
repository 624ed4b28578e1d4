// dlnb as a user meets it: the packaged extension installed into VS Code (code-server),
// driven through Chromium. The tutorial runs to the end with its charts and side panel;
// an endless loop can be interrupted; a corrupt file is refused and left as it was.
// Run with `npm run test:e2e` (packages dlnb.vsix first). Screenshots: test-results/e2e/.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  cellState,
  closeAllEditors,
  notebook,
  drawnCharts,
  openNotebook,
  runAll,
  runCell,
  showPanel,
  toolbarButton,
  treeRows,
  waitForOutput,
  walkCells,
} from './notebookUi';
import { openFile, openWorkbench, repoRoot, runCommand, waitFor, type Workbench } from './workbench';

const VSIX = process.env.DLNB_E2E_VSIX ?? join(repoRoot, 'dlnb.vsix');
const TUTORIAL = 'deep-learning-basics.dlnb';
const MINUTE = 60_000;

/** A notebook that never finishes on its own, and a cell to run after it. */
const LOOP_NOTEBOOK = {
  dlnb: 1,
  metadata: {},
  cells: [
    { kind: 'code', source: "let spins = 0;\nconsole.log('spinning');\nwhile (true) {\n  spins++;\n}" },
    { kind: 'code', source: "console.log('after the interrupt:', 6 * 7);" },
  ],
};
/** A notebook no test runs: its kernel must start when it opens. */
const NOT_RUN_NOTEBOOK = { dlnb: 1, metadata: {}, cells: [{ kind: 'code', source: "console.log('never run')" }] };
/** Cut off mid-way, as a crashed editor or a bad merge leaves a file. */
const CORRUPT_NOTEBOOK = '{\n  "dlnb": 1,\n  "cells": [\n    { "kind": "code", "source": "1 +';

interface SavedCell {
  kind: string;
  source: string;
  execution?: { success?: boolean };
  outputs?: { items: { mime: string; data: unknown }[] }[];
}

function readNotebook(path: string): { cells: SavedCell[] } {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function outputMimes(cell: SavedCell): string[] {
  return (cell.outputs ?? []).flatMap((output) => output.items.map((item) => item.mime));
}

const isChart = (mime: string) => /^application\/vnd\.vegalite\.v\d+\+json$/.test(mime);

describe('dlnb in VS Code', { timeout: 40 * MINUTE }, () => {
  let workbench: Workbench;

  before(
    async () => {
      workbench = await openWorkbench({
        vsix: VSIX,
        prepare: (workspace) => {
          copyFileSync(join(repoRoot, 'examples', TUTORIAL), join(workspace, TUTORIAL));
          writeFileSync(join(workspace, 'endless-loop.dlnb'), JSON.stringify(LOOP_NOTEBOOK, null, 2));
          writeFileSync(join(workspace, 'corrupt.dlnb'), CORRUPT_NOTEBOOK);
          writeFileSync(join(workspace, 'not-run-yet.dlnb'), JSON.stringify(NOT_RUN_NOTEBOOK, null, 2));
        },
      });
    },
    { timeout: 10 * MINUTE },
  );

  afterEach(async (t) => {
    await workbench?.screenshot(t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    await closeAllEditors(workbench.page);
  });

  after(async () => {
    await workbench?.close();
  });

  test('a corrupt .dlnb shows an error and stays unchanged on disk', { timeout: 5 * MINUTE }, async () => {
    const { page, workspace } = workbench;
    const file = join(workspace, 'corrupt.dlnb');
    const original = readFileSync(file);

    await openFile(page, 'corrupt.dlnb');

    // VS Code's error in place of the editor, or dlnb's own message.
    const error = page.getByText(/could not be opened|dlnb cannot open this notebook/).filter({ visible: true });
    await error.first().waitFor({ timeout: 3 * MINUTE });
    // And dlnb says why, with the line and column of the problem.
    const reason = page
      .getByText(/dlnb cannot open this notebook\. Not valid JSON at line \d+, column \d+/)
      .filter({ visible: true });
    await reason.first().waitFor({ timeout: MINUTE });
    assert.equal(await notebook(page).count(), 0, 'no notebook editor opened on the corrupt file');
    // Saving whatever the workbench holds must not replace the file with an empty notebook.
    await runCommand(page, 'File: Save All Files');
    assert.deepEqual(readFileSync(file), original, 'corrupt.dlnb changed on disk');
  });

  test('an endless loop is interrupted and the kernel runs the next cell', { timeout: 10 * MINUTE }, async () => {
    const { page } = workbench;
    await openNotebook(page, 'endless-loop.dlnb');

    await runCell(page, 0);
    // Interrupt the loop itself, not a kernel still starting: wait for what it prints first.
    await waitForOutput(page, /spinning/, 3 * MINUTE);
    assert.equal(await cellState(page, 0), 'running');
    await toolbarButton(page, 'Interrupt').click();
    await waitFor('the loop cell to stop', async () => (await cellState(page, 0)) !== 'running', 2 * MINUTE);
    assert.equal(await cellState(page, 0), 'error', 'an interrupted cell is marked as not completed');
    await waitForOutput(page, /interrupted/i);

    await runCell(page, 1);
    await waitFor('the next cell to succeed', async () => (await cellState(page, 1)) === 'success', 2 * MINUTE);
    await waitForOutput(page, /after the interrupt: 42/);
  });

  test('opening a notebook starts its kernel before any cell runs', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    await openNotebook(page, 'not-run-yet.dlnb');
    // The status bar names the backend once the kernel has started; no cell has run.
    const status = page.locator('.statusbar-item').filter({ hasText: /TF\.js wasm: idle/ });
    await status.first().waitFor({ timeout: 2 * MINUTE });
    assert.equal(await cellState(page, 0), 'idle', 'a cell ran');
    await showPanel(page);
    const state = await waitFor(
      'the Kernel view to show the started kernel',
      async () => (await treeRows(page, 'Kernel')).find((row) => row.label === 'State' && row.description === 'idle'),
      MINUTE,
    );
    assert.ok(state);
    await workbench.screenshot('kernel-started-on-open');
  });

  test(
    'Run All runs the tutorial: every cell succeeds, w and b near 5 and 7, charts drawn, panel filled',
    { timeout: 30 * MINUTE },
    async () => {
      const { page, workspace } = workbench;
      const file = join(workspace, TUTORIAL);
      await openNotebook(page, TUTORIAL);
      await runAll(page, 25 * MINUTE);
      await workbench.screenshot('tutorial-after-run-all');

      // What VS Code holds, as the serializer saves it: every code cell ran and succeeded.
      await runCommand(page, 'File: Save');
      const saved = await waitFor(
        'the tutorial to be saved with its outputs',
        async () => {
          const cells = readNotebook(file).cells;
          return cells.some((cell) => cell.outputs?.length) ? cells : undefined;
        },
        MINUTE,
      );
      const code = saved.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.kind === 'code');
      const failed = code.filter(({ cell }) => cell.execution?.success !== true).map(({ index }) => index + 1);
      assert.deepEqual(failed, [], `cells that did not succeed: ${failed.join(', ')}`);

      // Walk through the notebook so each cell's outputs draw; at each chart cell wait for its chart.
      let chartsSoFar = 0;
      await walkCells(page, saved.length, async (index) => {
        const charts = outputMimes(saved[index]).filter(isChart).length;
        if (charts === 0) return;
        chartsSoFar += charts;
        await waitFor(
          `the chart of cell ${index + 1} to be drawn as SVG or canvas`,
          async () => (await drawnCharts(page).count()) >= chartsSoFar,
          MINUTE,
        );
      });
      assert.ok(chartsSoFar >= 1, 'the tutorial has charts');

      const learned = await waitForOutput(page, /learned: w = (-?[\d.]+), b = (-?[\d.]+)/);
      const [w, b] = [Number(learned[1]), Number(learned[2])];
      assert.ok(Math.abs(w - 5) < 0.15, `w = ${w}, expected within 0.15 of 5`);
      assert.ok(Math.abs(b - 7) < 0.15, `b = ${b}, expected within 0.15 of 7`);

      await showPanel(page);
      // The tutorial's first model is a Linear(1, 1): a weight of shape [1,1] and a bias of [1].
      await waitFor(
        'the Parameters view to list weight [1,1] and bias [1]',
        async () => {
          const rows = await treeRows(page, 'Parameters');
          const weight = rows.find((row) => row.label === 'weight' && row.description.startsWith('[1,1]'));
          const bias = rows.find((row) => row.label === 'bias' && row.description.startsWith('[1]'));
          return weight && bias ? { weight, bias } : undefined;
        },
        MINUTE,
      );

      // The training cell's 3000 epochs, one optimizer step each.
      await waitFor(
        'Loss History to show a run of 3000 steps',
        async () => (await treeRows(page, 'Loss History')).find((row) => stepCount(row.description) === 3000),
        MINUTE,
      );
      await workbench.screenshot('tutorial-panel');
    },
  );
});

/** "last 0.0613 · best 0.0612 · 3,000 steps" -> 3000 */
function stepCount(description: string): number | undefined {
  const match = description.match(/([\d,]+) steps?\b/);
  return match ? Number(match[1].replace(/,/g, '')) : undefined;
}
