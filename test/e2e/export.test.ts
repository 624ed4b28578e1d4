// Export as a user does it: the notebook toolbar's `...` menu, the format quick pick and the
// save dialog (code-server's simple file dialog, accepted as proposed), then the file on
// disk. Run with `npm run test:e2e` (packages dlnb.vsix first). Screenshots: test-results/e2e/.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openNotebook, toolbarMenuItem } from './notebookUi';
import { openWorkbench, repoRoot, waitFor, type Workbench } from './workbench';

const VSIX = process.env.DLNB_E2E_VSIX ?? join(repoRoot, 'dlnb.vsix');
const MINUTE = 60_000;

const SAVED_RUN = {
  dlnb: 1,
  metadata: {},
  cells: [
    { kind: 'markdown', source: '# Handed in\n\nThe area is $\\pi r^2$.' },
    {
      kind: 'code',
      source: 'console.log("radius 2");\nMath.PI * 2 ** 2',
      execution: { order: 1, durationMs: 3, success: true },
      outputs: [
        { items: [{ mime: 'application/vnd.code.notebook.stdout', data: 'radius 2\n' }] },
        { items: [{ mime: 'text/plain', data: '12.566370614359172' }] },
      ],
    },
  ],
};

describe('export from the notebook toolbar', { timeout: 15 * MINUTE }, () => {
  let workbench: Workbench;

  before(
    async () => {
      workbench = await openWorkbench({
        vsix: VSIX,
        prepare: (workspace) => writeFileSync(join(workspace, 'homework.dlnb'), JSON.stringify(SAVED_RUN, null, 2)),
      });
    },
    { timeout: 10 * MINUTE },
  );

  after(async () => {
    await workbench?.close();
  });

  test('... > Export Notebook... > HTML writes homework.html beside the notebook', async () => {
    const { page } = workbench;
    await openNotebook(page, 'homework.dlnb');
    const menuItem = await toolbarMenuItem(page, 'Export Notebook...');
    await workbench.screenshot('export-toolbar-menu');
    await menuItem.click();

    const quickInput = page.locator('.quick-input-widget');
    const htmlRow = quickInput.locator('.monaco-list-row', { hasText: 'HTML page (.html)' });
    await htmlRow.waitFor({ timeout: 30_000 });
    await workbench.screenshot('export-format-pick');
    await htmlRow.click();

    // The save dialog proposes homework.html beside the notebook; accept it.
    const pathInput = quickInput.locator('input');
    await waitFor('the save dialog', async () => (await pathInput.inputValue()).endsWith('homework.html'), 30_000);
    await workbench.screenshot('export-save-dialog');
    await page.keyboard.press('Enter');

    const file = join(workbench.workspace, 'homework.html');
    await waitFor('homework.html to be written', async () => existsSync(file), 60_000);
    await page
      .locator('.notifications-toasts')
      .getByText(/Exported the notebook to/)
      .waitFor({ timeout: 30_000 });
    await workbench.screenshot('export-done');
    const html = readFileSync(file, 'utf8');
    assert.match(html, /<h1>Handed in<\/h1>/);
    assert.match(html, /<math/);
    assert.match(html, /<pre class="output">12.566370614359172<\/pre>/);
  });
});
