// The programs the user-path bench runs, as notebook cells: setup cells, then one training
// cell that is run again and again (first run, then warm runs). pytorch_programs.py holds
// the same programs for PyTorch under the same names, with the same shapes and steps.
// Training cells keep their names in a block, so a re-run declares nothing twice.

export interface NotebookProgram {
  name: string;
  /** What the table calls it. */
  label: string;
  setup: string[];
  train: string;
}

const TUTORIAL_DATA = `
dl.manualSeed(0);
const x = dl.rand(256, 1).mul(10);
const y = tf.tidy(() => x.mul(3).add(2).add(dl.randn(256, 1)));`;

const MLP_DATA = `
dl.manualSeed(0);
const x = dl.randn(20000, 100);
const labels = tf.tidy(() => dl.rand(20000).mul(10).floor().toInt());
const y = tf.tidy(() => tf.oneHot(labels, 10).toFloat());`;

export const NOTEBOOK_PROGRAMS: NotebookProgram[] = [
  {
    name: 'kit',
    label: 'tutorial loop, learning kit (3000 steps)',
    setup: [TUTORIAL_DATA, 'const criterion = new dl.nn.MSELoss();'],
    train: `{
  const model = new dl.nn.Linear(1, 1);
  const optimizer = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
  for (let epoch = 0; epoch < 3000; epoch++) {
    optimizer.zeroGrad();
    dl.backward(() => criterion(model(x), y));
    optimizer.step();
  }
  model.dispose();
}`,
  },
  {
    name: 'tfops',
    label: 'tutorial loop, tf ops and optimizer.minimize (3000 steps)',
    setup: [TUTORIAL_DATA],
    train: `{
  const w = tf.variable(tf.tensor2d([[0.5]]));
  const b = tf.variable(tf.tensor1d([0]));
  const optimizer = tf.train.sgd(0.01);
  for (let epoch = 0; epoch < 3000; epoch++) {
    optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar);
  }
  tf.dispose([w, b]);
  optimizer.dispose();
}`,
  },
  {
    name: 'mlp',
    label: 'MLP 100-256-256-10, Adam, one epoch, hand loop',
    setup: [MLP_DATA],
    train: `{
  const sizes = [100, 256, 256, 10];
  const params: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    params.push(tf.variable(tf.randomNormal([sizes[i], sizes[i + 1]], 0, Math.sqrt(2 / sizes[i]))));
    params.push(tf.variable(tf.zeros([sizes[i + 1]])));
  }
  const optimizer = tf.train.adam(1e-3);
  const forward = (xb: tf.Tensor2D) => {
    let h: tf.Tensor2D = xb;
    for (let i = 0; i < params.length; i += 2) {
      h = tf.add(tf.matMul(h, params[i] as tf.Tensor2D), params[i + 1]);
      if (i + 2 < params.length) h = tf.relu(h);
    }
    return h;
  };
  for (let start = 0; start < 20000; start += 256) {
    const size = Math.min(256, 20000 - start);
    tf.tidy(() => {
      const xb = x.slice([start, 0], [size, 100]) as tf.Tensor2D;
      const yb = y.slice([start, 0], [size, 10]);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)) as tf.Scalar);
    });
  }
  optimizer.dispose();
  tf.dispose(params);
}`,
  },
  {
    name: 'fit',
    label: 'MLP 100-256-256-10, Adam, one epoch, model.fit',
    setup: [MLP_DATA],
    train: `{
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, activation: 'relu', inputShape: [100] }),
      tf.layers.dense({ units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
  await model.fit(x, y, { epochs: 1, batchSize: 256, shuffle: false, verbose: 0 });
  model.dispose();
}`,
  },
];

/** The number of products in the matrix-multiply program (as in pytorch_programs.py). */
export const MATMUL_PRODUCTS = 10;

/** Programs of the two-core bench (workloads/cores.ts), run like the ones above. */
export const CORE_PROGRAMS: NotebookProgram[] = [
  {
    name: 'matmul1024',
    label: `matMul 1024x1024, ${MATMUL_PRODUCTS} products`,
    setup: [
      `const a = tf.randomNormal([1024, 1024], 0, 1, 'float32', 1);
const b = tf.randomNormal([1024, 1024], 0, 1, 'float32', 2);`,
    ],
    train: `for (let i = 0; i < ${MATMUL_PRODUCTS}; i++) tf.matMul(a, b).dispose();`,
  },
];
