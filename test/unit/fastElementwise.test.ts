// Our float32 elementwise kernels (src/kernel/tf/fastElementwise.ts) and the one-pass
// gradient of a squared difference (squaredDifferenceGradient.ts) must give the wasm
// backend's own results bit for bit, take the broadcasts they claim, and hand the rest back.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { binaryLayout, registerFastElementwise, unregisterFastElementwise } from '../../src/kernel/tf/fastElementwise';
import { BINARY_LAYOUTS, type BinaryOp } from '../../src/kernel/tf/simd/elementwiseCode';
import type { BinaryFunction } from '../../src/kernel/tf/simd/simdModule';
import {
  registerSquaredDifferenceGradient,
  unregisterSquaredDifferenceGradient,
} from '../../src/kernel/tf/squaredDifferenceGradient';
import { simdKernelsOf } from '../../src/kernel/tf/wasmBackend';
import { oursAndStock, startWasmWithFastKernels } from './wasmTestBackend';

const OPS: Record<BinaryOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: tf.div,
  sqdiff: tf.squaredDifference,
};

/** Shapes of a and b for each layout, with rows not a multiple of four values (the scalar tail runs too). */
const CASES: { name: string; a: number[]; b: number[]; layout: string }[] = [
  { name: 'same shapes', a: [7, 5], b: [7, 5], layout: 'full,full' },
  { name: 'same sizes, a leading 1', a: [1, 9], b: [9], layout: 'full,full' },
  { name: 'a scalar on the right', a: [6, 3], b: [], layout: 'full,one' },
  { name: 'a [1] on the left', a: [1], b: [11], layout: 'one,full' },
  { name: 'a bias row on the right', a: [6, 7], b: [7], layout: 'full,row' },
  { name: 'a [1, n] row on the left', a: [1, 6], b: [3, 2, 6], layout: 'row,full' },
];

/** Values with the awkward ones in: zeros of both signs, infinities, NaN, tiny and huge. */
function valuesFor(shape: number[], seed: number): tf.Tensor {
  const random = tf.randomNormal(shape, 0, 3, 'float32', seed);
  const values = Array.from(random.dataSync());
  random.dispose();
  const special = [0, -0, Infinity, -Infinity, NaN, 1e-40, 3e38, -3e38];
  for (let i = 0; i < values.length; i += 3) values[i] = special[(i / 3 + seed) % special.length];
  return tf.tensor(values, shape);
}

/** Our elementwise kernels, and our squared-difference gradient, switched for oursAndStock. */
const ELEMENTWISE = { off: unregisterFastElementwise, on: registerFastElementwise };
const SQUARED_DIFFERENCE_GRADIENT = { off: unregisterSquaredDifferenceGradient, on: registerSquaredDifferenceGradient };

/** Counts the calls of our SIMD functions, by op and layout, while `work` runs. */
function countingCalls(work: () => void): Map<string, number> {
  const table = simdKernelsOf(tf.backend())!.binary;
  const calls = new Map<string, number>();
  const originals = Object.fromEntries(Object.entries(table).map(([op, fns]) => [op, [...fns]]));
  for (const [op, fns] of Object.entries(table) as [BinaryOp, BinaryFunction[]][]) {
    fns.forEach((fn, i) => {
      const key = `${op} ${BINARY_LAYOUTS[i].join(',')}`;
      fns[i] = (...args) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        fn(...args);
      };
    });
  }
  try {
    work();
  } finally {
    for (const op of Object.keys(table) as BinaryOp[]) table[op].splice(0, table[op].length, ...originals[op]);
  }
  return calls;
}

/** What `work` returns, and the kernels the engine ran for it, by name. */
function kernelsRun<T>(work: () => T): { result: T; kernels: string[] } {
  const engine = tf.engine() as unknown as { runKernelFunc(params: { kernelName?: string }): unknown };
  const runKernelFunc = engine.runKernelFunc;
  const kernels: string[] = [];
  engine.runKernelFunc = function (params) {
    if (params.kernelName !== undefined) kernels.push(params.kernelName);
    return runKernelFunc.call(this, params);
  };
  try {
    return { result: work(), kernels };
  } finally {
    engine.runKernelFunc = runKernelFunc;
  }
}

before(startWasmWithFastKernels);

