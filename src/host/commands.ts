// The dlnb commands: new notebook, the tutorial, kernel restart/interrupt, the log, and the
// status bar's quick pick of kernel actions.
import * as vscode from 'vscode';
import { notebookUriFromArg } from './commandArgs';
import { NOTEBOOK_TYPE, type DlnbController } from './controller';
import { converterLoader, EXPORT_COMMAND, exportNotebookCommand, IMPORT_COMMAND, importJupyterCommand } from './exportCommands';
import { describeError } from './format';
import type { KernelManager } from './kernel/kernelManager';
import { KERNEL_ACTIONS_COMMAND } from './kernelStatus';
import type { Log } from './log';
import { CELL_LANGUAGE } from './serializer';

export interface CommandContext {
  kernels: KernelManager;
  controller: DlnbController;
  serializer: vscode.NotebookSerializer;
  log: Log;
  extensionUri: vscode.Uri;
}

export const TUTORIAL_PATH = ['examples', 'deep-learning-basics.dlnb'];
export const CHINESE_TUTORIAL_PATH = ['examples', 'deep-learning-basics.zh-CN.dlnb'];

/** The tutorial's edition for VS Code's display language: Chinese for zh-cn (Simplified), else English. */
export function tutorialPathFor(language: string): string[] {
  return /^zh(-(cn|sg|hans)\b|$)/i.test(language) ? CHINESE_TUTORIAL_PATH : TUTORIAL_PATH;
}

export function registerCommands(ctx: CommandContext): vscode.Disposable {
  const loadConverter = converterLoader(ctx.extensionUri);
  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        ctx.log.error(`Command ${id} failed`, err);
        const showLog = vscode.l10n.t('Show Log');
        const choice = await vscode.window.showErrorMessage(`dlnb: ${describeError(err)}`, showLog);
        if (choice === showLog) ctx.log.show();
      }
    });

  return vscode.Disposable.from(
    command('dlnb.newNotebook', () => openUntitled(newNotebookData())),
    command('dlnb.openTutorial', () => openTutorial(ctx)),
    command('dlnb.restartKernel', (arg) => restartKernel(ctx, arg)),
    command('dlnb.interruptKernel', async (arg) => {
      const notebook = notebookFor(arg);
      if (notebook) await ctx.controller.interrupt(notebook);
    }),
    command('dlnb.showLog', () => ctx.log.show()),
    command(EXPORT_COMMAND, (arg, format, target) => exportNotebookCommand(loadConverter, notebookFor(arg), format, target)),
    command(IMPORT_COMMAND, (source, target) => importJupyterCommand(loadConverter, source, target)),
    command(KERNEL_ACTIONS_COMMAND, () => kernelActions(ctx)),
  );
}

/** The notebook a command means: the one named by its argument, else the active dlnb notebook. */
export function notebookFor(arg: unknown): vscode.NotebookDocument | undefined {
  const uri = notebookUriFromArg<vscode.Uri>(arg);
  const notebook = uri
    ? vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri.toString())
    : vscode.window.activeNotebookEditor?.notebook;
  if (notebook?.notebookType === NOTEBOOK_TYPE) return notebook;
  void vscode.window.showInformationMessage(vscode.l10n.t('Open a DL notebook (.dlnb) first.'));
  return undefined;
}

function newNotebookData(): vscode.NotebookData {
  return new vscode.NotebookData([
    new vscode.NotebookCellData(
      vscode.NotebookCellKind.Markup,
      '# New notebook\n\nCells are TypeScript; `tf` is TensorFlow.js. Run a cell with Shift+Enter.',
      'markdown',
    ),
    new vscode.NotebookCellData(
      vscode.NotebookCellKind.Code,
      // tf.tidy frees the tensors made inside it, so the first run leaves none behind.
      'tf.tidy(() => {\n  const x = tf.tensor([1, 2, 3, 4]);\n  return x.square().sum().arraySync();\n})',
      CELL_LANGUAGE,
    ),
  ]);
}

async function openUntitled(data: vscode.NotebookData): Promise<vscode.NotebookEditor> {
  const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  return vscode.window.showNotebookDocument(notebook);
}

/**
 * Opens a copy of the shipped tutorial, untitled, so what the user saves is theirs; in the
 * edition of VS Code's display language.
 */
async function openTutorial(ctx: CommandContext): Promise<vscode.NotebookEditor> {
  const file = vscode.Uri.joinPath(ctx.extensionUri, ...tutorialPathFor(vscode.env.language));
  const bytes = await vscode.workspace.fs.readFile(file);
  const data = await ctx.serializer.deserializeNotebook(bytes, new vscode.CancellationTokenSource().token);
  return openUntitled(data);
}

async function restartKernel(ctx: CommandContext, arg: unknown): Promise<void> {
  const notebook = notebookFor(arg);
  if (!notebook) return;
  if (!ctx.kernels.get(notebook)) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('This notebook has no kernel yet: one starts, fresh, on the first run.'),
    );
    return;
  }
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Restarting the dlnb kernel') },
    () => ctx.kernels.restart(notebook),
  );
}

async function kernelActions(ctx: CommandContext): Promise<void> {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  const actions: Array<vscode.QuickPickItem & { run: () => unknown }> = [
    {
      label: `$(debug-restart) ${vscode.l10n.t('Restart Kernel')}`,
      detail: vscode.l10n.t('Clear all variables and tensors'),
      run: () => restartKernel(ctx, notebook?.uri),
    },
    {
      label: `$(debug-stop) ${vscode.l10n.t('Interrupt Kernel')}`,
      detail: vscode.l10n.t('Stop the running cell and the queued ones'),
      run: () => notebook && ctx.controller.interrupt(notebook),
    },
    {
      label: `$(layout-sidebar-left) ${vscode.l10n.t('Show Kernel View')}`,
      detail: vscode.l10n.t('Parameters, loss history and tensor memory'),
      run: () => vscode.commands.executeCommand('dlnb.kernel.focus'),
    },
    { label: `$(output) ${vscode.l10n.t('Show Log')}`, run: () => ctx.log.show() },
  ];
  const choice = await vscode.window.showQuickPick(actions, { title: vscode.l10n.t('dlnb kernel') });
  await choice?.run();
}
