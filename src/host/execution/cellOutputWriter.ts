// Writes one cell run's outputs into its NotebookCellExecution as they arrive: stream text
// batched and appended to the current stdout/stderr output, displays as new outputs,
// display updates in place, errors and notes. Edits are chained so they land in order.
import * as vscode from 'vscode';
import type { ExecutionObserver } from '../../kernel-client/types';
import type { RichOutput } from '../../shared/protocol';
import type { ErrorOutput } from '../format';
import type { Log } from '../log';
import { planOutputItems } from './outputItems';
import { StreamBuffer, type StreamName } from './streamBuffer';

/** How long stream text waits to be joined with more before it is shown. */
const STREAM_FLUSH_MS = 100;

export function toOutputItems(output: RichOutput): vscode.NotebookCellOutputItem[] {
  return planOutputItems(output.bundle).map((item) =>
    item.encoding === 'json'
      ? vscode.NotebookCellOutputItem.json(item.value, item.mime)
      : vscode.NotebookCellOutputItem.text(item.value, item.mime),
  );
}

function streamItem(name: StreamName, text: string): vscode.NotebookCellOutputItem {
  return name === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
}

export class CellOutputWriter implements ExecutionObserver {
  private readonly streams = new StreamBuffer();
  private flushTimer: NodeJS.Timeout | undefined;
  private edits: Promise<void> = Promise.resolve();
  /** The output that stream text of this name is appended to, until another output comes. */
  private lastStream: { name: StreamName; output: vscode.NotebookCellOutput } | undefined;
  private readonly displays = new Map<string, vscode.NotebookCellOutput>();

  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly log: Log,
  ) {}

  onStream(name: StreamName, text: string): void {
    this.streams.push(name, text);
    this.flushTimer ??= setTimeout(() => this.flushStreams(), STREAM_FLUSH_MS);
  }

  onDisplay(output: RichOutput): void {
    const items = toOutputItems(output);
    if (items.length === 0) return;
    const cellOutput = new vscode.NotebookCellOutput(items, output.displayId ? { displayId: output.displayId } : undefined);
    if (output.displayId) this.displays.set(output.displayId, cellOutput);
    this.append(cellOutput);
  }

  onUpdateDisplay(output: RichOutput & { displayId: string }): void {
    const existing = this.displays.get(output.displayId);
    // A display shown by an earlier cell is not ours to edit: show the update here instead.
    if (!existing) return this.onDisplay(output);
    this.flushStreams();
    const items = toOutputItems(output);
    this.edit(() => this.execution.replaceOutputItems(items, existing));
  }

  /** The cell's last expression. */
  result(output: RichOutput): void {
    this.onDisplay({ bundle: output.bundle });
  }

  error(error: ErrorOutput): void {
    this.append(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)]));
  }

  /** A short note from dlnb itself (e.g. tensors left allocated), styled as stderr. */
  note(text: string): void {
    this.append(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(text)]));
  }

  /** Shows everything still buffered; resolves once every edit has been applied. */
  async finish(): Promise<void> {
    this.flushStreams();
    // Outputs may be added while earlier edits land: wait until no new edit is chained.
    for (let edits = this.edits; ; edits = this.edits) {
      await edits;
      this.flushStreams();
      if (edits === this.edits) return;
    }
  }

  private append(output: vscode.NotebookCellOutput): void {
    this.flushStreams();
    this.lastStream = undefined;
    this.edit(() => this.execution.appendOutput(output));
  }

  private flushStreams(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const chunk of this.streams.take()) {
      const item = streamItem(chunk.name, chunk.text);
      const last = this.lastStream;
      if (last && last.name === chunk.name) {
        this.edit(() => this.execution.appendOutputItems(item, last.output));
      } else {
        const output = new vscode.NotebookCellOutput([item]);
        this.lastStream = { name: chunk.name, output };
        this.edit(() => this.execution.appendOutput(output));
      }
    }
  }

  private edit(apply: () => Thenable<void>): void {
    this.edits = this.edits.then(apply).then(undefined, (err) => this.log.error('Could not update a cell output', err));
  }
}
