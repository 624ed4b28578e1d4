// Tensors saved for the backward pass without a dispatch each (src/kernel/tf/savedTensors.ts)
// must give exactly tfjs's own gradients, keep second-order gradients, leak nothing, and
// leave model.fit's training unchanged.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerDirectSavedTensors, unregisterDirectSavedTensors } from '../../src/kernel/tf/savedTensors';
import { startWasmWithFastKernels } from './wasmTestBackend';

/** Runs `work` with tfjs's own saved clones, then with ours; returns both results. */
async function bothWays<T>(work: () => T | Promise<T>): Promise<{ stock: T; direct: T }> {
  unregisterDirectSavedTensors();
  try {
    const stock = await work();
    registerDirectSavedTensors();
    const direct = await work();
    return { stock, direct };
  } finally {
    registerDirectSavedTensors();
  }
}

/** Functions whose gradients save inputs, outputs or both, over several shapes. */
const FUNCTIONS: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Scalar> = {
  'squared difference, mean': (a, b) => tf.losses.meanSquaredError(b, a) as tf.Scalar,
  'matMul, add, relu': (a, b) => tf.relu(tf.add(tf.matMul(a, b, false, true), 0.5)).sum(),
  'exp, log, sigmoid (outputs saved)': (a, b) =>
    tf
      .sigmoid(a)
      .mul(tf.exp(b.mul(0.1)))
      .add(1)
      .log()
      .mean(),
  'softmax cross-entropy': (a, b) => tf.losses.softmaxCrossEntropy(tf.softmax(b), a) as tf.Scalar,
  'div, sqrt, tanh': (a, b) => tf.div(tf.tanh(a), tf.sqrt(tf.abs(b).add(1))).sum(),
};

before(startWasmWithFastKernels);

describe('tensors saved for gradients without dispatches', () => {
  for (const [name, f] of Object.entries(FUNCTIONS)) {
    it(`gives tfjs's own gradients exactly: ${name}`, async () => {
      const a = tf.randomNormal([7, 5], 0, 1, 'float32', 1);
      const b = tf.randomNormal([7, 5], 0, 1, 'float32', 2);
      const { stock, direct } = await bothWays(() =>
        tf.tidy(() =>
          tf
            .grads(f)([a, b])
            .map((g) => Array.from(g.dataSync())),
        ),
      );
      assert.deepEqual(direct, stock);
      tf.dispose([a, b]);
    });
  }

  it('keeps second-order gradients (nested tapes use tfjs clones)', async () => {
    // d²/dx² of x³ at x = 2 is 6x = 12; of sin(x) it is -sin(x).
    const { stock, direct } = await bothWays(() =>
      tf.tidy(() => {
        const x = tf.tensor1d([2, -1, 0.5]);
        const cube = tf.grad((v: tf.Tensor) =>
          tf
            .grad((u: tf.Tensor) => u.pow(3).sum())(v)
            .sum(),
        )(x);
        const sine = tf.grad((v: tf.Tensor) =>
          tf
            .grad((u: tf.Tensor) => u.sin().sum())(v)
            .sum(),
        )(x);
        return [Array.from(cube.dataSync()), Array.from(sine.dataSync())];
      }),
    );
    assert.deepEqual(direct, stock);
    assert.deepEqual(direct[0], [12, -6, 3]);
  });

  it('leaves no tensor behind after minimize and variableGrads', () => {
    const x = tf.randomUniform([64, 1], 0, 10, 'float32', 3);
    const y = tf.tidy(() => x.mul(3).add(2));
    const w = tf.variable(tf.zeros([1, 1]));
    const b = tf.variable(tf.zeros([1]));
    const optimizer = tf.train.sgd(0.01);
    const before = tf.memory();
    for (let step = 0; step < 20; step++) {
      optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar);
    }
    const { grads, value } = tf.variableGrads(() => tf.matMul(x, w).add(b).square().mean() as tf.Scalar, [w, b]);
    tf.dispose([value, ...Object.values(grads)]);
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numBytes, before.numBytes);
    tf.dispose([x, y, w, b]);
    optimizer.dispose();
  });

  it('holds no more memory than tfjs after a gradient that throws', async () => {
    const { stock, direct } = await bothWays(() => {
      const x = tf.scalar(3);
      const before = tf.memory().numTensors;
      // y does not depend on x: tfjs throws after recording the forward pass.
      assert.throws(() => tf.grad(() => tf.tensor1d([1, 2]).exp().sum())(x), /Cannot compute gradient/);
      const left = tf.memory().numTensors - before;
      x.dispose();
      return left;
    });
    assert.equal(direct, stock);
  });

  it('trains a model with fit to the same weights', async () => {
    const { stock, direct } = await bothWays(async () => {
      const x = tf.randomNormal([96, 4], 0, 1, 'float32', 4);
      const y = tf
        .oneHot(
          tf.tensor1d(
            [...Array(96).keys()].map((i) => i % 3),
            'int32',
          ),
          3,
        )
        .toFloat();
      const model = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 8,
            activation: 'relu',
            inputShape: [4],
            kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
          }),
          tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      tf.dispose([x, y]);
      return { loss: history.history.loss, weights };
    });
    assert.deepEqual(direct, stock);
  });
});
