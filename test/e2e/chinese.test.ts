// dlnb for a Chinese-speaking learner: VS Code (code-server) started with `--locale zh-cn`
// and a zh-cn language pack (a stand-in: languagePack.ts), the packaged extension installed. Its commands, side panel and views read in Chinese
// (package.nls.zh-cn.json), and the tutorial command opens the Chinese edition.
// Run with `npm run test:e2e`. Screenshots: test-results/e2e/zh-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { notebook } from './notebookUi';
import { installChineseLanguagePack } from './languagePack';
import { activityBarItem, openWorkbench, outputFrame, repoRoot, runCommand, waitFor, type Workbench } from './workbench';

const VSIX = process.env.DLNB_E2E_VSIX ?? join(repoRoot, 'dlnb.vsix');
const MINUTE = 60_000;
const ACTIVITY_TITLE = 'DL 笔记本';
const TUTORIAL_COMMAND = 'dlnb: 打开深度学习基础教程';

describe('dlnb in VS Code, in Chinese', { timeout: 15 * MINUTE }, () => {
  let workbench: Workbench;

  before(
    async () => {
      workbench = await openWorkbench({
        vsix: VSIX,
        prepareProfile: installChineseLanguagePack,
        prepare: () => undefined,
        locale: 'zh-cn',
        activityTitle: ACTIVITY_TITLE,
      });
    },
    { timeout: 10 * MINUTE },
  );

  after(async () => {
    await workbench?.close();
  });

  test('the command palette and the side panel show Chinese titles', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    const palette = page.locator('.quick-input-widget');
    await page.keyboard.press('Control+Shift+P');
    await palette.locator('input').fill('>dlnb');
    const labels = palette.locator('.monaco-list-row .label-name');
    const titles = await waitFor(
      'the palette to list the dlnb commands in Chinese',
      async () => {
        const texts = await labels.allInnerTexts();
        return texts.includes(TUTORIAL_COMMAND) && texts.includes('dlnb: 新建 DL 笔记本') ? texts : undefined;
      },
      MINUTE,
    );
    await workbench.screenshot('zh-command-palette');
    await page.keyboard.press('Escape');
    assert.ok(titles.includes('dlnb: 显示日志'), `palette rows: ${titles.join(' | ')}`);

    await activityBarItem(page, ACTIVITY_TITLE).click();
    const headers = page.locator('.sidebar .pane-header');
    await waitFor(
      'the panel views 参数, 损失历史 and 内核',
      async () => {
        const text = (await headers.allInnerTexts()).join(' | ');
        return ['参数', '损失历史', '内核'].every((name) => text.includes(name)) ? text : undefined;
      },
      MINUTE,
    );
    await page.locator('.sidebar').getByText('打开深度学习基础教程').first().waitFor({ timeout: MINUTE });
  });

  test('the tutorial command opens the Chinese edition', { timeout: 5 * MINUTE }, async () => {
    const { page } = workbench;
    await runCommand(page, TUTORIAL_COMMAND);
    try {
      // Markdown cells are drawn in the notebook's output webview, as outputs are.
      await notebook(page)
        .first()
        .waitFor({ timeout: 2 * MINUTE });
      // Markdown previews live in shadow roots, which innerText skips; text locators pierce them.
      await outputFrame(page)
        .getByText(/深度学习基础/)
        .first()
        .waitFor({ timeout: 2 * MINUTE });
      await outputFrame(page)
        .getByText(/机器如何从数据中学习/)
        .first()
        .waitFor({ timeout: MINUTE });
    } finally {
      await workbench.screenshot('zh-tutorial');
    }
  });
});
