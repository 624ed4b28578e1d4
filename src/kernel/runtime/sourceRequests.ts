// The kernel asks the host for the notebook's cell sources when (and only when) it needs
// them: to say which cell declares a name a cell used before it was defined. Every run
// used to carry every cell's source, which made a run of N cells cost N times the size of
// the notebook. An unanswered question (a host that went away) ends without a hint.
import type { WorkerEvent } from '../../shared/protocol';

/** How long to wait for the host's answer before explaining the error without a hint. */
const ANSWER_TIMEOUT_MS = 2000;

export class SourceRequests {
  private nextRequestId = 1;
  private readonly waiting = new Map<number, (sources: readonly string[]) => void>();

  constructor(private readonly post: (event: WorkerEvent) => void) {}

  /** The notebook's sources as the host has them now, for the cell run `runId`; [] when not answered. */
  ask(runId: number): Promise<readonly string[]> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        resolve([]);
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(requestId, (sources) => {
        clearTimeout(timer);
        resolve(sources);
      });
      this.post({ type: 'sourcesNeeded', id: runId, requestId });
    });
  }

  answer(requestId: number, sources: readonly string[]): void {
    const resolve = this.waiting.get(requestId);
    this.waiting.delete(requestId);
    resolve?.(sources);
  }
}
