// The one typed protocol between the extension host (or the CLI), the kernel worker and
// the renderer. Each message is defined once here and imported by every side.
// Only plain, structured-clone-safe data crosses: never tensors, never functions.

/** MIME types dlnb emits and renders. */
export const MIME = {
  vegaLite: 'application/vnd.vegalite.v5+json',
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  json: 'application/json',
  /** A tensor shown as a cell value: `TensorView` below, with a text/plain fallback. */
  tensor: 'application/vnd.dlnb.tensor+json',
  /** A model shown as a cell value: `ModelSummary` below, with a text/plain fallback. */
  model: 'application/vnd.dlnb.model+json',
} as const;

/**
 * What the tensor renderer draws for `MIME.tensor`: a few KB whatever the tensor's size
 * (head and tail, a sampled grid, a downscaled image), read once in the kernel.
 */
export interface TensorView {
  dtype: string;
  shape: number[];
  size: number;
  disposed?: boolean;
  /** Over every finite value; NaN and ±Infinity are only counted. Absent for string/complex tensors. */
  stats?: { min: number; max: number; mean: number; std: number; nonFinite: number };
  /**
   * A 1-D or 2-D tensor's values, all of them or its head and tail per axis as NumPy prints
   * a large one: `rows` and `cols` are the indexes shown (a jump between two is an elision).
   * A 1-D tensor is one row, with `rows` absent.
   */
  table?: { rows?: number[]; cols: number[]; values: (number | string)[][] };
  /** A 2-D tensor sampled to at most 64 by 64 cells (every `step`-th row and column). */
  heatmap?: { rows: number; cols: number; rowStep: number; colStep: number; values: number[] };
  /** An [H,W,1|3|4] tensor as RGBA bytes (base64), downscaled to at most 256 pixels a side. */
  image?: { width: number; height: number; step: number; scale: string; rgba: string };
}

/** One layer (or kit module) of a model summary. */
export interface ModelSummaryRow {
  /** The layer's name, or a kit module's dotted path (`0`, `encoder.1`). */
  name: string;
  /** Its class: `Linear`, `Dense`. */
  type: string;
  /** 1 for the model's own layers, more for layers nested in them. */
  depth: number;
  /** `[batch, 3]`, or `?` where the shape depends on the input. */
  outputShape: string;
  /** Parameters in it (and in its children), and how many of them train. */
  params: number;
  trainable: number;
}

/** A model's layers and parameter counts, like Keras's summary() or torchsummary. */
export interface ModelSummary {
  title: string;
  layers: ModelSummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Set when the model has more layers than the summary lists. */
  cut?: boolean;
}

/** Jupyter-style MIME bundle: one value in several representations, richest first. */
export type MimeBundle = Record<string, unknown>;

export interface RichOutput {
  /** Representations of one value; the host shows the richest it can. */
  bundle: MimeBundle;
  /** Set for outputs that are updated in place later (live charts). */
  displayId?: string;
}

export type Backend = 'wasm' | 'cpu';

/** Where an error happened in user code, in the numbers users see. */
export interface CellLocation {
  /** 1-based index of the cell in the notebook. */
  cell: number;
  /** 1-based line within that cell. */
  line: number;
  column?: number;
}

export interface CellError {
  name: string;
  message: string;
  /** Stack with frames rewritten to `cell N, line L`; kernel-internal frames removed. */
  stack: string;
  /** The innermost user-code frame, when there is one. */
  location?: CellLocation;
  /** Extra help, e.g. "`model` is declared in cell 7, which has not run". */
  hint?: string;
}

export interface MemoryReport {
  tensorsBefore: number;
  tensorsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Tensors the cell allocated that no top-level variable holds (a leak), and their bytes. */
  leakedTensors: number;
  leakedBytes: number;
  /** Top-level names the cell declared again whose old value's tensors are still allocated. */
  replaced?: ReplacedName[];
}

/** A top-level name a cell declared again while its old value still held tensors. */
export interface ReplacedName {
  name: string;
  /** The old value in words: "a [256,1] float32 tensor", "a Linear holding 2 tensors". */
  what: string;
  /** The cell that declared the old value, when the kernel saw it run. */
  fromCell?: number;
  /** The call that frees such a value: `x.dispose()`, or `tf.dispose(x)` for arrays and objects. */
  dispose: string;
  /** Tensors of the old value that nothing holds now, and their bytes. */
  tensors: number;
  bytes: number;
}

// ---------------------------------------------------------------------------------
// Side panel data: computed in the worker, small and plain.

export interface TensorStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export type ParamKind = 'model' | 'layer' | 'module' | 'variable' | 'tensor';

export interface ParamNode {
  /** Stable path, e.g. `model/dense_1/kernel`; used to ask the worker for full values. */
  id: string;
  label: string;
  kind: ParamKind;
  shape?: number[];
  dtype?: string;
  stats?: TensorStats;
  /** The values themselves when there are at most 10. */
  values?: number[];
  children?: ParamNode[];
  /** For a top-level model or kit module: its layers and parameter counts (the row's tooltip). */
  summary?: ModelSummary;
}

export interface LossSeries {
  name: string;
  steps: number;
  last: number;
  best: number;
}

