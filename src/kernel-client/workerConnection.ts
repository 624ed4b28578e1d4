// One kernel worker's lifetime: spawn it with a heap limit, send `init`, route its events,
// answer request/response pairs, and say in plain words why it ended if it did on its own.
import { Worker } from 'node:worker_threads';
import type { CurvePoint, PanelSnapshot, WorkerEvent, WorkerRequest } from '../shared/protocol';
import type { KernelStartOptions } from './types';

export interface ConnectionHandlers {
  onEvent(event: WorkerEvent): void;
  /** The worker ended without being asked to; `reason` is user-readable. */
  onDeath(reason: string): void;
}

interface Ready {
  backend: string;
  messages: string[];
}

type Pending = { resolve: (event: WorkerEvent) => void; reject: (error: Error) => void };

export class WorkerConnection {
  readonly ready: Promise<Ready>;
  private readonly worker: Worker;
  private readonly interruptFlag: Int32Array;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private ended = false;
  private terminating = false;
  private crash: Error | undefined;

  constructor(
    private readonly options: KernelStartOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    const interruptBuffer = new SharedArrayBuffer(4);
    this.interruptFlag = new Int32Array(interruptBuffer);
    this.worker = new Worker(options.workerPath, {
      resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb },
      // The host's own flags (a test runner's loaders, inspectors) do not belong in the kernel.
      execArgv: [],
    });
    let settleReady: { resolve: (ready: Ready) => void; reject: (error: Error) => void };
    this.ready = new Promise<Ready>((resolve, reject) => (settleReady = { resolve, reject }));
    this.ready.catch(() => undefined); // a death before `ready` is reported through onDeath too
    const onReady = (event: WorkerEvent) => {
      if (event.type === 'ready') settleReady.resolve({ backend: event.backend, messages: event.messages });
    };
    this.worker.on('message', (event: WorkerEvent) => {
      onReady(event);
      this.route(event);
    });
    this.worker.on('error', (error) => {
      this.crash = error;
    });
    this.worker.on('exit', (code) => {
      this.ended = true;
      const reason = this.deathReason(code);
      settleReady.reject(new Error(`The kernel did not start: ${reason}`));
      for (const { reject } of this.pending.values()) reject(new Error(`The kernel ended: ${reason}`));
      this.pending.clear();
      if (!this.terminating) this.handlers.onDeath(reason);
    });
    this.send({
      type: 'init',
      backend: options.backend,
      wasmDir: options.wasmDir,
      notebookDir: options.notebookDir,
      interruptBuffer,
      maxOutputChars: options.maxOutputChars,
      livePanel: options.livePanel,
      chartMaxPoints: options.chartMaxPoints,
      cacheDir: options.cacheDir,
      warmUp: options.warmUp,
      secondCore: options.secondCore,
    });
  }

  get alive(): boolean {
    return !this.ended;
  }

  send(request: WorkerRequest): void {
    if (this.ended) return;
    // Lowered here, not in the worker: an interrupt raised just after this send, before
    // the worker starts the cell, must still stop that cell.
    if (request.type === 'execute') Atomics.store(this.interruptFlag, 0, 0);
    this.worker.postMessage(request);
  }

  /** Raises the shared flag the worker checks in loops, fits and awaits. */
  raiseInterrupt(): void {
    Atomics.store(this.interruptFlag, 0, 1);
  }

  snapshot(): Promise<PanelSnapshot> {
    return this.request((requestId) => ({ type: 'snapshot', requestId }), 'snapshotResult').then((e) => e.snapshot);
  }

  values(paramId: string): Promise<{ text: string; values: number[]; shape: number[] }> {
    return this.request((requestId) => ({ type: 'values', requestId, paramId }), 'valuesResult').then(
      ({ text, values, shape }) => ({ text, values, shape }),
    );
  }

  curve(runId: string): Promise<CurvePoint[]> {
    return this.request((requestId) => ({ type: 'curve', requestId, runId }), 'curveResult').then((e) => e.points);
  }

  /** Ends the worker on purpose: no death is reported. */
  async terminate(): Promise<void> {
    this.terminating = true;
    if (!this.ended) await this.worker.terminate();
  }

  private request<T extends 'snapshotResult' | 'valuesResult' | 'curveResult'>(
    build: (requestId: number) => WorkerRequest,
    _answer: T,
  ): Promise<Extract<WorkerEvent, { type: T }>> {
    if (this.ended) return Promise.reject(new Error('The kernel is not running.'));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (event: WorkerEvent) => void, reject });
      this.send(build(requestId));
    });
  }

  private route(event: WorkerEvent): void {
    if (event.type === 'snapshotResult' || event.type === 'valuesResult' || event.type === 'curveResult') {
      const waiting = this.pending.get(event.requestId);
      this.pending.delete(event.requestId);
      waiting?.resolve(event);
      return;
    }
    this.handlers.onEvent(event);
  }

  private deathReason(code: number): string {
    const error = this.crash as (Error & { code?: string }) | undefined;
    if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const setting = this.options.memoryLimitSetting ? `, ${this.options.memoryLimitSetting}` : '';
      return `it ran out of memory (the heap limit is ${this.options.memoryLimitMb} MB${setting})`;
    }
    if (error) return `it crashed: ${error.message}`;
    return `its process exited with code ${code} (for example a cell called process.exit())`;
  }
}
