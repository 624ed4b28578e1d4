// `__dlnb_tick`, called at the top of every loop body in cell code. It must cost almost
// nothing, yet notice an interrupt and stream output while a synchronous loop runs.
// Reading the shared flag (Atomics.load) and the clock on every iteration made tight
// loops many times slower, so the tick only counts down, and every `stride` ticks checks
// the flag, the clock and pending output. The stride grows while checks come less than
// a millisecond apart and drops back to 1 as soon as iterations turn slow, so a slow
// loop is checked on every iteration and a fast one about every millisecond. It is
// capped so that a loop turning slow after a fast phase is checked within a few
// dozen iterations.

const MAX_STRIDE = 64;
const FAST_MS = 1;
const SLOW_MS = 4;

export interface LoopTickDeps {
  /** Throws the interrupt when the user asked to stop. */
  checkInterrupt(): void;
  /** Flushes output, posts the panel: whatever is due at `now`. */
  onCheck(now: number): void;
}

export function createLoopTick(deps: LoopTickDeps) {
  let countdown = 1;
  let stride = 1;
  let lastCheck = Date.now();

  const check = () => {
    deps.checkInterrupt();
    const now = Date.now();
    const elapsed = now - lastCheck;
    lastCheck = now;
    if (elapsed < FAST_MS) stride = Math.min(stride * 2, MAX_STRIDE);
    else if (elapsed > SLOW_MS) stride = 1;
    countdown = stride;
    deps.onCheck(now);
  };

  return {
    tick(): void {
      if (--countdown > 0) return;
      check();
    },
    /** A new cell: its loops may be much slower than the last cell's. */
    reset(): void {
      countdown = 1;
      stride = 1;
      lastCheck = Date.now();
    },
  };
}
