// A running cell's text output: batched so a loop printing 100,000 lines sends a few
// dozen messages, kept in order with rich displays, and capped per cell.
import type { RichOutput, WorkerEvent } from '../../shared/protocol';

export type StreamName = 'stdout' | 'stderr';

/** Most time text waits before it is sent while a cell runs. */
const FLUSH_INTERVAL_MS = 50;

/**
 * Rich outputs one cell may show, by count and by size: a loop calling display() 100,000
 * times would otherwise make a notebook no editor opens quickly and no one reads.
 * Updates of a display already shown (live charts) are not counted.
 */
export const MAX_DISPLAYS = 1000;
export const MAX_DISPLAY_BYTES = 50 << 20;

interface Segment {
  name: StreamName;
  text: string;
}

export class CellOutput {
  private pending: Segment[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = Date.now();
  private written = 0;
  private truncated = false;
  private displays = 0;
  private displayBytes = 0;
  private displaysCut = false;
  /** The run id output is attributed to; outputs after a cell ends go to the last run. */
  private runId = 0;

  constructor(
    private readonly post: (event: WorkerEvent) => void,
    private readonly maxChars: number,
  ) {}

  /** Starts a new cell run: a fresh character budget. */
  begin(runId: number): void {
    this.flush();
    this.runId = runId;
    this.written = 0;
    this.truncated = false;
    this.displays = 0;
    this.displayBytes = 0;
    this.displaysCut = false;
  }

  /** True once this cell's output was cut: later text is dropped without formatting it. */
  get full(): boolean {
    return this.truncated;
  }

  write(name: StreamName, text: string): void {
    if (this.truncated || text.length === 0) return;
    const room = this.maxChars - this.written;
    if (text.length > room) {
      text = text.slice(0, Math.max(0, room)) + `\n… output truncated after ${this.maxChars} characters (dlnb.maxOutputChars)\n`;
      this.truncated = true;
    }
    this.written += text.length;
    const last = this.pending[this.pending.length - 1];
    if (last && last.name === name) last.text += text;
    else this.pending.push({ name, text });
    this.timer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Sends pending text, then the display, so they arrive in the order they happened. */
  display(output: RichOutput): void {
    if (this.displaysCut) return;
    const bytes = bundleSize(output);
    if (this.displays >= MAX_DISPLAYS || this.displayBytes + bytes > MAX_DISPLAY_BYTES) {
      this.displaysCut = true;
      const limit =
        this.displays >= MAX_DISPLAYS
          ? `${MAX_DISPLAYS.toLocaleString('en-US')} outputs`
          : `outputs of ${MAX_DISPLAY_BYTES >> 20} MB`;
      this.write('stderr', `\n… this cell showed ${limit}, the most one cell may show; later ones were left out\n`);
      return;
    }
    this.displays++;
    this.displayBytes += bytes;
    this.flush();
    this.post({ type: 'display', id: this.runId, output });
  }

  updateDisplay(output: RichOutput & { displayId: string }): void {
    this.flush();
    this.post({ type: 'updateDisplay', id: this.runId, output });
  }

  /** Called from loop ticks: timers cannot fire while a synchronous loop runs. */
  flushIfDue(now: number): void {
    if (this.pending.length > 0 && now - this.lastFlush >= FLUSH_INTERVAL_MS) this.flush();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.lastFlush = Date.now();
    const segments = this.pending;
    if (segments.length === 0) return;
    this.pending = [];
    for (const { name, text } of segments) this.post({ type: 'stream', id: this.runId, name, text });
  }
}

/** About how many bytes an output takes in the notebook file. */
function bundleSize(output: RichOutput): number {
  let size = 0;
  for (const data of Object.values(output.bundle)) {
    size += typeof data === 'string' ? data.length : (JSON.stringify(data) ?? '').length;
  }
  return size;
}