describe('float32 elementwise kernels', () => {
  for (const [op, f] of Object.entries(OPS) as [BinaryOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][]) {
    for (const { name, a: aShape, b: bShape, layout } of CASES) {
      it(`${op}, ${name}: the backend's result bit for bit, on our ${layout} function`, () => {
        const [a, b] = [valuesFor(aShape, 1), valuesFor(bShape, 2)];
        let ourShape: number[] = [];
        const calls = countingCalls(() => {
          const { ours, stock } = oursAndStock(ELEMENTWISE, () =>
            tf.tidy(() => {
              const out = f(a, b);
              ourShape = out.shape;
              return { shape: out.shape, bits: Array.from(new Uint32Array(out.dataSync().slice().buffer)) };
            }),
          );
          assert.deepEqual(ours, stock);
        });
        assert.equal(calls.get(`${op} ${layout}`), 1, `calls: ${[...calls].join('; ')}`);
        assert.deepEqual(ourShape, tf.backend_util.assertAndGetBroadcastShape(aShape, bShape));
        tf.dispose([a, b]);
      });
    }
  }

  it('hands other broadcasts, other dtypes and empty tensors back to the backend', () => {
    const calls = countingCalls(() => {
      const { ours, stock } = oursAndStock(ELEMENTWISE, () =>
        tf.tidy(() => [
          Array.from(tf.add(tf.ones([4, 1]), tf.range(0, 12).reshape([4, 3])).dataSync()),
          Array.from(tf.sub(tf.tensor1d([7, 8], 'int32'), tf.tensor1d([1, 9], 'int32')).dataSync()),
          tf.mul(tf.zeros([0, 3]), tf.ones([3])).shape,
        ]),
      );
      assert.deepEqual(ours, stock);
      assert.deepEqual(ours[1], [6, -1]);
    });
    // Only the empty product is ours (it writes nothing); the column broadcast and int32 are not.
    assert.deepEqual([...calls.keys()], []);
  });

  it('throws the backend message for shapes that do not broadcast', () => {
    assert.throws(
      () => tf.add(tf.ones([2, 3]), tf.ones([3, 2])),
      /Operands could not be broadcast together with shapes 2,3 and 3,2/,
    );
  });

  it('sees each broadcast the way the functions read it', () => {
    assert.deepEqual(binaryLayout([256, 1], [1], [256, 1]), { index: 1, rows: 1, cols: 256 });
    assert.deepEqual(binaryLayout([256, 10], [10], [256, 10]), { index: 3, rows: 256, cols: 10 });
    assert.deepEqual(binaryLayout([1, 1, 4], [2, 3, 4], [2, 3, 4]), { index: 4, rows: 6, cols: 4 });
    assert.equal(binaryLayout([3, 1], [3, 4], [3, 4]), undefined);
    assert.equal(binaryLayout([2, 1, 4], [2, 3, 4], [2, 3, 4]), undefined);
  });
});

describe("a squared difference's gradient in one pass", () => {
  const bitsOf = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(t.dataSync().slice().buffer)));

  it("gives tfjs's gradients for both operands bit for bit", () => {
    const [a, b] = [valuesFor([9, 3], 4), valuesFor([9, 3], 5)];
    const gradients = () =>
      kernelsRun(() =>
        tf.tidy(() => bitsOf(tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.squaredDifference(x, y).mul(0.7).sum())([a, b]))),
      );
    const { ours, stock } = oursAndStock(SQUARED_DIFFERENCE_GRADIENT, gradients);
    assert.deepEqual(ours.result, stock.result);
    // One kernel per operand, where tfjs runs a Sub and two Multiplys each.
    assert.equal(ours.kernels.filter((k) => k === 'DlnbSquaredDifferenceGrad').length, 2, ours.kernels.join(' '));
    assert.equal(stock.kernels.filter((k) => k === 'DlnbSquaredDifferenceGrad').length, 0, stock.kernels.join(' '));
    tf.dispose([a, b]);
  });

  it('sums the gradient of a broadcast operand back to its shape (tfjs threw a shape error)', () => {
    const gradients = tf.tidy(() => {
      const row = tf.tensor1d([2, -1, 0.5]);
      const column = tf.tensor2d([1, 3], [2, 1]);
      const grid = tf.ones([4, 3]);
      return [
        // d/dr of Σ over 4 rows of (1 - r)² is 8·(r - 1).
        Array.from(
          tf
            .grad((r: tf.Tensor) => tf.squaredDifference(grid, r).sum())(row)
            .dataSync(),
        ),
        // The same with the broadcast operand first, and a column against [2, 3].
        Array.from(
          tf
            .grad((r: tf.Tensor) => tf.squaredDifference(r, grid).sum())(row)
            .dataSync(),
        ),
        Array.from(
          tf
            .grad((c: tf.Tensor) => tf.squaredDifference(c, tf.zeros([2, 3])).sum())(column)
            .dataSync(),
        ),
      ];
    });
    assert.deepEqual(gradients, [
      [8, -16, -4],
      [8, -16, -4],
      [6, 18],
    ]);
  });

  it("gives tfjs's gradient through meanSquaredError and in second derivatives", () => {
    const { ours, stock } = oursAndStock(SQUARED_DIFFERENCE_GRADIENT, () =>
      tf.tidy(() => {
        const [y, pred, row] = [
          tf.randomNormal([16, 1], 0, 1, 'float32', 6),
          tf.randomNormal([16, 1], 0, 1, 'float32', 7),
          tf.tensor1d([2, -1, 0.5]),
        ];
        const mse = tf.grad((p: tf.Tensor) => tf.losses.meanSquaredError(y, p))(pred);
        const second = tf.grad((r: tf.Tensor) =>
          tf
            .grad((u: tf.Tensor) => tf.squaredDifference(u, tf.zeros([3])).sum())(r)
            .sum(),
        )(row);
        return [...bitsOf([mse]), Array.from(second.dataSync())];
      }),
    );
    assert.deepEqual(ours, stock);
    // d/dr of Σ 2r is 2 everywhere.
    assert.deepEqual(ours[1], [2, 2, 2]);
  });

  it('leaves no tensor behind', () => {
    const [y, pred] = [tf.ones([32, 1]), tf.zeros([32, 1])];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.tidy(() => void tf.grad((p: tf.Tensor) => tf.losses.meanSquaredError(y, p))(pred));
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([y, pred]);
  });
});
