// What the kernel's idle warm-up (warmUp.ts) runs: tiny models trained the ways cells
// train them, and sample cells compiled. Each task is a generator that yields after every
// step, so the warm-up can stop between any two; its `finally` disposes what it made.
// Nothing here touches what cells see: its own learning kit (own random generator, own
// Loss History), constant data, variables named under `dlnb-warm-up/`, layers and models
// named `dlnbWarmUp…` (an unnamed one would take a number from the names cells' layers
// get, as `dense_Dense1`), model.fit past the panel's fit hooks, and no tf random op
// without a seed (those draw from Math.random).
import * as tf from '@tensorflow/tfjs';
import { compileCell } from '../compile';
import { createLearningKit } from '../dl/index';
import { LossHistory } from '../panel/lossHistory';
import { fitWithoutHooks } from './fitHooks';

type Kit = ReturnType<typeof createLearningKit>;
/** A step either ends where it returns, or hands back the promise of an async call (`model.fit`). */
export type WarmUpStep = void | Promise<unknown>;
export type WarmUpTask = () => Generator<WarmUpStep, void, void>;

/** A tf variable under a name no cell uses, without leaving its initial tensor behind. */
function warmUpVariable(name: string, values: number[], shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial, true, `dlnb-warm-up/${name}`);
  initial.dispose();
  return variable;
}

/** `points` points on y = 3x + 2, as the tutorial's regression. */
function lineData(points = 32): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const xs = Array.from({ length: points }, (_, i) => i / (points - 1));
  return {
    x: tf.tensor2d(xs, [points, 1]),
    y: tf.tensor2d(
      xs.map((v) => 3 * v + 2),
      [points, 1],
    ),
  };
}

/**
 * The tutorial's loop with the kit: Linear, MSELoss, SGD, on the tutorial's 256 points;
 * then mini-batches with Adam. V8 takes about 12,000 such steps to optimize the kit's
 * gradient path: after 2,000 the user's first runs were still in that ramp.
 */
function* kitLoops(dl: Kit): Generator<void, void, void> {
  const { x, y } = lineData(256);
  const model = new dl.nn.Linear(1, 1);
  const criterion = new dl.nn.MSELoss();
  try {
    const sgd = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
    for (let step = 0; step < 8000; step++) {
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
    for (let step = 0; step < 6000; step++) {
      optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar, false, [w, b]);
      yield;
    }
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, w, b]);
  }
}

/** Constant inputs and one-hot labels of `classes` classes, for the small classifiers. */
function classifierData(rows: number, features: number, classes: number): { inputs: tf.Tensor2D; labels: tf.Tensor2D } {
  const inputs = tf.tensor2d(
    Array.from({ length: rows * features }, (_, i) => Math.sin(i)),
    [rows, features],
  );
  const classOf = tf.tensor1d(
    Array.from({ length: rows }, (_, i) => i % classes),
    'int32',
  );
  const labels = tf.tidy(() => tf.oneHot(classOf, classes).toFloat()) as tf.Tensor2D;
  classOf.dispose();
  return { inputs, labels };
}

/** A small classifier with Adam: matMul, relu, softmax cross-entropy, batches by slice. */
function* tfOpsClassifier(): Generator<void, void, void> {
  const { inputs, labels } = classifierData(64, 8, 4);
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

/**
 * Products the size of a dense layer's in a training step, in the three forms its forward
 * and backward passes take (x·W, xᵀ·dy, dy·Wᵀ): the small ones above run the same wasm
 * functions too briefly for V8 to optimize their inner loops, and these are also large
 * enough to be shared with the second core once it is up.
 */
function* denseProducts(): Generator<void, void, void> {
  const values = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i) / 8);
  const x = tf.tensor2d(values(192 * 160), [192, 160]);
  const w = tf.tensor2d(values(160 * 128), [160, 128]);
  const dy = tf.tensor2d(values(192 * 128), [192, 128]);
  try {
    for (let step = 0; step < 12; step++) {
      tf.tidy(() => {
        tf.matMul(x, w);
        tf.matMul(x, dy, true, false);
        tf.matMul(dy, w, false, true);
      });
      yield;
    }
  } finally {
    tf.dispose([x, w, dy]);
  }
}

/**
 * `model.fit` as cells call it: a Sequential of dense layers, compiled with Adam, trained
 * with a callback that reads the loss (as the panel's does), with and without metrics and a
 * validation split, then `predict`. tfjs-layers runs a few hundred functions per batch;
 * interpreted, they made a fit's first run about 100 ms slower than its later ones. Each
 * step is one small fit, a few milliseconds, and hands back its promise.
 */
function* layersFit(): Generator<WarmUpStep, void, void> {
  const { inputs, labels } = classifierData(64, 8, 4);
  const made: { dispose(): unknown }[] = [];
  const callback = new tf.CustomCallback(
    {
      onBatchEnd: async (_batch, logs) => void logs?.loss,
      onEpochEnd: async (_epoch, logs) => void logs?.loss,
    },
    'never',
  );
  try {
    for (let round = 0; round < 12; round++) {
      const name = `dlnbWarmUp${round}`;
      const dense = (units: number, layer: number, extra: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) =>
        tf.layers.dense({
          units,
          name: `${name}_dense${layer}`,
          kernelInitializer: tf.initializers.glorotUniform({ seed: layer }),
          ...extra,
        });
      const model = tf.sequential({
        name,
        layers: [dense(16, 1, { activation: 'relu', inputShape: [8] }), dense(16, 2, { activation: 'relu' }), dense(4, 3)],
      });
      const optimizer = tf.train.adam(1e-3);
      made.push(model, optimizer);
      // Building, compiling and the first fit each take milliseconds while cold: apart.
      yield;
      const withMetrics = round % 2 === 1;
      model.compile(
        withMetrics
          ? { optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] }
          : { optimizer, loss: tf.losses.softmaxCrossEntropy },
      );
      yield;
      for (let fit = 0; fit < 4; fit++) {
        yield fitWithoutHooks(model, inputs, labels, {
          epochs: 1,
          batchSize: 16,
          shuffle: false,
          verbose: 0,
          validationSplit: withMetrics ? 0.25 : undefined,
          callbacks: [callback],
        });
      }
      tf.dispose(model.predict(inputs));
      for (const owner of made.splice(0)) owner.dispose();
      yield;
    }
  } finally {
    for (const owner of made) owner.dispose();
    tf.dispose([inputs, labels]);
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

export function warmUpTasks(): WarmUpTask[] {
  // Its own kit: the cells' `dl` keeps its random generator, run numbers and Loss History.
  const dl = createLearningKit({ history: new LossHistory() });
  return [compileSamples, () => kitLoops(dl), tfOpsLoop, tfOpsClassifier, denseProducts, layersFit];
}
