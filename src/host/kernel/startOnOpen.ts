// Starts a notebook's kernel as soon as its editor shows, as Jupyter does, so that the
// kernel has started, and warmed up while the user reads (src/kernel/runtime/warmUp.ts),
// before the first cell runs. Only for trusted workspaces, where cells may run at all,
// and only while `dlnb.startKernelOnOpen` is on. A start that fails here is retried, and
// reported, by the first run.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../controller';
import type { Log } from '../log';
import type { KernelManager } from './kernelManager';

function enabled(): boolean {
  return vscode.workspace.isTrusted && vscode.workspace.getConfiguration('dlnb').get<boolean>('startKernelOnOpen', true);
}

export function startKernelsOnOpen(kernels: KernelManager, log: Log): vscode.Disposable {
  const startVisible = (editors: readonly vscode.NotebookEditor[]) => {
    if (!enabled()) return;
    for (const { notebook } of editors) {
      if (notebook.notebookType !== NOTEBOOK_TYPE || notebook.isClosed || kernels.get(notebook)) continue;
      kernels.ready(notebook).catch((error: unknown) => log.info(`kernel start on open did not succeed: ${String(error)}`));
    }
  };
  startVisible(vscode.window.visibleNotebookEditors);
  return vscode.window.onDidChangeVisibleNotebookEditors(startVisible);
}
