// The kernel as its two adapters (the notebook controller and `dlnb run`) see it.
// Implemented in this folder over a worker thread; knows nothing of VS Code.
import type { Backend, CellError, CurvePoint, ExecuteDone, PanelSnapshot, RichOutput, WarmUpReport } from '../shared/protocol';

export interface KernelStartOptions {
  /** Absolute path of the bundled worker (dist/kernel.js). */
  workerPath: string;
  /** Folder with the tfjs wasm binaries (dist/wasm). */
  wasmDir: string;
  /** Folder of the notebook: bare imports resolve from here. */
  notebookDir: string;
  backend: Backend;
  memoryLimitMb: number;
  /** Where users change `memoryLimitMb`, named when the kernel runs out of memory. */
  memoryLimitSetting?: string;
  maxOutputChars: number;
  /** Send panel snapshots at least every 500 ms while a cell runs. */
  livePanel: boolean;
  /** Charts with more points than this are downsampled, with a note. */
  chartMaxPoints: number;
  /** Folder for the kernel's caches, which make later starts faster; none when absent. */
  cacheDir?: string;
  /** Warm up tfjs and the kit while the kernel is idle (default on; tests compare both). */
  warmUp?: boolean;
  /** Split large matrix products with a second core (default on; benchmarks compare both). */
  secondCore?: boolean;
}

export interface CellRun {
  /** 1-based index of the cell in the notebook. */
  cell: number;
  source: string;
  /**
   * All cells' sources, 0-based ('' for markdown): called only when the kernel explains a
   * ReferenceError (which cell declares the name), so a run does not copy the notebook.
   */
  cellSources?: () => readonly string[];
}

/** Receives a running cell's outputs as they stream, in order. */
export interface ExecutionObserver {
  onStream(name: 'stdout' | 'stderr', text: string): void;
  onDisplay(output: RichOutput): void;
  onUpdateDisplay(output: RichOutput & { displayId: string }): void;
}

export type KernelState = 'starting' | 'idle' | 'busy' | 'dead';

export interface Unsubscribe {
  dispose(): void;
}

export interface KernelHandle {
  readonly state: KernelState;
  /** The backend in use once started ('wasm' or 'cpu'). */
  readonly backend: string | undefined;
  /** Starts the worker if needed; resolves once tfjs is ready. Messages (e.g. a backend fallback) are returned. */
  start(): Promise<string[]>;
  /** Runs one cell; calls are queued and run one at a time in call order. */
  execute(run: CellRun, observer: ExecutionObserver): Promise<ExecuteDone>;
  /**
   * Interrupts the running cell: first softly (loop checks, `stopTraining`), then, if it
   * is still running after `graceMs`, by replacing the worker ('restarted': state lost).
   */
  interrupt(graceMs?: number): Promise<'idle' | 'soft' | 'restarted'>;
  /** Ends the worker; the next `execute` or `start` begins a fresh one with no state. */
  restart(): Promise<void>;
  snapshot(): Promise<PanelSnapshot>;
  values(paramId: string): Promise<{ text: string; values: number[]; shape: number[] }>;
  curve(runId: string): Promise<CurvePoint[]>;
  setLivePanel(enabled: boolean): void;
  onPanel(listener: (snapshot: PanelSnapshot) => void): Unsubscribe;
  onStateChange(listener: (state: KernelState) => void): Unsubscribe;
  /** Errors from timers or promises a cell started, reported after the cell ended. */
  onUncaught(listener: (error: CellError, cellRunId?: number) => void): Unsubscribe;
  /**
   * Text printed after the cell it belongs to has ended (by a timer or a promise it
   * started), while no other cell runs: as in Jupyter, it belongs to the last cell run.
   */
  onLateOutput(listener: (name: 'stdout' | 'stderr', text: string, cellRunId: number) => void): Unsubscribe;
  /** The idle warm-up of the current worker finished (steps run, milliseconds spent). */
  onWarmUpDone(listener: (report: WarmUpReport) => void): Unsubscribe;
  /** Whether the current worker's helper thread for large matrix products came up (not sent when it is off). */
  onSecondCore(listener: (ready: boolean) => void): Unsubscribe;
  /** The worker died on its own (process.exit, out of memory); the reason is user-readable. */
  onDied(listener: (reason: string) => void): Unsubscribe;
  dispose(): Promise<void>;
}
