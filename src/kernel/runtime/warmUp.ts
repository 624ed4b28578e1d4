// What the first run of a training cell pays and later runs do not: V8 compiling, then
// optimizing, tfjs's engine, the learning kit and dlnb's kernels. The tutorial's 3000-step
// loop took 3x as long on its first run as warm, and V8 keeps no optimized code between
// processes. So while the kernel sits idle after its start (the user reading, or between
// cells run one by one), it trains a few tiny models the ways cells do, in slices of a few
// milliseconds, and stops for as long as any cell runs or waits, or has just run.
//
// It never changes a cell's results: its own learning kit (own random generator, own Loss
// History), constant data, named tf variables, and everything disposed; no model.fit (the
// panel's fit hooks would record it) and no tf random op (they draw from Math.random).
import * as tf from '@tensorflow/tfjs';
import type { WarmUpReport } from '../../shared/protocol';
import { compileCell } from '../compile';
import { createLearningKit } from '../dl/index';
import { LossHistory } from '../panel/lossHistory';

/** Longest a slice runs before yielding: the most a cell sent meanwhile waits. */
const SLICE_MS = 4;

type Kit = ReturnType<typeof createLearningKit>;
type Task = () => Generator<void, void, void>;

export interface IdleWarmUpOptions {
  /** False while a cell runs or waits to run: the warm-up waits too. */
  isIdle(): boolean;
  /** Called once when every task has run, or one failed; not after `stop()`. */
  onDone(report: WarmUpReport): void;
  /** What to run (tests give their own); by default the tasks below. */
  tasks?: Task[];
  /** Schedules the next slice (tests pass a fake); by default setImmediate, or a timer while busy. */
  schedule?: (next: () => void, busy: boolean) => void;
  now?: () => number;
}

/** How long the kernel must have had no cell before the warm-up runs: Run All never waits on it. */
export const QUIET_MS = 150;

/**
 * Whether the kernel is idle: no cell running or waiting, and none for QUIET_MS. Cells that
 * follow each other (Run All, `dlnb run`) leave gaps of well under a millisecond, so the
 * warm-up never takes a slice between them; a person reading between cells leaves seconds.
 */
export class IdleTracker {
  private pending = 0;
  private lastEnd: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.lastEnd = now();
  }

  cellQueued(): void {
    this.pending++;
  }

  cellEnded(): void {
    this.pending--;
    this.lastEnd = this.now();
  }

  isIdle(): boolean {
    return this.pending === 0 && this.now() - this.lastEnd >= QUIET_MS;
  }
}

/** Runs `tasks` step by step in short slices, only while `isIdle()`. */
export class IdleWarmUp {
  private readonly tasks: Task[];
  private current: Generator<void, void, void> | undefined;
  private stopped = false;
  private readonly report: WarmUpReport = { steps: 0, busyMs: 0 };
  private readonly ids = new EngineIds();

  constructor(private readonly options: IdleWarmUpOptions) {
    this.tasks = [...(options.tasks ?? defaultTasks())];
    this.next();
  }

  /** Ends the warm-up, disposing what the task in progress holds. */
  stop(): void {
    this.stopped = true;
    this.current?.return();
    this.current = undefined;
  }

  private next(): void {
    const schedule = this.options.schedule ?? defaultSchedule;
    const busy = !this.options.isIdle();
    schedule(() => this.slice(), busy);
  }

  private slice(): void {
    if (this.stopped) return;
    if (!this.options.isIdle()) return this.next();
    const now = this.options.now ?? performance.now.bind(performance);
    const start = now();
    const userIds = this.ids.swapIn();
    try {
      while (now() - start < SLICE_MS) {
        this.current ??= this.tasks.shift()?.();
        if (!this.current) return this.finish();
        if (this.current.next().done) this.current = undefined;
        else this.report.steps++;
      }
    } catch (error) {
      // A warm-up that fails (say, out of wasm memory) only leaves the first run slower.
      this.stop();
      this.report.failed = error instanceof Error ? error.message : String(error);
      this.options.onDone({ ...this.report });
      return;
    } finally {
      this.ids.swapOut(userIds);
      this.report.busyMs += now() - start;
    }
    this.next();
  }

  private finish(): void {
    this.stopped = true;
    this.options.onDone({ ...this.report });
  }
}

interface EngineCounters {
  nextTensorId: number;
  nextVariableId: number;
}

/**
 * tfjs numbers tensors and unnamed variables (the kit's parameters, `tf.variable(t)`) from
 * counters of its own, and names like `4/m` show in a cell's output. The warm-up counts in
 * a range of its own, far above any a notebook reaches, so the cells' numbering goes on
 * as if it had never run.
 */
class EngineIds {
  private warmUp: EngineCounters = { nextTensorId: 2 ** 40, nextVariableId: 2 ** 40 };

  private get counters(): EngineCounters {
    return tf.engine().constructor as unknown as EngineCounters;
  }

  /** Switches tfjs to the warm-up's counters; returns the cells' counters. */
  swapIn(): EngineCounters {
    const { nextTensorId, nextVariableId } = this.counters;
    Object.assign(this.counters, this.warmUp);
    return { nextTensorId, nextVariableId };
  }

  /** Puts the cells' counters back, keeping where the warm-up's got to. */
  swapOut(cells: EngineCounters): void {
    const { nextTensorId, nextVariableId } = this.counters;
    this.warmUp = { nextTensorId, nextVariableId };
    Object.assign(this.counters, cells);
  }
}

