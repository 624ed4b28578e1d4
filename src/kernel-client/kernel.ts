// The kernel as the notebook controller and `dlnb run` use it: cells queued in call order,
// each awaited; a soft interrupt first and a worker restart as the last resort; a worker
// that dies is reported and replaced on the next run. The host process never goes down
// with the kernel.
import type { CellError, CurvePoint, ExecuteDone, PanelSnapshot, WarmUpReport, WorkerEvent } from '../shared/protocol';
import type { CellRun, ExecutionObserver, KernelHandle, KernelStartOptions, KernelState, Unsubscribe } from './types';
import { guarded, Listeners } from './listeners';
import { WorkerConnection } from './workerConnection';

const DEFAULT_GRACE_MS = 2000;

interface RunningCell {
  id: number;
  run: CellRun;
  observer: ExecutionObserver;
  startedAt: number;
  finished: Promise<ExecuteDone>;
  finish: (done: ExecuteDone) => void;
}

export function createKernel(options: KernelStartOptions): KernelHandle {
  return new WorkerKernel(options);
}

class WorkerKernel implements KernelHandle {
  private connection: WorkerConnection | undefined;
  private current: RunningCell | undefined;
  private queueTail: Promise<unknown> = Promise.resolve();
  private nextRunId = 1;
  private stateValue: KernelState = 'idle';
  private backendValue: string | undefined;
  private livePanel: boolean;
  private disposed = false;
  /** Workers asked to end that have not yet: one blocked in a system call ends only when it returns. */
  private readonly ending = new Set<Promise<void>>();
  private readonly panelListeners = new Listeners<[PanelSnapshot]>();
  private readonly stateListeners = new Listeners<[KernelState]>();
  private readonly uncaughtListeners = new Listeners<[CellError, number | undefined]>();
  private readonly lateOutputListeners = new Listeners<['stdout' | 'stderr', string, number]>();
  private readonly diedListeners = new Listeners<[string]>();
  private readonly warmUpListeners = new Listeners<[WarmUpReport]>();
  private readonly secondCoreListeners = new Listeners<[boolean]>();

  constructor(private readonly options: KernelStartOptions) {
    this.livePanel = options.livePanel;
  }

  get state(): KernelState {
    return this.stateValue;
  }

  get backend(): string | undefined {
    return this.backendValue;
  }

  async start(): Promise<string[]> {
    if (this.disposed) throw new Error('The kernel was disposed.');
    if (!this.connection?.alive) this.connection = this.connect();
    const connection = this.connection;
    const ready = await connection.ready;
    if (this.connection === connection && this.stateValue === 'starting') this.setState('idle');
    this.backendValue = ready.backend;
    return ready.messages;
  }

