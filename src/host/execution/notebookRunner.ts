// Runs one notebook's cells: an ordered queue of CellRuns, the execution order count,
// interrupts, and errors and text from timers or promises that arrive after a cell ended.
// It lives as long as the notebook is open.
import * as vscode from 'vscode';
import type { KernelHandle } from '../../kernel-client/types';
import type { CellError } from '../../shared/protocol';
import { errorOutput } from '../format';
import type { KernelManager } from '../kernel/kernelManager';
import type { Log } from '../log';
import type { CellMemoryStore } from './cellMemoryStatus';
import { CellRun, STATE_LOST_MESSAGE, type InterruptOutcome } from './cellRun';
import { appendToEndedCell, EndedCells, LateTextWriter } from './endedCellOutput';
import { RunQueue } from './runQueue';

/** How long an interrupted cell gets to stop on its own before its worker is replaced. */
export const INTERRUPT_GRACE_MS = 2000;
/** Run ids remembered for late errors; older runs' errors become notifications. */
const REMEMBERED_RUNS = 500;

export class NotebookRunner implements vscode.Disposable {
  private readonly queue = new RunQueue<CellRun>();
  private executionOrder = 0;
  private interrupting: Promise<InterruptOutcome> | undefined;
  private readonly runs = new Map<number, vscode.NotebookCell>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly lateText: LateTextWriter;
  private readonly ended = new EndedCells();

  constructor(
    readonly notebook: vscode.NotebookDocument,
    private readonly controller: vscode.NotebookController,
    private readonly kernels: KernelManager,
    private readonly cellMemory: CellMemoryStore,
    private readonly log: Log,
    private readonly onBusyChange: () => void,
  ) {
    this.lateText = new LateTextWriter(controller, this.ended, log);
    this.subscriptions = [
      this.lateText,
      kernels.onDidChangeKernel((change) => {
        if (change.notebook !== notebook) return;
        if (change.reason === 'restarted') this.kernelLost('The kernel was restarted while this cell ran.');
        if (change.reason === 'died') this.kernelLost(`The kernel stopped: ${change.detail ?? 'unknown reason'}.`);
      }),
      kernels.onUncaughtError((event) => {
        if (event.notebook === notebook) void this.showUncaught(event.error, event.runId);
      }),
      kernels.onLateOutput((event) => {
        const cell = event.notebook === notebook ? this.runs.get(event.runId) : undefined;
        if (!cell || this.queue.current?.reportLateText(event.runId, event.name, event.text)) return;
        // Text for a cell that is running again comes through its run; older runs are forgotten.
        if (this.queue.current?.cell !== cell) this.lateText.write(cell, event.name, event.text);
      }),
    ];
  }

  get busy(): boolean {
    return this.queue.busy;
  }

  /** Queues the cells (they show as pending) and resolves once each has run or been cancelled. */
  async execute(cells: readonly vscode.NotebookCell[]): Promise<void> {
    const runs: CellRun[] = [];
    for (const cell of cells) {
      try {
        runs.push(new CellRun(cell, this.controller.createNotebookCellExecution(cell), this.runContext()));
      } catch (err) {
        // VS Code refuses a second execution for a cell that is already queued or running.
        this.log.warn(`Cell ${cell.index + 1} is already queued: ${(err as Error).message}`);
      }
    }
    const finished = this.queue.enqueue(runs);
    this.onBusyChange();
    try {
      await finished;
    } finally {
      this.onBusyChange();
    }
  }

  /** Stops queued cells from running and interrupts the running one. */
  async interrupt(): Promise<InterruptOutcome> {
    this.queue.cancelWaiting();
    const current = this.queue.current;
    if (current?.stopBeforeKernel()) return 'soft';
    const kernel = this.kernels.get(this.notebook);
    if (!kernel) return 'idle';
    if (this.interrupting) return this.interrupting;
    const interrupting = this.interruptKernel(kernel, current);
    this.interrupting = interrupting;
    current?.interrupted(interrupting);
    try {
      const outcome = await interrupting;
      this.log.info(`Interrupt: ${outcome}`);
      if (outcome === 'restarted') {
        this.kernels.noteRestarted(this.notebook);
        void vscode.window.showWarningMessage(STATE_LOST_MESSAGE);
      }
      return outcome;
    } finally {
      this.interrupting = undefined;
    }
  }

  private async interruptKernel(kernel: KernelHandle, current: CellRun | undefined): Promise<InterruptOutcome> {
    let outcome = await kernel.interrupt(INTERRUPT_GRACE_MS);
    // 'idle' while our cell still runs: it is between our call and the kernel's own queue.
    // It gets there within moments; ask again rather than let the interrupt be lost.
    for (let retry = 0; outcome === 'idle' && current?.executing && retry < 20; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      outcome = await kernel.interrupt(INTERRUPT_GRACE_MS);
    }
    return outcome;
  }

  dispose(): void {
    this.queue.cancelWaiting();
    this.queue.current?.abort('The notebook was closed.');
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private runContext() {
    return {
      kernels: this.kernels,
      cellMemory: this.cellMemory,
      log: this.log,
      nextExecutionOrder: () => ++this.executionOrder,
      ended: this.ended,
      rememberRun: (runId: number, cell: vscode.NotebookCell) => {
        this.runs.set(runId, cell);
        if (this.runs.size > REMEMBERED_RUNS) this.runs.delete(this.runs.keys().next().value!);
      },
    };
  }

  private kernelLost(reason: string): void {
    this.executionOrder = 0;
    this.queue.cancelWaiting();
    this.queue.current?.abort(reason);
  }

  /** A late error goes to the cell that started it, else the running cell, else a notification. */
  private async showUncaught(error: CellError, runId: number | undefined): Promise<void> {
    const current = this.queue.current;
    const origin = runId === undefined ? undefined : this.runs.get(runId);
    // An unknown run id is the running cell's: its id is learnt only when it ends.
    if (current && (!origin || origin === current.cell) && current.reportUncaught(error)) return;
    if (origin && origin.index >= 0 && !origin.notebook.isClosed) {
      try {
        const output = new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(errorOutput(error))]);
        await appendToEndedCell(this.controller, this.ended, origin, [output], false);
        return;
      } catch (err) {
        this.log.warn(`Could not show a late error in cell ${origin.index + 1}: ${(err as Error).message}`);
      }
    }
    void vscode.window.showErrorMessage(`A timer or promise from an earlier cell threw ${error.name}: ${error.message}`);
  }
}