export interface LossRun {
  id: string;
  name: string;
  source: 'optimizer' | 'fit' | 'log';
  /** The main series (the loss) ... */
  loss: LossSeries;
  /** ... and any metrics recorded beside it. */
  metrics: LossSeries[];
}

export interface CellLeak {
  cell: number;
  tensors: number;
  bytes: number;
  /** Names this cell declared again, whose old tensors are part of `tensors` and `bytes`. */
  replaced?: ReplacedName[];
}

export interface KernelSummary {
  backend: string;
  numTensors: number;
  numBytes: number;
  leaks: CellLeak[];
}

export interface PanelSnapshot {
  kernel: KernelSummary;
  parameters: ParamNode[];
  runs: LossRun[];
}

// ---------------------------------------------------------------------------------
// Host (or CLI) -> worker.

export interface InitRequest {
  type: 'init';
  backend: Backend;
  /** Folder holding tfjs-backend-wasm's .wasm files. */
  wasmDir: string;
  /** Bare imports in cells resolve from here, as Node resolves them. */
  notebookDir: string;
  /** Int32Array view over it: [0] is set to 1 by the host to interrupt a running cell. */
  interruptBuffer: SharedArrayBuffer;
  /** Cap on one cell's text output, in characters. */
  maxOutputChars: number;
  /** Send panel snapshots while cells run (the side panel is open). */
  livePanel: boolean;
  /** Charts with more points than this are downsampled, with a note. */
  chartMaxPoints: number;
  /** Folder the kernel may keep caches in (compiled code of TypeScript); none when absent. */
  cacheDir?: string;
  /** Warm up tfjs and the kit while idle, so a training cell's first run is not its slowest (default on). */
  warmUp?: boolean;
  /** Split large matrix products with a helper thread on a second core, where there is one (default on). */
  secondCore?: boolean;
}

export interface ExecuteRequest {
  type: 'execute';
  id: number;
  /** 1-based index of the cell in the notebook at the time of the run. */
  cell: number;
  source: string;
}

/**
 * The notebook's cell sources, sent only when the kernel asks (`sourcesNeeded`): to say in
 * which cell a name that is not defined is declared. Sending them with every run made
 * running N cells cost N times the notebook's size.
 */
export interface CellSourcesAnswer {
  type: 'cellSources';
  requestId: number;
  /** Every cell's source by index (0-based), '' for markdown cells; empty when unknown. */
  sources: readonly string[];
}

export type WorkerRequest =
  | InitRequest
  | ExecuteRequest
  | CellSourcesAnswer
  | { type: 'snapshot'; requestId: number }
  | { type: 'values'; requestId: number; paramId: string }
  | { type: 'curve'; requestId: number; runId: string }
  | { type: 'setLivePanel'; enabled: boolean };

// ---------------------------------------------------------------------------------
// Worker -> host (or CLI).

export type ExecutionStatus = 'ok' | 'error' | 'interrupted';

export interface ExecuteDone {
  type: 'done';
  id: number;
  status: ExecutionStatus;
  /** The cell's last expression, when it is not `undefined`. */
  result?: RichOutput;
  error?: CellError;
  memory: MemoryReport;
  durationMs: number;
}

export interface CurvePoint {
  series: string;
  step: number;
  value: number;
}

export type WorkerEvent =
  | { type: 'ready'; backend: string; tfVersion: string; messages: string[] }
  | { type: 'stream'; id: number; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; id: number; output: RichOutput }
  | { type: 'updateDisplay'; id: number; output: RichOutput & { displayId: string } }
  | ExecuteDone
  /** An error from a timer or promise that a cell started, after or while it ran. */
  | { type: 'uncaught'; id?: number; error: CellError }
  | { type: 'panel'; snapshot: PanelSnapshot }
  /** The running cell `id` needs the notebook's sources (answered with `cellSources`). */
  | { type: 'sourcesNeeded'; id: number; requestId: number }
  | { type: 'snapshotResult'; requestId: number; snapshot: PanelSnapshot }
  | { type: 'valuesResult'; requestId: number; text: string; values: number[]; shape: number[] }
  | { type: 'curveResult'; requestId: number; points: CurvePoint[] }
  /** The idle warm-up (runtime/warmUp.ts) has finished. */
  | ({ type: 'warmUpDone' } & WarmUpReport)
  /** The helper thread for large matrix products (tf/parallel) is up, or could not start. */
  | { type: 'secondCore'; ready: boolean };

/** What the kernel's idle warm-up did (src/kernel/runtime/warmUp.ts). */
export interface WarmUpReport {
  /** Steps run, of all its tasks. */
  steps: number;
  /** Time spent in its slices. */
  busyMs: number;
  /** Why it stopped early, when it failed. */
  failed?: string;
}

// ---------------------------------------------------------------------------------
// Renderer <-> host messaging (optional; charts also update by output replacement).

export type RendererMessage = { type: 'chartError'; outputId: string; message: string };

// ---------------------------------------------------------------------------------
// Loss-curve webview (side panel) <-> host.

/** Host -> webview: draw `spec` with its named data set `dataName` filled by `values`. */
export type LossChartUpdate = { type: 'curve'; spec: Record<string, unknown>; dataName: string; values: CurvePoint[] };

/** Webview -> host. */
export type LossChartMessage = { type: 'ready' } | { type: 'error'; message: string };
