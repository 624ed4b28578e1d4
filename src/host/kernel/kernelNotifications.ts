// Tells the user about kernel events they did not ask for: a kernel that stopped on its
// own, start-up messages (e.g. a backend fallback), and settings that need a restart.
import * as vscode from 'vscode';
import type { Log } from '../log';
import type { KernelManager } from './kernelManager';
import { KERNEL_SETTING_KEYS } from './settings';

export function registerKernelNotifications(kernels: KernelManager, log: Log): vscode.Disposable {
  /** Start-up messages already shown; a fallback is news once, not on every restart. */
  const shown = new Set<string>();

  const restart = (notebook: vscode.NotebookDocument) =>
    kernels.restart(notebook).catch((err) => {
      log.error('Restarting the kernel failed', err);
      void vscode.window.showErrorMessage(vscode.l10n.t('dlnb could not restart the kernel: {0}', (err as Error).message));
    });

  return vscode.Disposable.from(
    kernels.onDidChangeKernel(async (change) => {
      if (change.reason === 'died') {
        const button = vscode.l10n.t('Restart Kernel');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t(
            'The kernel stopped: {0}. It will restart on the next run.',
            change.detail ?? vscode.l10n.t('unknown reason'),
          ),
          button,
        );
        if (choice === button && !change.notebook.isClosed) await restart(change.notebook);
      } else if (change.reason === 'started' && change.detail && !shown.has(change.detail)) {
        shown.add(change.detail);
        void vscode.window.showInformationMessage(vscode.l10n.t('dlnb kernel: {0}', change.detail));
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!KERNEL_SETTING_KEYS.some((key) => event.affectsConfiguration(key))) return;
      const running = kernels.notebooksWithKernels();
      if (running.length === 0) return;
      const button = running.length === 1 ? vscode.l10n.t('Restart Kernel') : vscode.l10n.t('Restart Kernels');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('The new dlnb kernel settings apply after a kernel restart.'),
        button,
      );
      if (choice === button) await Promise.all(running.filter((nb) => !nb.isClosed).map(restart));
    }),
  );
}
