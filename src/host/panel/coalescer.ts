// Coalesces bursts of change into one refresh: the first request starts a short timer and
// later ones ride along, so a steady stream of updates still refreshes at a steady pace
// (a trailing debounce would starve under one).

export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly run: () => void,
    private readonly delayMs: number,
  ) {}

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.delayMs);
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
