// What the window shows about the active notebook's kernel: a status bar item (state,
// backend, live tensors; click for kernel actions) and the context keys menus use
// (`dlnb.kernelBusy` for the interrupt button, `dlnb.hasNotebook` for the panel's welcome).
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE, type DlnbController } from './controller';
import { formatBytes, statusBarText } from './format';
import type { KernelManager } from './kernel/kernelManager';

export const KERNEL_ACTIONS_COMMAND = 'dlnb.kernelActions';

export class KernelStatusView implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dlnb.kernelStatus', vscode.StatusBarAlignment.Left, 100);
  private readonly subscriptions: vscode.Disposable[];
  /** Context key values last set, so unchanged ones are not sent again. */
  private readonly contextValues = new Map<string, boolean>();

  constructor(
    private readonly kernels: KernelManager,
    private readonly controller: DlnbController,
  ) {
    this.item.name = 'dlnb Kernel';
    this.item.command = KERNEL_ACTIONS_COMMAND;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      vscode.workspace.onDidOpenNotebookDocument(() => this.update()),
      vscode.workspace.onDidCloseNotebookDocument(() => this.update()),
      kernels.onDidChangeStatus(() => this.update()),
      controller.onDidChangeBusy(() => this.update()),
    ];
    this.update();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private update(): void {
    this.setContext('hasNotebook', vscode.workspace.notebookDocuments.some((nb) => nb.notebookType === NOTEBOOK_TYPE));
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE || notebook.isClosed) {
      this.setContext('kernelBusy', false);
      this.item.hide();
      return;
    }
    const status = this.kernels.status(notebook);
    this.setContext('kernelBusy', this.controller.isBusy(notebook) || status.state === 'busy');
    this.item.text = statusBarText(status);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**dlnb kernel**: ${status.state ?? 'starts on the first run'}\n\n`);
    if (status.backend) tooltip.appendMarkdown(`Backend: ${status.backend}\n\n`);
    if (status.tensors !== undefined) {
      tooltip.appendMarkdown(`Live tensors: ${status.tensors} (${formatBytes(status.bytes ?? 0)})\n\n`);
    }
    tooltip.appendMarkdown('Click for kernel actions.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      status.state === 'dead' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  private setContext(key: 'kernelBusy' | 'hasNotebook', value: boolean): void {
    if (this.contextValues.get(key) === value) return;
    this.contextValues.set(key, value);
    void vscode.commands.executeCommand('setContext', `dlnb.${key}`, value);
  }
}
