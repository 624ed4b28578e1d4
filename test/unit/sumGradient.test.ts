// A sum's gradient as a fill (src/kernel/tf/sumGradient.ts) must give exactly tfjs's
// gradients: sums over every axis (filled), over some axes (tfjs's own), in second
// derivatives (tfjs's own, taped), and through the losses that end in a mean.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerSumGradient, unregisterSumGradient } from '../../src/kernel/tf/sumGradient';
import { startWasmWithFastKernels } from './wasmTestBackend';

async function bothWays<T>(work: () => T): Promise<{ stock: T; ours: T }> {
  unregisterSumGradient();
  try {
    const stock = work();
    registerSumGradient();
    return { stock, ours: work() };
  } finally {
    registerSumGradient();
  }
}

const SUMS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  'sum of everything': (x) => x.sum(),
  'mean of everything, scaled': (x) => x.mean().mul(-2.5),
  'sum over one axis, then a weighted sum': (x) =>
    x
      .sum(1)
      .mul(tf.tensor1d([1, -2, 3, 0.5, 7]))
      .sum(),
  'mean squared error': (x) => tf.losses.meanSquaredError(tf.onesLike(x), x),
  'sum keeping dims': (x) => x.sum(undefined, true).mul(3).sum(),
};

before(startWasmWithFastKernels);

describe("a sum's gradient as a fill", () => {
  for (const [name, f] of Object.entries(SUMS)) {
    it(`gives tfjs's gradient exactly: ${name}`, async () => {
      const x = tf.randomNormal([5, 3], 0, 1, 'float32', 9);
      const { stock, ours } = await bothWays(() => tf.tidy(() => Array.from(tf.grad(f)(x).dataSync())));
      assert.deepEqual(ours, stock);
      x.dispose();
    });
  }

  it('keeps second derivatives through a sum', async () => {
    const { stock, ours } = await bothWays(() =>
      tf.tidy(() => {
        const x = tf.tensor1d([1, -2, 0.5]);
        const inner = (v: tf.Tensor) =>
          tf
            .grad((u: tf.Tensor) => u.pow(3).sum())(v)
            .mul(v)
            .sum();
        return Array.from(tf.grad(inner)(x).dataSync());
      }),
    );
    assert.deepEqual(ours, stock);
    // d/dx of (3x² · x) summed is 9x².
    assert.deepEqual(ours, [9, 36, 2.25]);
  });

  it('leaves no tensor behind', () => {
    const x = tf.randomNormal([64], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.tidy(() => void tf.grad((v: tf.Tensor) => v.square().mean())(x));
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
