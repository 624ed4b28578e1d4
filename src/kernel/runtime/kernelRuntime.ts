// The kernel inside the worker, built once from the init request: output routing,
// interrupt, cell globals, training hooks, the panel feed and the cell runner, wired
// together. worker.ts only moves messages in and out.
import type { ExecuteRequest, InitRequest, WorkerEvent, WorkerRequest } from '../../shared/protocol';
import type { KernelIO } from '../kernelIO';
import { LossHistory } from '../panel/lossHistory';
import { registerFitRecording, tensorValues } from '../panel/snapshot';
import { toCellError } from './cellErrors';
import { installCellGlobals } from './cellGlobals';
import { CellRunner } from './cellRunner';
import { redirectConsole } from './console';
import { addFitCallbackFactory, installFitHooks } from './fitHooks';
import { InterruptFlag, isInterrupt } from './interrupt';
import { createLoopTick } from './loopTick';
import { CellOutput } from './output';
import { PanelFeed } from './panelFeed';
import { SourceRequests } from './sourceRequests';
import { IdleTracker, IdleWarmUp } from './warmUp';

export class KernelRuntime {
  private readonly history = new LossHistory();
  private readonly output: CellOutput;
  private readonly panel: PanelFeed;
  private readonly runner: CellRunner;
  private readonly sources: SourceRequests;
  private queue: Promise<void> = Promise.resolve();
  /** Cells running or waiting to run, and when the last one ended (for the warm-up). */
  private readonly idle = new IdleTracker();
  private warmUp: IdleWarmUp | undefined;

  constructor(
    init: InitRequest,
    private readonly post: (event: WorkerEvent) => void,
  ) {
    const interrupt = new InterruptFlag(init.interruptBuffer);
    this.output = new CellOutput(post, init.maxOutputChars);
    redirectConsole(this.output);
    this.panel = new PanelFeed(post, this.history, () => this.runner.userGlobals(), init.livePanel);
    const loopTick = createLoopTick({
      checkInterrupt: () => {
        interrupt.check();
        this.runner.abandoned.check();
      },
      onCheck: (now) => {
        this.output.flushIfDue(now);
        this.panel.postIfDue(now);
      },
    });
    this.sources = new SourceRequests(post);
    this.runner = new CellRunner(post, this.output, interrupt, this.panel, () => loopTick.reset(), this.sources);

    const io: KernelIO = {
      display: (bundle, displayId) => this.output.display({ bundle, displayId }),
      updateDisplay: (displayId, bundle) => this.output.updateDisplay({ bundle, displayId }),
      onCellEnd: (callback) => this.runner.onCellEnd(callback),
    };
    installCellGlobals({
      io,
      history: this.history,
      notebookDir: init.notebookDir,
      chartMaxPoints: init.chartMaxPoints,
      tick: loopTick.tick,
    });

    installFitHooks();
    // A fit does not run loop ticks: stop it between batches when the user interrupts.
    addFitCallbackFactory((model) => ({
      onBatchEnd: async () => {
        if (interrupt.raised) model.stopTraining = true;
      },
    }));
    registerFitRecording({ history: this.history, addFitCallbackFactory });
    this.reportUncaughtErrors();
  }

  execute(request: ExecuteRequest): Promise<void> {
    this.idle.cellQueued();
    // A warm-up step in progress (an async model.fit) ends first: no cell runs inside it.
    this.queue = this.queue
      .then(() => this.warmUp?.settled())
      .then(() => this.runner.execute(request))
      .finally(() => this.idle.cellEnded());
    return this.queue;
  }

  /** Starts the idle warm-up; it steps aside whenever a cell runs or waits. */
  startWarmUp(): void {
    this.warmUp = new IdleWarmUp({
      isIdle: () => this.idle.isIdle(),
      onDone: (report) => this.post({ type: 'warmUpDone', ...report }),
    });
  }

  /** Panel requests: answered at once, between a running cell's awaits. */
  handle(request: Exclude<WorkerRequest, InitRequest | ExecuteRequest>): void {
    switch (request.type) {
      case 'snapshot':
        this.post({ type: 'snapshotResult', requestId: request.requestId, snapshot: this.panel.snapshot() });
        return;
      case 'values': {
        const result = tensorValues(this.runner.userGlobals(), request.paramId) ?? {
          text: `${request.paramId} no longer exists (disposed, or its variable was reassigned).`,
          values: [],
          shape: [],
        };
        this.post({ type: 'valuesResult', requestId: request.requestId, ...result });
        return;
      }
      case 'curve':
        this.post({ type: 'curveResult', requestId: request.requestId, points: this.history.curve(request.runId) });
        return;
      case 'setLivePanel':
        this.panel.setLive(request.enabled);
        return;
      case 'cellSources':
        this.sources.answer(request.requestId, request.sources);
        return;
    }
  }

  /** Errors from timers and promises a cell started: reported, never fatal to the worker. */
  private reportUncaughtErrors(): void {
    const report = (thrown: unknown) => {
      // A stopped cell's leftover timers stopping too is what the user asked for.
      if (isInterrupt(thrown)) return;
      this.output.flush();
      this.post({ type: 'uncaught', id: this.runner.lastRunId, error: toCellError(thrown, this.runner.maps) });
    };
    process.on('uncaughtException', report);
    process.on('unhandledRejection', report);
  }
}
