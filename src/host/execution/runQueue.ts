// The ordered queue behind a notebook's cell runs, as Jupyter runs them: one at a time,
// each awaited, and the first failure or interrupt ends the rest without running them.
// Pure: it knows runs only as `run` and `cancel`.

export interface QueuedRun {
  /** Runs the item; resolves true to go on with the next one, false to stop the queue. */
  run(): Promise<boolean>;
  /** Ends the item without running it. */
  cancel(): void;
}

interface Entry<T> {
  item: T;
  settle: () => void;
}

export class RunQueue<T extends QueuedRun = QueuedRun> {
  private readonly waiting: Entry<T>[] = [];
  private running: T | undefined;

  /** True while an item runs or waits. */
  get busy(): boolean {
    return this.running !== undefined || this.waiting.length > 0;
  }

  get current(): T | undefined {
    return this.running;
  }

  /** Queues the items behind any already queued; resolves once each has run or been cancelled. */
  enqueue(items: readonly T[]): Promise<void> {
    const settled = items.map((item) => new Promise<void>((settle) => this.waiting.push({ item, settle })));
    if (!this.running) void this.drain();
    return Promise.all(settled).then(() => undefined);
  }

  /** Ends every waiting item without running it; the running one is left to finish. */
  cancelWaiting(): void {
    for (const entry of this.waiting.splice(0)) {
      try {
        entry.item.cancel();
      } catch {
        // An item that cannot be ended (its notebook closed) must not keep the rest waiting.
      } finally {
        entry.settle();
      }
    }
  }

  private async drain(): Promise<void> {
    for (let entry = this.waiting.shift(); entry; entry = this.waiting.shift()) {
      this.running = entry.item;
      let goOn = false;
      try {
        goOn = await entry.item.run();
      } catch {
        goOn = false;
      } finally {
        this.running = undefined;
        entry.settle();
      }
      if (!goOn) this.cancelWaiting();
    }
  }
}
