// The notebook controller "TypeScript (TensorFlow.js)": preferred for every .dlnb notebook,
// runs cells through one NotebookRunner per notebook, interrupts through the kernel, and
// refuses to run anything in an untrusted workspace.
import * as vscode from 'vscode';
import type { CellMemoryStore } from './execution/cellMemoryStatus';
import { NotebookRunner } from './execution/notebookRunner';
import { hostErrorOutput } from './format';
import type { KernelManager } from './kernel/kernelManager';
import type { Log } from './log';
import { CELL_LANGUAGE } from './serializer';

export const CONTROLLER_ID = 'dlnb-kernel';
export const NOTEBOOK_TYPE = 'dlnb';

const UNTRUSTED_MESSAGE =
  'This workspace is not trusted, so dlnb runs no cells in it. Saved outputs and charts still show. Trust the workspace to run cells.';

export class DlnbController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly runners = new Map<vscode.NotebookDocument, NotebookRunner>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly busyChanged = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** A notebook's queue started or ran dry. */
  readonly onDidChangeBusy = this.busyChanged.event;

  constructor(
    private readonly kernels: KernelManager,
    private readonly cellMemory: CellMemoryStore,
    private readonly log: Log,
  ) {
    const controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'TypeScript (TensorFlow.js)');
    // dlnb's own TypeScript first: new cells get it (serializer.ts says why).
    controller.supportedLanguages = [CELL_LANGUAGE, 'typescript', 'javascript'];
    controller.supportsExecutionOrder = true;
    controller.description = 'dlnb kernel';
    controller.detail = detailFor(backendSetting());
    controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    controller.interruptHandler = (notebook) => this.interrupt(notebook).then(() => undefined);
    this.controller = controller;

    for (const notebook of vscode.workspace.notebookDocuments) this.prefer(notebook);
    this.subscriptions.push(
      controller,
      this.busyChanged,
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.prefer(notebook)),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.close(notebook)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dlnb.backend')) controller.detail = detailFor(backendSetting());
      }),
    );
  }

  isBusy(notebook: vscode.NotebookDocument): boolean {
    return this.runners.get(notebook)?.busy ?? false;
  }

  /** Stops the notebook's queued cells and interrupts the running one. */
  interrupt(notebook: vscode.NotebookDocument): Promise<'idle' | 'soft' | 'restarted'> {
    return this.runners.get(notebook)?.interrupt() ?? Promise.resolve('idle');
  }

  dispose(): void {
    for (const runner of this.runners.values()) runner.dispose();
    this.runners.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    if (!vscode.workspace.isTrusted) return this.refuseUntrusted(cells);
    try {
      await this.runner(notebook).execute(cells);
    } catch (err) {
      this.log.error('Running cells failed', err);
    }
  }

  private runner(notebook: vscode.NotebookDocument): NotebookRunner {
    let runner = this.runners.get(notebook);
    if (!runner) {
      runner = new NotebookRunner(notebook, this.controller, this.kernels, this.cellMemory, this.log, () =>
        this.busyChanged.fire(notebook),
      );
      this.runners.set(notebook, runner);
    }
    return runner;
  }

  private prefer(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  private close(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    this.runners.get(notebook)?.dispose();
    this.runners.delete(notebook);
    this.kernels.close(notebook);
    this.cellMemory.forget(notebook);
  }

  private async refuseUntrusted(cells: vscode.NotebookCell[]): Promise<void> {
    for (const cell of cells) {
      try {
        const execution = this.controller.createNotebookCellExecution(cell);
        execution.start(Date.now());
        try {
          await execution.replaceOutput(
            new vscode.NotebookCellOutput([
              vscode.NotebookCellOutputItem.error(hostErrorOutput('UntrustedWorkspace', UNTRUSTED_MESSAGE)),
            ]),
          );
        } finally {
          execution.end(false, Date.now());
        }
      } catch (err) {
        this.log.warn(`Cell ${cell.index + 1}: ${(err as Error).message}`);
      }
    }
    const manage = vscode.l10n.t('Manage Workspace Trust');
    void vscode.window.showWarningMessage(vscode.l10n.t(UNTRUSTED_MESSAGE), manage).then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  }
}

function backendSetting(): string {
  return vscode.workspace.getConfiguration('dlnb').get<string>('backend') ?? 'wasm';
}

function detailFor(backend: string): string {
  return backend === 'cpu'
    ? 'TensorFlow.js on the CPU backend (plain JavaScript), in a worker'
    : 'TensorFlow.js on the WebAssembly backend (SIMD), in a worker';
}
