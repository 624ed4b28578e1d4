// Sums and means of large tensors on the wasm backend are accurate to float32 rounding of
// the true value (the backend alone adds naively in float32: tf.ones([2e7]).sum() is
// 16777216), checked against float64 sums of the same values, for every axis layout the
// accurate kernels take on, and left to the backend below their size threshold.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ACCURATE_MIN_TERMS, registerFastReductions, unregisterFastReductions } from '../../src/kernel/tf/fastReductions';
import { randoms } from './seededRandoms';
import { startWasmWithFastKernels } from './wasmTestBackend';

before(startWasmWithFastKernels);

/** Float64 sums of `values` as [outer, inner] over the inner axis. */
function rowSums(values: Float32Array, outer: number, inner: number): number[] {
  return Array.from({ length: outer }, (_, o) => {
    let sum = 0;
    for (let i = 0; i < inner; i++) sum += values[o * inner + i];
    return sum;
  });
}

/** Float64 sums of `values` as [rows, cols] over the rows. */
function columnSums(values: Float32Array, rows: number, cols: number): number[] {
  const sums = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) sums[c] += values[r * cols + c];
  return sums;
}

/** Within a float32 rounding (plus what float32 inputs allow) of the float64 value. */
function assertClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = Math.abs(expected[i]) * 2 ** -22 + 1e-6;
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('accurate sums and means on wasm', () => {
  it('tf.ones([2e7]).sum() is 2e7 and tf.ones([3e7]).mean() is 1', () => {
    assert.equal(
      tf.tidy(() => tf.ones([2e7]).sum().dataSync()[0]),
      2e7,
    );
    assert.equal(
      tf.tidy(() => tf.ones([3e7]).mean().dataSync()[0]),
      1,
    );
    assert.equal(
      tf.tidy(() => tf.fill([2e7], 0.1).sum().dataSync()[0]),
      Math.fround(2e6),
    );
  });

  const values = Float32Array.from(randoms(4_000_000, 7), (v) => v + 0.5);

  it('sums over trailing axes, with and without keepDims', () => {
    const x = tf.tensor3d(values, [4, 1000, 1000]);
    assertClose(
      tf.tidy(() => x.sum([1, 2]).dataSync()),
      rowSums(values, 4, 1_000_000),
      'sum([1,2])',
    );
    assert.deepEqual(
      tf.tidy(() => x.sum([1, 2], true).shape),
      [4, 1, 1],
    );
    assertClose(
      tf.tidy(() => x.mean().dataSync()),
      [rowSums(values, 1, 4_000_000)[0] / 4_000_000],
      'mean()',
    );
    assertClose(
      tf.tidy(() => x.reshape([2, 2_000_000]).mean(-1).dataSync()),
      rowSums(values, 2, 2_000_000).map((s) => s / 2_000_000),
      'mean(-1)',
    );
    x.dispose();
  });

  it('sums over leading axes (many rows)', () => {
    const x = tf.tensor2d(values, [1_000_000, 4]);
    assertClose(
      tf.tidy(() => x.sum(0).dataSync()),
      columnSums(values, 1_000_000, 4),
      'sum(0)',
    );
    assertClose(
      tf.tidy(() => x.mean(0).dataSync()),
      columnSums(values, 1_000_000, 4).map((s) => s / 1_000_000),
      'mean(0)',
    );
    x.dispose();
  });

  it('leaves small sums to the backend kernel: the same bits as stock tfjs', () => {
    const small = Float32Array.from(randoms(ACCURATE_MIN_TERMS / 2, 3));
    const compute = () =>
      tf.tidy(() => [
        ...tf.tensor1d(small).sum().dataSync(),
        ...tf
          .tensor2d(small, [8, small.length / 8])
          .mean(1)
          .dataSync(),
      ]);
    const ours = compute();
    unregisterFastReductions();
    try {
      assert.deepEqual(ours, compute());
    } finally {
      registerFastReductions();
    }
  });

  it('leaves integer sums and middle axes to the backend', () => {
    assert.equal(
      tf.tidy(
        () =>
          tf
            .ones([ACCURATE_MIN_TERMS * 2], 'int32')
            .sum()
            .dataSync()[0],
      ),
      ACCURATE_MIN_TERMS * 2,
    );
    assert.equal(
      tf.tidy(() => tf.ones([ACCURATE_MIN_TERMS * 2], 'int32').sum().dtype),
      'int32',
    );
    assert.deepEqual(
      tf.tidy(() => Array.from(tf.ones([2, ACCURATE_MIN_TERMS, 2]).sum(1).dataSync())),
      [ACCURATE_MIN_TERMS, ACCURATE_MIN_TERMS, ACCURATE_MIN_TERMS, ACCURATE_MIN_TERMS],
    );
  });
});
