// Decides, from inside a loop tick, when enough time has passed to flush output or post
// the panel. Reading the clock on every iteration would slow tight loops, so it reads it
// every `stride` ticks and adapts the stride to keep checks a few milliseconds apart.

const MAX_STRIDE = 1 << 16;
const TARGET_MIN_MS = 2;
const TARGET_MAX_MS = 10;

export class TickThrottle {
  private countdown = 1;
  private stride = 1;
  private lastCheck = Date.now();

  /** Returns the current time every few milliseconds of ticking, otherwise undefined. */
  poll(): number | undefined {
    if (--this.countdown > 0) return undefined;
    const now = Date.now();
    const elapsed = now - this.lastCheck;
    this.lastCheck = now;
    if (elapsed < TARGET_MIN_MS && this.stride < MAX_STRIDE) this.stride *= 2;
    else if (elapsed > TARGET_MAX_MS && this.stride > 1) this.stride = Math.max(1, this.stride >> 2);
    this.countdown = this.stride;
    return now;
  }

  /** A cell starts: its loop bodies may be much slower or faster than the last cell's. */
  reset(): void {
    this.stride = 1;
    this.countdown = 1;
    this.lastCheck = Date.now();
  }
}
