// Keeps the side panel current: snapshots on request, and, while the panel is open, one
// at most every 500 ms while a cell runs (from a timer, or from loop ticks when a
// synchronous loop keeps timers from firing) and one after each cell.
import * as tf from '@tensorflow/tfjs';
import type { CellLeak, PanelSnapshot, WorkerEvent } from '../../shared/protocol';
import type { LossHistory } from '../panel/lossHistory';
import { takeSnapshot } from '../panel/snapshot';

const LIVE_INTERVAL_MS = 500;

export class PanelFeed {
  private live: boolean;
  private timer: NodeJS.Timeout | undefined;
  private lastPost = 0;
  private readonly leaksByCell = new Map<number, CellLeak>();

  constructor(
    private readonly post: (event: WorkerEvent) => void,
    private readonly history: LossHistory,
    private readonly userGlobals: () => Iterable<[string, unknown]>,
    live: boolean,
  ) {
    this.live = live;
  }

  snapshot(): PanelSnapshot {
    const leaks = [...this.leaksByCell.values()].sort((a, b) => a.cell - b.cell);
    return takeSnapshot({ userGlobals: this.userGlobals(), history: this.history, backend: tf.getBackend(), leaks });
  }

  /** Records what a cell left behind; a re-run replaces the cell's earlier figure. */
  recordLeak(leak: CellLeak): void {
    if (leak.tensors === 0 && leak.bytes === 0) this.leaksByCell.delete(leak.cell);
    else this.leaksByCell.set(leak.cell, leak);
  }

  setLive(enabled: boolean): void {
    this.live = enabled;
    if (!enabled) this.cellEnded(false);
  }

  cellStarted(): void {
    if (!this.live) return;
    // The panel already shows the state the cell starts from (posted when the last cell
    // ended): the first live snapshot is due one interval in, not at the first loop tick.
    this.lastPost = Date.now();
    this.timer ??= setInterval(() => this.postIfDue(Date.now()), LIVE_INTERVAL_MS);
  }

  cellEnded(postNow = true): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (postNow && this.live) this.postNow();
  }

  /** Called from loop ticks and the timer. */
  postIfDue(now: number): void {
    if (this.live && now - this.lastPost >= LIVE_INTERVAL_MS) this.postNow();
  }

  private postNow(): void {
    this.lastPost = Date.now();
    try {
      this.post({ type: 'panel', snapshot: this.snapshot() });
    } catch {
      // A panel snapshot must never fail the cell; the next one will try again.
    }
  }
}
