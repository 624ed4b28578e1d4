// The tutorial's first lesson: fit y = 3x + 2 with Linear(1, 1), MSE and SGD (lr 0.01),
// 3000 full-batch epochs on 256 points. Tiny tensors, so this measures per-op overhead.
import path from 'node:path';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_LABEL } from '../lib/backend';
import { pytorchFigure, type BenchContext, type Workload } from '../lib/context';
import { normal, uniform } from '../lib/data';
import { measureInterleaved, type Measurement } from '../lib/measure';
import type { Row } from '../lib/table';

const EPOCHS = 3000;
const POINTS = 256;
const WORKLOAD = 'tutorial loop, 3000 epochs';
const TARGET = { of: 'ratio', max: 1.0 } as const;

function makeData(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const xs = uniform(POINTS, 11, 0, 10);
  const noise = normal(POINTS, 12);
  const ys = xs.map((x, i) => 3 * x + 2 + noise[i]);
  return { x: tf.tensor2d(xs, [POINTS, 1]), y: tf.tensor2d(ys, [POINTS, 1]) };
}

/** The loop as a TensorFlow.js user writes it: variables, an optimizer, `minimize`. */
function tfOpsLoop(): number {
  const { x, y } = makeData();
  const w = tf.variable(tf.tensor2d([[0.5]]));
  const b = tf.variable(tf.tensor1d([0]));
  const optimizer = tf.train.sgd(0.01);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar);
  }
  const loss = tf.tidy(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)).dataSync()[0]);
  tf.dispose([x, y, w, b]);
  optimizer.dispose();
  return loss;
}

/**
 * The same model through tf.layers and `model.fit`, one full batch per epoch. By default
 * fit yields to the event loop between epochs; `yieldEvery: 'never'` shows what that costs.
 */
async function layersFit(yieldEvery: 'auto' | 'never'): Promise<number> {
  const { x, y } = makeData();
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  const history = await model.fit(x, y, { epochs: EPOCHS, batchSize: POINTS, shuffle: false, verbose: 0, yieldEvery });
  model.dispose();
  tf.dispose([x, y]);
  const losses = history.history.loss as number[];
  return losses[losses.length - 1];
}

interface Kit {
  nn: {
    Linear: new (i: number, o: number) => { forward(x: tf.Tensor): tf.Tensor; parameters(): unknown };
    MSELoss: new () => { forward(p: tf.Tensor, t: tf.Tensor): tf.Tensor };
  };
  optim: { SGD: new (params: unknown, options: { lr: number }) => { zeroGrad(): void; step(): void } };
  /** The loss value (a number; a tensor in early versions of the kit). */
  backward(f: () => tf.Tensor): number | tf.Tensor;
}

/** The learning kit, when it has landed: `dl.nn.Linear`, `dl.optim.SGD`, `dl.backward`. */
async function loadKit(root: string): Promise<{ kit?: Kit; note?: string }> {
  const entry = path.join(root, 'src/kernel/dl/index.ts');
  if (!existsSync(entry)) return { note: 'learning kit not there yet (src/kernel/dl)' };
  try {
    const dl = (await import('../../src/kernel/dl/index')) as { createLearningKit?: (deps: unknown) => unknown };
    const { LossHistory } = await import('../../src/kernel/panel/lossHistory');
    const kit = dl.createLearningKit?.({ history: new LossHistory() }) as Partial<Kit> | undefined;
    if (!kit?.nn?.Linear || !kit.nn.MSELoss || !kit.optim?.SGD || typeof kit.backward !== 'function') {
      return { note: 'learning kit not there yet (no nn.Linear / optim.SGD / backward)' };
    }
    return { kit: kit as Kit };
  } catch (error) {
    return { note: `learning kit failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The lesson's loop, word for word as the tutorial writes it with the kit. */
function kitLoop(dl: Kit): number {
  const { x, y } = makeData();
  const model = new dl.nn.Linear(1, 1);
  const criterion = new dl.nn.MSELoss();
  const optimizer = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
  let last = NaN;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    optimizer.zeroGrad();
    const loss = dl.backward(() => criterion.forward(model.forward(x), y));
    optimizer.step();
    if (typeof loss === 'number') last = loss;
    else {
      if (epoch === EPOCHS - 1) last = loss.dataSync()[0];
      loss.dispose();
    }
  }
  tf.dispose([x, y]);
  return last;
}

/** The interleaved loops on this process's backend: tf ops, and on wasm the learning kit. */
async function loopRows(context: BenchContext): Promise<Row[]> {
  const pytorch = pytorchFigure(context, (f) => f.tutorial_3000_epochs_s);
  const runs = context.quick ? 2 : 5;
  const label = BACKEND_LABEL[context.backend];
  const variants: Record<string, () => unknown> = { [`tf ops, ${label}`]: tfOpsLoop };
  const rows: Row[] = [];
  if (context.backend === 'wasm') {
    const { kit, note } = await loadKit(context.root);
    if (kit) variants[`learning kit, ${label}`] = () => kitLoop(kit);
    else rows.push({ workload: WORKLOAD, variant: 'learning kit', unit: 's', note });
  }
  context.log(`${WORKLOAD}: ${Object.keys(variants).join(' / ')} x${runs}`);
  const results: Record<string, Measurement> = await measureInterleaved(variants, { runs });
  const measured = Object.entries(results).map(([variant, m]): Row => ({
    workload: WORKLOAD,
    variant,
    value: m.median,
    cpu: m.cpuMedian,
    unit: 's',
    ...pytorch,
    target: TARGET,
  }));
  return [...measured, ...rows];
}

async function fitRows(context: BenchContext): Promise<Row[]> {
  const pytorch = pytorchFigure(context, (f) => f.tutorial_3000_epochs_s);
  context.log(`${WORKLOAD}: model.fit x${context.quick ? 1 : 3}`);
  const fit = await measureInterleaved(
    { auto: () => layersFit('auto'), never: () => layersFit('never') },
    { runs: context.quick ? 1 : 3 },
  );
  return Object.entries(fit).map(([yieldEvery, m]) => ({
    workload: WORKLOAD,
    variant: `model.fit (yieldEvery '${yieldEvery}'), ${BACKEND_LABEL[context.backend]}`,
    value: m.median,
    cpu: m.cpuMedian,
    unit: 's',
    ...pytorch,
    note: 'for reference: fit runs callbacks every epoch',
  }));
}

/** Each backend in a process of its own: a cpu run would slow every later wasm figure. */
export const tutorialWorkload: Workload = {
  name: 'tutorial',
  backends: ['wasm', 'cpu'],
  async run(context: BenchContext): Promise<Row[]> {
    const rows = await loopRows(context);
    if (context.backend === 'wasm') rows.push(...(await fitRows(context)));
    return rows;
  },
};
