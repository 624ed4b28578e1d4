// TypeScript in cells as a user meets it in VS Code (code-server) with the packaged
// extension: typing `tf.` opens the suggestion list with tf's functions, hovering a name
// from an earlier cell shows its type, and a misspelt name gets a squiggle.
// Screenshots: test-results/e2e/language-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cellRow, openNotebook } from './notebookUi';
import { openWorkbench, repoRoot, runCommand, waitFor, type Workbench } from './workbench';

const VSIX = process.env.DLNB_E2E_VSIX ?? join(repoRoot, 'dlnb.vsix');
const MINUTE = 60_000;

const NOTEBOOK = {
  dlnb: 1,
  metadata: {},
  cells: [
    { kind: 'code', source: 'const weights = tf.randomNormal([3, 2]);' },
    { kind: 'code', source: 'weights.print();\nconst ones = tf.onez([2, 2]);' },
    { kind: 'code', source: '' },
  ],
};

describe('TypeScript in dlnb cells, in VS Code', { timeout: 15 * MINUTE }, () => {
  let workbench: Workbench;

  before(
    async () => {
      workbench = await openWorkbench({
        vsix: VSIX,
        prepare: (workspace) => writeFileSync(join(workspace, 'types.dlnb'), JSON.stringify(NOTEBOOK, null, 2)),
      });
      await openNotebook(workbench.page, 'types.dlnb');
    },
    { timeout: 10 * MINUTE },
  );

  after(async () => {
    await workbench?.close();
  });

  test('a misspelt tf function gets a squiggle and its message on hover', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    const squiggle = cellRow(page, 1).locator('.squiggly-error');
    await squiggle.first().waitFor({ timeout: 3 * MINUTE });
    assert.equal(await squiggle.count(), 1, 'one problem in the cell');
    assert.equal(await cellRow(page, 0).locator('.squiggly-error').count(), 0, 'none in the cell without a mistake');
    const hover = page.locator('.monaco-hover').filter({ visible: true });
    // Hover as a user does: over the underlined word, again if the first hover came too early.
    const word = (await cellRow(page, 1).getByText('onez', { exact: true }).boundingBox())!;
    let shown = '';
    await waitFor(
      'the problem shown on hover',
      async () => {
        await page.mouse.move(0, 0);
        await page.mouse.move(word.x + word.width / 2, word.y + word.height / 2, { steps: 3 });
        await hover
          .first()
          .waitFor({ timeout: 5000 })
          .catch(() => undefined);
        shown = (await hover.allInnerTexts()).join('\n');
        return /Property 'onez' does not exist on type 'typeof tf'/.test(shown);
      },
      2 * MINUTE,
    )
      .catch((error: Error) => {
        throw new Error(`${error.message}; the hover showed: ${shown || 'nothing'}`);
      })
      .finally(() => workbench.screenshot('language-squiggle'));

    // And in the Problems panel, under the notebook's cell.
    await page.mouse.move(0, 0);
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const markers = page.locator('.markers-panel').filter({ visible: true });
    await markers
      .getByText(/Property 'onez' does not exist/)
      .first()
      .waitFor({ timeout: MINUTE });
    assert.equal(
      await markers
        .locator('.monaco-list-row')
        .getByText(/does not exist|Cannot find/)
        .count(),
      1,
    );
    await workbench.screenshot('language-problems');
  });

  test('hovering a name from an earlier cell shows its type', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    await page.mouse.move(0, 0);
    await cellRow(page, 1).getByText('weights').first().hover();
    const hover = page.locator('.monaco-hover').filter({ visible: true });
    await hover
      .getByText(/const weights: tf\.Tensor<tf\.Rank>/)
      .first()
      .waitFor({ timeout: MINUTE });
    await workbench.screenshot('language-hover');
  });

  test('typing tf. opens the suggestions with tensor2d', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    await page.mouse.move(0, 0);
    const editor = cellRow(page, 2).locator('.monaco-editor .view-lines');
    await editor.click();
    await page.keyboard.type('tf.tens');
    const suggestions = page.locator('.suggest-widget').filter({ visible: true });
    const tensor2d = suggestions.locator('.monaco-list-row', { hasText: /^tensor2d/ });
    await waitFor('tensor2d among the suggestions', async () => (await tensor2d.count()) > 0, 2 * MINUTE);
    const labels = await suggestions.locator('.monaco-list-row .label-name').allInnerTexts();
    assert.ok(
      labels.every((l) => l.toLowerCase().includes('tens') || /t.*e.*n.*s/i.test(l)),
      `only tf members: ${labels.join(', ')}`,
    );
    await workbench.screenshot('language-completions');
    await page.keyboard.press('Escape');
  });
});
