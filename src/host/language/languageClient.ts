// The host's side of the language worker (src/language/worker.ts): starts it on first use,
// pairs queries with answers, and starts a fresh one after a crash (the notebooks' cells
// are sent again then: `onRestart`). Knows nothing of VS Code, so benchmarks drive it too.
import { Worker } from 'node:worker_threads';
import type {
  LanguageAnswers,
  LanguageEvent,
  LanguageQuery,
  LanguageRequest,
  LanguageWorkerData,
} from '../../shared/languageProtocol';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export interface LanguageClientOptions {
  workerPath: string;
  declarationsPath: string;
  onEvent(event: LanguageEvent): void;
  /** A new worker started after the last one ended: it knows no notebook yet. */
  onRestart(): void;
  log(message: string): void;
}

export class LanguageClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  private starts = 0;

  constructor(private readonly options: LanguageClientOptions) {}

  send(request: LanguageRequest): void {
    this.ensureWorker().postMessage(request);
  }

  query<Q extends LanguageQuery>(notebook: string, query: Q): Promise<LanguageAnswers[Q['op']]> {
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.send({ type: 'query', id, notebook, query });
    return answer as Promise<LanguageAnswers[Q['op']]>;
  }

  dispose(): void {
    this.disposed = true;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    if (this.disposed) throw new Error('the language worker was stopped');
    const workerData: LanguageWorkerData = { declarationsPath: this.options.declarationsPath };
    const worker = new Worker(this.options.workerPath, { workerData, execArgv: [] });
    this.starts += 1;
    worker.on('message', (event: LanguageEvent) => this.route(event));
    worker.on('error', (err) => this.options.log(`language worker failed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(new Error(`the language worker ended (exit code ${code})`));
      this.pending.clear();
      if (this.disposed) return;
      this.options.log(`language worker ended (exit code ${code}); starting a new one`);
      // A worker that dies at once each time would loop: after a few starts, stay down.
      if (this.starts < 5) this.options.onRestart();
    });
    this.worker = worker;
    return worker;
  }

  private route(event: LanguageEvent): void {
    if (event.type === 'answer') {
      const pending = this.pending.get(event.id);
      this.pending.delete(event.id);
      if (event.error !== undefined) pending?.reject(new Error(event.error));
      else pending?.resolve(event.result);
      return;
    }
    if (event.type === 'log') this.options.log(event.message);
    this.options.onEvent(event);
  }
}
