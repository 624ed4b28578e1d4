// Output that reaches a cell after its run has ended: an error thrown, or text printed,
// by a timer or promise the cell started. VS Code adds outputs only through an
// execution, so the cell's is reopened just long enough, keeping its number and timing.
import * as vscode from 'vscode';
import type { Log } from '../log';

/**
 * What the host last ended each cell with. VS Code's `cell.executionSummary` reflects an
 * `end` only after a round trip to the window, which on a busy machine came after late
 * text was added: the cell was then ended again with its success undefined.
 */
export class EndedCells {
  private readonly summaries = new WeakMap<vscode.NotebookCell, vscode.NotebookCellExecutionSummary>();

  record(cell: vscode.NotebookCell, summary: vscode.NotebookCellExecutionSummary): void {
    this.summaries.set(cell, summary);
  }

  /** The summary the host ended the cell with, else VS Code's (a run from before this session). */
  summaryOf(cell: vscode.NotebookCell): vscode.NotebookCellExecutionSummary | undefined {
    return this.summaries.get(cell) ?? cell.executionSummary;
  }
}

/**
 * Reopens an ended cell's execution to append `outputs`; it keeps its number and time,
 * and ends with `success` (by default, the success it had).
 */
export async function appendToEndedCell(
  controller: vscode.NotebookController,
  ended: EndedCells,
  cell: vscode.NotebookCell,
  outputs: vscode.NotebookCellOutput[],
  success?: boolean,
): Promise<void> {
  const summary = ended.summaryOf(cell);
  const execution = controller.createNotebookCellExecution(cell);
  execution.executionOrder = summary?.executionOrder;
  const startTime = summary?.timing?.startTime ?? Date.now();
  execution.start(startTime);
  const endTime = summary?.timing?.endTime ?? Date.now();
  const endedWith = success ?? summary?.success;
  try {
    await execution.appendOutput(outputs);
  } finally {
    execution.end(endedWith, endTime);
    ended.record(cell, { executionOrder: summary?.executionOrder, success: endedWith, timing: { startTime, endTime } });
  }
}

/**
 * How long late text collects before it is added: a timer printing often makes one output
 * per quarter second, not hundreds, and the cell is reopened that often at most.
 */
const GATHER_MS = 250;

/**
 * Late text, gathered per cell and per stream and added as one output per burst,
 * stdout and stderr apart as in a run.
 */
export class LateTextWriter implements vscode.Disposable {
  private readonly pending = new Map<vscode.NotebookCell, { name: 'stdout' | 'stderr'; text: string }[]>();
  private timer: NodeJS.Timeout | undefined;
  /**
   * Flushes run one after another: a second one that overlapped the first would read the
   * cell's success while the first has it reopened (undefined then) and end it with that.
   */
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly controller: vscode.NotebookController,
    private readonly ended: EndedCells,
    private readonly log: Log,
  ) {}

  write(cell: vscode.NotebookCell, name: 'stdout' | 'stderr', text: string): void {
    const chunks = this.pending.get(cell) ?? [];
    const last = chunks[chunks.length - 1];
    if (last?.name === name) last.text += text;
    else chunks.push({ name, text });
    this.pending.set(cell, chunks);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, GATHER_MS);
  }

  private async flush(): Promise<void> {
    const batches = [...this.pending];
    this.pending.clear();
    for (const [cell, chunks] of batches) {
      if (cell.index < 0 || cell.notebook.isClosed) continue;
      const outputs = chunks.map(
        ({ name, text }) =>
          new vscode.NotebookCellOutput([
            name === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text),
          ]),
      );
      try {
        // Text does not change whether the cell succeeded: keep what its run said.
        await appendToEndedCell(this.controller, this.ended, cell, outputs);
      } catch (error) {
        this.log.warn(`Could not show late output in cell ${cell.index + 1}: ${(error as Error).message}`);
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
