// One cell's run in `dlnb run`: prints its output as it streams (text as it comes, a
// summary line per rich output) and keeps it in the .dlnb output format for --save/--out.
import type { ExecutionObserver } from '../kernel-client/types';
import type { DlnbOutput } from '../shared/dlnbFormat';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../shared/mimeKinds';
import type { CellError, MimeBundle, RichOutput } from '../shared/protocol';
import { summarizeOutput, vegaLiteSpec } from './outputSummary';

export interface Terminal {
  stdout(text: string): void;
  stderr(text: string): void;
}

export class CellRecorder implements ExecutionObserver {
  readonly outputs: DlnbOutput[] = [];
  private readonly displays = new Map<string, DlnbOutput>();
  /** Displays updated since they were printed, with their latest content. */
  private readonly updated = new Map<string, MimeBundle>();
  private lastStream: { name: 'stdout' | 'stderr'; output: DlnbOutput } | undefined;
  private endsWithNewline = true;

  constructor(private readonly terminal: Terminal) {}

  onStream(name: 'stdout' | 'stderr', text: string): void {
    this.terminal[name](text);
    this.endsWithNewline = text.endsWith('\n');
    if (this.lastStream?.name === name) {
      const item = this.lastStream.output.items[0];
      item.data = String(item.data) + text;
      return;
    }
    const output: DlnbOutput = { items: [{ mime: name === 'stdout' ? STDOUT_MIME : STDERR_MIME, data: text }] };
    this.outputs.push(output);
    this.lastStream = { name, output };
  }

  onDisplay(output: RichOutput): void {
    this.printLine(summarizeOutput(output.bundle));
    const saved = toDlnbOutput(output.bundle);
    if (output.displayId) this.displays.set(output.displayId, saved);
    this.outputs.push(saved);
    this.lastStream = undefined;
  }

  /**
   * Live charts update many times while a model trains: kept, and printed once more as
   * they end up, when the cell finishes (`finish`).
   */
  onUpdateDisplay(output: RichOutput & { displayId: string }): void {
    const existing = this.displays.get(output.displayId);
    if (!existing) return this.onDisplay(output);
    existing.items = toDlnbOutput(output.bundle).items;
    this.updated.set(output.displayId, output.bundle);
  }

  /** After the cell: one line per display that changed since it was printed, as it ends. */
  finish(): void {
    for (const bundle of this.updated.values()) this.printLine(`${summarizeOutput(bundle)} (final)`);
    this.updated.clear();
  }

  /** The cell's value, shown after its other outputs. */
  result(output: RichOutput): void {
    this.onDisplay(output);
  }

  error(error: CellError): void {
    this.outputs.push({ items: [{ mime: ERROR_MIME, data: { name: error.name, message: error.message, stack: error.stack } }] });
    this.lastStream = undefined;
  }

  /** The Vega-Lite specs among this cell's outputs, in order. */
  charts(): object[] {
    return this.outputs.flatMap((output) => {
      const bundle = Object.fromEntries(output.items.map((item) => [item.mime, item.data]));
      const spec = vegaLiteSpec(bundle);
      return spec ? [spec] : [];
    });
  }

  private printLine(text: string): void {
    this.terminal.stdout((this.endsWithNewline ? '' : '\n') + text + (text.endsWith('\n') ? '' : '\n'));
    this.endsWithNewline = true;
  }
}

function toDlnbOutput(bundle: MimeBundle): DlnbOutput {
  const items = Object.entries(bundle)
    .filter(([, data]) => data !== undefined && data !== null)
    .map(([mime, data]) => ({ mime, data }));
  return { items };
}
