// What the window shows about the active notebook's kernel: a status bar item (state,
// backend, live tensors; click for kernel actions) and the `dlnb.kernelBusy` context key
// for `when` clauses (the stop button itself is VS Code's own, from the controller's
// interruptHandler). (`dlnb.hasNotebook` is the panel's.)
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE, type DlnbController } from './controller';
import { formatBytes, statusBarText } from './format';
import type { KernelManager } from './kernel/kernelManager';

export const KERNEL_ACTIONS_COMMAND = 'dlnb.kernelActions';

export class KernelStatusView implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dlnb.kernelStatus', vscode.StatusBarAlignment.Left, 100);
  private readonly subscriptions: vscode.Disposable[];
  /** The `dlnb.kernelBusy` value last set, so an unchanged one is not sent again. */
  private busy: boolean | undefined;

  constructor(
    private readonly kernels: KernelManager,
    private readonly controller: DlnbController,
  ) {
    this.item.name = 'dlnb Kernel';
    this.item.command = KERNEL_ACTIONS_COMMAND;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
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
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE || notebook.isClosed) {
      this.setBusy(false);
      this.item.hide();
      return;
    }
    const status = this.kernels.status(notebook);
    this.setBusy(this.controller.isBusy(notebook) || status.state === 'busy');
    this.item.text = statusBarText(status);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**dlnb kernel**: ${status.state ?? 'starts on the first run'}\n\n`);
    if (status.backend) tooltip.appendMarkdown(`Backend: ${status.backend}\n\n`);
    if (status.tensors !== undefined) {
      tooltip.appendMarkdown(`Live tensors: ${status.tensors} (${formatBytes(status.bytes ?? 0)})\n\n`);
    }
    tooltip.appendMarkdown('Click for kernel actions.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = status.state === 'dead' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  private setBusy(busy: boolean): void {
    if (this.busy === busy) return;
    this.busy = busy;
    void vscode.commands.executeCommand('setContext', 'dlnb.kernelBusy', busy);
  }
}
