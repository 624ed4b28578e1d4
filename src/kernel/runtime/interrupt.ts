// The interrupt flag the host sets in shared memory, and the ways a running cell notices it:
// loop ticks (synchronous loops), a poll racing the cell's promise (awaiting cells), and
// `model.stopTraining` for fits (see fitHooks.ts).

/** Thrown into a cell by `__dlnb_tick` when the user interrupts it. */
export class InterruptError extends Error {
  override name = 'KeyboardInterrupt';
  constructor() {
    super('The cell was interrupted.');
  }
}

export function isInterrupt(error: unknown): boolean {
  return error instanceof InterruptError;
}

const POLL_MS = 25;

export class InterruptFlag {
  private readonly view: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.view = new Int32Array(buffer);
  }

  get raised(): boolean {
    return Atomics.load(this.view, 0) !== 0;
  }

  /** Throws when the flag is up: called in every loop body, so it must stay cheap. */
  check(): void {
    if (Atomics.load(this.view, 0) !== 0) throw new InterruptError();
  }

  /**
   * Resolves once the flag is raised, after `onRaised` (e.g. stopping fits) has settled.
   * `stop()` ends the poll when the cell finishes first.
   */
  watch(onRaised: () => Promise<void>): { raised: Promise<void>; stop: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const raised = new Promise<void>((resolve) => {
      timer = setInterval(() => {
        if (!this.raised) return;
        clearInterval(timer);
        onRaised().then(resolve, resolve);
      }, POLL_MS);
    });
    return { raised, stop: () => clearInterval(timer) };
  }
}