  execute(run: CellRun, observer: ExecutionObserver): Promise<ExecuteDone> {
    const result = this.queueTail.then(() => this.runNow(run, observer));
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  async interrupt(graceMs = DEFAULT_GRACE_MS): Promise<'idle' | 'soft' | 'restarted'> {
    const running = this.current;
    const connection = this.connection;
    if (!running || !connection) return 'idle';
    connection.raiseInterrupt();
    const stopped = await this.waitUntilFinished(running, graceMs);
    if (stopped) return 'soft';
    await this.replaceWorker(
      running,
      `The cell did not stop within ${graceMs / 1000} s of the interrupt, so the kernel was restarted: all state was lost (variables, models, tensors).`,
    );
    return 'restarted';
  }

  async restart(): Promise<void> {
    await this.replaceWorker(this.current, 'The kernel was restarted while this cell ran: all state was lost.');
  }

  async snapshot(): Promise<PanelSnapshot> {
    return this.live().snapshot();
  }

  async values(paramId: string): Promise<{ text: string; values: number[]; shape: number[] }> {
    return this.live().values(paramId);
  }

  async curve(runId: string): Promise<CurvePoint[]> {
    return this.live().curve(runId);
  }

  setLivePanel(enabled: boolean): void {
    this.livePanel = enabled;
    this.connection?.send({ type: 'setLivePanel', enabled });
  }

  onPanel(listener: (snapshot: PanelSnapshot) => void): Unsubscribe {
    return this.panelListeners.add(listener);
  }

  onStateChange(listener: (state: KernelState) => void): Unsubscribe {
    return this.stateListeners.add(listener);
  }

  onLateOutput(listener: (name: 'stdout' | 'stderr', text: string, cellRunId: number) => void): Unsubscribe {
    return this.lateOutputListeners.add(listener);
  }

  onWarmUpDone(listener: (report: WarmUpReport) => void): Unsubscribe {
    return this.warmUpListeners.add(listener);
  }

  /** Whether the helper thread that splits large matrix products came up (sent once per kernel start, unless it is off). */
  onSecondCore(listener: (ready: boolean) => void): Unsubscribe {
    return this.secondCoreListeners.add(listener);
  }

  onUncaught(listener: (error: CellError, cellRunId?: number) => void): Unsubscribe {
    return this.uncaughtListeners.add(listener);
  }

  onDied(listener: (reason: string) => void): Unsubscribe {
    return this.diedListeners.add(listener);
  }

  /** Ends the worker; resolves once every worker this kernel started has really ended. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.replaceWorker(this.current, 'The kernel was shut down while this cell ran.');
    await Promise.all(this.ending);
    this.disposed = true;
    for (const listeners of [
      this.panelListeners,
      this.stateListeners,
      this.uncaughtListeners,
      this.lateOutputListeners,
      this.diedListeners,
    ]) {
      listeners.clear();
    }
  }

  // -------------------------------------------------------------------------------

  private connect(): WorkerConnection {
    this.setState('starting');
    const connection: WorkerConnection = new WorkerConnection(
      { ...this.options, livePanel: this.livePanel },
      {
        onEvent: (event) => this.onEvent(event),
        onDeath: (reason) => {
          if (this.connection !== connection) return;
          this.connection = undefined;
          this.setState('dead');
          this.finishCurrent(this.current, 'error', {
            name: 'KernelDied',
            message: `The kernel died: ${reason}. All state was lost; the next run starts a fresh kernel.`,
          });
          this.diedListeners.fire(reason);
        },
      },
    );
    return connection;
  }

  private async runNow(run: CellRun, observer: ExecutionObserver): Promise<ExecuteDone> {
    if (this.disposed) throw new Error('The kernel was disposed.');
    await this.start();
    const connection = this.live();
    const id = this.nextRunId++;
    let finish!: (done: ExecuteDone) => void;
    const finished = new Promise<ExecuteDone>((resolve) => (finish = resolve));
    this.current = { id, run, observer, startedAt: Date.now(), finished, finish };
    // Sent before any listener hears 'busy': an interrupt from a listener must come after
    // the send, which lowers the flag for the new cell.
    connection.send({ type: 'execute', id, cell: run.cell, source: run.source });
    this.setState('busy');
    const done = await finished;
    if (this.connection === connection && connection.alive) this.setState('idle');
    return done;
  }

  private onEvent(event: WorkerEvent): void {
    const running = this.current;
    switch (event.type) {
      case 'stream':
        if (running?.id === event.id) guarded(() => running.observer.onStream(event.name, event.text));
        else this.lateOutputListeners.fire(event.name, event.text, event.id);
        return;
      case 'display':
        if (running?.id === event.id) guarded(() => running.observer.onDisplay(event.output));
        return;
      case 'updateDisplay':
        if (running?.id === event.id) guarded(() => running.observer.onUpdateDisplay(event.output));
        return;
      case 'done':
        if (running?.id === event.id) {
          this.current = undefined;
          running.finish(event);
        }
        return;
      case 'uncaught':
        this.uncaughtListeners.fire(event.error, event.id);
        return;
      case 'sourcesNeeded': {
        let sources: readonly string[] = [];
        if (running?.id === event.id) guarded(() => (sources = running.run.cellSources?.() ?? []));
        this.connection?.send({ type: 'cellSources', requestId: event.requestId, sources });
        return;
      }
      case 'panel':
        this.panelListeners.fire(event.snapshot);
        return;
      case 'warmUpDone':
        this.warmUpListeners.fire({ steps: event.steps, busyMs: event.busyMs, failed: event.failed });
        return;
      case 'secondCore':
        this.secondCoreListeners.fire(event.ready);
        return;
      default:
        return;
    }
  }

  /** Waits for `running` to finish, up to `ms`; true when it did. */
  private async waitUntilFinished(running: RunningCell, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([running.finished.then(() => true as const), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the worker on purpose; the running cell (if any) ends as interrupted with `message`. */
  private async replaceWorker(running: RunningCell | undefined, message: string): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.finishCurrent(running, 'interrupted', { name: 'KernelRestarted', message });
    if (connection) {
      const ended = connection.terminate();
      this.ending.add(ended);
      await ended.finally(() => this.ending.delete(ended));
    }
    if (!this.disposed) this.setState('idle');
  }

  private finishCurrent(
    running: RunningCell | undefined,
    status: 'error' | 'interrupted',
    error: Omit<CellError, 'stack'>,
  ): void {
    if (!running || this.current !== running) return;
    this.current = undefined;
    running.finish({
      type: 'done',
      id: running.id,
      status,
      error: { ...error, stack: `${error.name}: ${error.message}` },
      memory: { tensorsBefore: 0, tensorsAfter: 0, bytesBefore: 0, bytesAfter: 0, leakedTensors: 0, leakedBytes: 0 },
      durationMs: Date.now() - running.startedAt,
    });
  }

  private live(): WorkerConnection {
    if (!this.connection?.alive) throw new Error('The kernel is not running.');
    return this.connection;
  }

  private setState(state: KernelState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.stateListeners.fire(state);
  }
}