/** Straight away when idle; otherwise look again a little later. */
function defaultSchedule(next: () => void, busy: boolean): void {
  if (busy) setTimeout(next, QUIET_MS / 3);
  else setImmediate(next);
}

/** A tf variable under a name no cell uses, without leaving its initial tensor behind. */
function warmUpVariable(name: string, values: number[], shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial, true, `dlnb-warm-up/${name}`);
  initial.dispose();
  return variable;
}

/** 32 points on y = 3x + 2, as the tutorial's regression. */
function lineData(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const xs = Array.from({ length: 32 }, (_, i) => i / 31);
  return {
    x: tf.tensor2d(xs, [32, 1]),
    y: tf.tensor2d(
      xs.map((v) => 3 * v + 2),
      [32, 1],
    ),
  };
}

/** The tutorial's loop with the kit: Linear, MSELoss, SGD; then mini-batches with Adam. */
function* kitLoops(dl: Kit): Generator<void, void, void> {
  const { x, y } = lineData();
  const model = new dl.nn.Linear(1, 1);
  const criterion = new dl.nn.MSELoss();
  try {
    const sgd = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
    for (let step = 0; step < 2000; step++) {
      sgd.zeroGrad();
      dl.backward(() => criterion(model(x), y));
      sgd.step();
      yield;
    }
    const adam = new dl.optim.Adam(model.parameters(), { lr: 0.01 });
    for (let step = 0; step < 200; step++) {
      const order = dl.randperm(32);
      const rows = order.slice(0, 8);
      adam.zeroGrad();
      dl.backward(() => criterion(model(x.gather(rows)), y.gather(rows)));
      adam.step();
      tf.dispose([order, rows]);
      yield;
    }
  } finally {
    model.dispose();
    tf.dispose([x, y]);
  }
}

/** The same regression in plain tfjs, as its guides write it: variables and minimize. */
function* tfOpsLoop(): Generator<void, void, void> {
  const { x, y } = lineData();
  const w = warmUpVariable('w', [0.5], [1, 1]);
  const b = warmUpVariable('b', [0], [1]);
  const optimizer = tf.train.sgd(0.01);
  try {
    for (let step = 0; step < 2000; step++) {
      optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar, false, [w, b]);
      yield;
    }
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, w, b]);
  }
}

/** A small classifier with Adam: matMul, relu, softmax cross-entropy, batches by slice. */
function* tfOpsClassifier(): Generator<void, void, void> {
  const inputs = tf.tensor2d(
    Array.from({ length: 64 * 8 }, (_, i) => Math.sin(i)),
    [64, 8],
  );
  const labels = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: 64 }, (_, i) => i % 4),
          'int32',
        ),
        4,
      )
      .toFloat(),
  );
  const constant = (n: number) => Array.from({ length: n }, (_, i) => 0.1 * Math.cos(i));
  const params = [
    warmUpVariable('w1', constant(8 * 16), [8, 16]),
    warmUpVariable('b1', constant(16), [16]),
    warmUpVariable('w2', constant(16 * 4), [16, 4]),
    warmUpVariable('b2', constant(4), [4]),
  ];
  const optimizer = tf.train.adam(1e-3);
  try {
    for (let step = 0; step < 300; step++) {
      const start = (step % 4) * 16;
      tf.tidy(() => {
        const xb = inputs.slice([start, 0], [16, 8]);
        const yb = labels.slice([start, 0], [16, 4]);
        const loss = () => {
          const hidden = tf.relu(tf.add(tf.matMul(xb, params[0] as tf.Tensor2D), params[1]));
          const scores = tf.add(tf.matMul(hidden, params[2] as tf.Tensor2D), params[3]);
          return tf.losses.softmaxCrossEntropy(yb, scores) as tf.Scalar;
        };
        // Its own variables only: never a gradient for a cell's.
        optimizer.minimize(loss, false, params);
      });
      yield;
    }
  } finally {
    optimizer.dispose();
    tf.dispose([inputs, labels, ...params]);
  }
}

/** Cells as users write them, compiled (not run): a new cell's compile is part of its first run. */
const SAMPLE_CELLS = [
  `const model = new dl.nn.Linear(1, 1);\nconst optimizer = new dl.optim.SGD(model.parameters(), { lr: 0.01 });`,
  `for (let epoch = 0; epoch < epochs; epoch++) {\n  optimizer.zeroGrad();\n  const loss = dl.backward(() => criterion(model(x), y));\n  optimizer.step();\n  if (epoch % 100 === 0) console.log(\`epoch \${epoch}, loss \${loss.toFixed(4)}\`);\n}`,
  `const w = tf.variable(tf.zeros([1, 1]));\nawait model.fit(xs, ys, { epochs: 5, callbacks: { onEpochEnd: (e, logs) => console.log(e, logs?.loss) } });\ntf.tidy(() => { const t: tf.Tensor = x.mul(2); return t.sum(); });`,
];

function* compileSamples(): Generator<void, void, void> {
  for (let round = 0; round < 20; round++) {
    for (const [i, source] of SAMPLE_CELLS.entries()) {
      compileCell(source, { fileName: `dlnb-warm-up-${i}.ts` });
      yield;
    }
  }
}

function defaultTasks(): Task[] {
  // Its own kit: the cells' `dl` keeps its random generator, run numbers and Loss History.
  const dl = createLearningKit({ history: new LossHistory() });
  return [compileSamples, () => kitLoops(dl), tfOpsLoop, tfOpsClassifier];
}
