// Cells stopped while awaiting keep a promise chain alive in the background: when the
// await ends, the rest of the cell would run on, and the interrupt flag is down again
// once the next cell starts. Each run's async work carries its run id (AsyncLocalStorage),
// so a loop tick in an abandoned run still throws the interrupt.
import { AsyncLocalStorage } from 'node:async_hooks';
import { InterruptError } from './interrupt';

export class AbandonedRuns {
  private readonly context = new AsyncLocalStorage<number>();
  private readonly abandoned = new Set<number>();

  /** Runs a cell's code with its run id attached to everything it schedules. */
  run<T>(runId: number, work: () => T): T {
    return this.context.run(runId, work);
  }

  /** The kernel stopped waiting for `runId`; its code stops at its next loop tick. */
  abandon(runId: number, running: Promise<unknown>): void {
    this.abandoned.add(runId);
    const forget = () => this.abandoned.delete(runId);
    running.then(forget, forget);
  }

  /** Called in every loop tick: cheap while nothing is abandoned. */
  check(): void {
    if (this.abandoned.size !== 0 && this.abandoned.has(this.context.getStore() as number)) throw new InterruptError();
  }
}
