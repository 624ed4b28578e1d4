// One cell's run, from pending to its end: the execution is created when the cell is
// queued (so it shows as pending), started when its turn comes, fed the kernel's outputs,
// and ended with success, timing and an execution order number.
import * as vscode from 'vscode';
import type { KernelHandle, CellRun as KernelCellRun } from '../../kernel-client/types';
import type { CellError, ExecuteDone } from '../../shared/protocol';
import { describeError, errorOutput, hostErrorOutput, leakNote, replacedNote } from '../format';
import type { KernelManager } from '../kernel/kernelManager';
import type { Log } from '../log';
import type { CellMemoryStore } from './cellMemoryStatus';
import { CellOutputWriter } from './cellOutputWriter';
import type { EndedCells } from './endedCellOutput';
import type { QueuedRun } from './runQueue';

export type InterruptOutcome = 'idle' | 'soft' | 'restarted';

/** What a cell run needs from its notebook's runner. */
export interface RunContext {
  kernels: KernelManager;
  cellMemory: CellMemoryStore;
  log: Log;
  nextExecutionOrder(): number;
  /** Where a run records what it ended its cell with. */
  ended: EndedCells;
  /** Remembers which cell a kernel run id belongs to, for errors that come later. */
  rememberRun(runId: number, cell: vscode.NotebookCell): void;
}

/** Thrown into a run that was interrupted before it reached the kernel. */
class StoppedBeforeKernel extends Error {}
/** Thrown into a run whose kernel died or was restarted under it (already logged). */
class KernelLost extends Error {}

export const STATE_LOST_MESSAGE =
  'The cell did not stop when interrupted, so dlnb restarted the kernel: variables from earlier cells are gone. Run the cells this one needs again.';

export class CellRun implements QueuedRun {
  private writer: CellOutputWriter | undefined;
  private interruption: Promise<InterruptOutcome> | undefined;
  private abortRun: ((reason: Error) => void) | undefined;
  /** 'starting' while the kernel starts for it, 'executing' once the kernel has the cell. */
  private phase: 'waiting' | 'starting' | 'executing' | 'ended' = 'waiting';
  /** A timer or promise of this cell threw while it ran: the cell shows an error, so it failed. */
  private threwLater = false;
  /** The kernel's id for this run, known once the kernel has finished it. */
  private runId: number | undefined;

  constructor(
    readonly cell: vscode.NotebookCell,
    private readonly execution: vscode.NotebookCellExecution,
    private readonly context: RunContext,
  ) {}

  async run(): Promise<boolean> {
    const { execution, context } = this;
    const aborted = new Promise<never>((_, reject) => (this.abortRun = reject));
    aborted.catch(() => undefined);
    this.phase = 'starting';
    let kernel: KernelHandle | undefined;
    let startFailure: unknown;
    try {
      kernel = await Promise.race([context.kernels.ready(this.cell.notebook), aborted]);
    } catch (err) {
      startFailure = err;
    }
    // The cell's clock starts when the kernel can take it, as in Jupyter: while the kernel
    // starts the cell stays pending and the status bar says "starting".
    const executionOrder = context.nextExecutionOrder();
    const startTime = Date.now();
    execution.executionOrder = executionOrder;
    execution.start(startTime);
    const writer = new CellOutputWriter(execution, context.log);
    this.writer = writer;
    let success = false;
    try {
      if (!kernel) throw startFailure;
      await execution.clearOutput();
      this.phase = 'executing';
      const done = await Promise.race([kernel.execute(this.request(), writer), aborted]);
      success = await this.report(done, writer);
    } catch (err) {
      writer.error(await this.failure(err));
    } finally {
      this.abortRun = undefined;
      // The writer stays attached until every edit has landed, so a late error that
      // arrives meanwhile still goes into this execution; nothing awaits between the
      // last edit and `end`.
      await writer.finish();
      this.phase = 'ended';
      this.writer = undefined;
      success &&= !this.threwLater;
      const endTime = Date.now();
      execution.end(success, endTime);
      context.ended.record(this.cell, { executionOrder, success, timing: { startTime, endTime } });
    }
    return success;
  }

  cancel(): void {
    this.execution.end(undefined);
  }

  /** Ends the run now with this reason (the kernel died or was restarted under it). */
  abort(reason: string): void {
    this.abortRun?.(new KernelLost(reason));
  }

  /** True from the moment the cell is handed to the kernel until the run ends. */
  get executing(): boolean {
    return this.phase === 'executing';
  }

  /**
   * Ends the run without running it when the kernel does not have the cell yet (it is still
   * starting); false when the cell is already the kernel's to interrupt.
   */
  stopBeforeKernel(): boolean {
    if (this.phase !== 'starting') return false;
    this.abortRun?.(new StoppedBeforeKernel('The cell was interrupted before it started.'));
    return true;
  }

  /** An interrupt was asked for while this cell ran; its outcome decides what the cell says. */
  interrupted(outcome: Promise<InterruptOutcome>): void {
    this.interruption = outcome;
  }

  /** Shows an error from a timer or promise in this cell while it runs; false once it has ended. */
  reportUncaught(error: CellError): boolean {
    if (!this.writer) return false;
    this.writer.error(errorOutput(error));
    this.threwLater = true;
    return true;
  }

  /**
   * Shows text this run's timers print after the kernel finished the cell while its
   * outputs are still landing (the kernel then counts the text as late); false once the
   * run has ended, or for another run's text.
   */
  reportLateText(runId: number, name: 'stdout' | 'stderr', text: string): boolean {
    if (!this.writer || this.runId !== runId) return false;
    this.writer.onStream(name, text);
    return true;
  }

  private request(): KernelCellRun {
    const notebook = this.cell.notebook;
    return {
      cell: this.cell.index + 1,
      source: this.cell.document.getText(),
      // Only read when the kernel explains a ReferenceError: a run does not copy the notebook.
      cellSources: () => notebook.getCells().map((c) => (c.kind === vscode.NotebookCellKind.Code ? c.document.getText() : '')),
    };
  }

  private async report(done: ExecuteDone, writer: CellOutputWriter): Promise<boolean> {
    const { context, cell } = this;
    this.runId = done.id;
    context.rememberRun(done.id, cell);
    if (done.result) writer.result(done.result);
    if (done.status === 'error') {
      writer.error(errorOutput(done.error ?? { name: 'Error', message: 'The cell failed.', stack: '' }));
    } else if (done.status === 'interrupted') {
      if ((await this.interruption) === 'restarted') writer.error(hostErrorOutput('KernelRestarted', STATE_LOST_MESSAGE));
      else writer.error(errorOutput(done.error ?? { name: 'Interrupted', message: 'The cell was interrupted.', stack: '' }));
    }
    const replaced = replacedNote(done.memory);
    if (replaced) writer.note(replaced);
    const note = leakNote(done.memory);
    if (note) writer.note(note);
    context.cellMemory.set(cell, done.memory);
    context.kernels.noteCellDone(cell.notebook, done);
    return done.status === 'ok';
  }

  private async failure(err: unknown) {
    if (err instanceof StoppedBeforeKernel) return hostErrorOutput('Interrupted', err.message);
    if (this.interruption && (await this.interruption) === 'restarted') {
      return hostErrorOutput('KernelRestarted', STATE_LOST_MESSAGE);
    }
    if (err instanceof KernelLost) return hostErrorOutput('KernelStopped', err.message);
    this.context.log.error(`Cell ${this.cell.index + 1} could not run`, err);
    return hostErrorOutput('KernelError', describeError(err));
  }
}
