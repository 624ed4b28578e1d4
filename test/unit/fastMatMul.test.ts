// The fast wasm kernels (matMul, and the batch slicing that feeds it) must give the cpu
// backend's results (to float rounding) for every shape, transpose, fusion and gradient,
// and must not leak backend memory; all the fast kernels must switch on and off together.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  areFastWasmKernelsRegistered,
  registerFastWasmKernels,
  unregisterFastWasmKernels,
} from '../../src/kernel/tf/fastKernels';
import { MIN_REWRITE_WORK } from '../../src/kernel/tf/xnnpackMatMul';
import { simdKernelsOf } from '../../src/kernel/tf/wasmBackend';
import { randoms } from './seededRandoms';

const TOLERANCE = 1e-5;

interface Operand {
  shape: number[];
  values: number[];
}

function operand(shape: number[], seed: number): Operand {
  return {
    shape,
    values: randoms(
      shape.reduce((n, d) => n * d, 1),
      seed,
    ),
  };
}

/** Runs `compute` on a backend and returns every output's values and shape. */
async function runOn(backend: string, compute: () => tf.Tensor[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  assert.ok(await tf.setBackend(backend), `backend ${backend} did not start`);
  const outputs = tf.tidy(compute);
  const results = outputs.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync() as ArrayLike<number>) }));
  tf.dispose(outputs);
  return results;
}

/** Runs on cpu (reference) and on wasm with the fast kernels, and compares. */
async function assertMatchesCpu(label: string, compute: () => tf.Tensor[]): Promise<void> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);
  assert.equal(actual.length, expected.length, `${label}: output count`);
  for (let o = 0; o < expected.length; o++) {
    assert.deepEqual(actual[o].shape, expected[o].shape, `${label}: shape of output ${o}`);
    for (let i = 0; i < expected[o].values.length; i++) {
      const want = expected[o].values[i];
      const got = actual[o].values[i];
      const limit = TOLERANCE * Math.max(1, Math.abs(want));
      if (!(Math.abs(got - want) <= limit)) {
        assert.fail(`${label}: output ${o}[${i}] is ${got}, cpu gives ${want}`);
      }
    }
  }
}

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Shapes of `a` and `b` as matMul wants them for the given transposes. */
function shapesFor(batchA: number[], batchB: number[], m: number, k: number, n: number, tA: boolean, tB: boolean) {
  return {
    a: [...batchA, ...(tA ? [k, m] : [m, k])],
    b: [...batchB, ...(tB ? [n, k] : [k, n])],
  };
}

const wasmDir = path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/';

before(async () => {
  tf.enableProdMode();
  setWasmPaths(wasmDir);
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
  registerFastWasmKernels();
});

describe('registerFastWasmKernels', () => {
  const replaced = ['BatchMatMul', '_FusedMatMul', 'Slice', 'GatherV2', 'Sum', 'Identity', 'Cast'];

  it('replaces the wasm kernels once, and a second call changes nothing', () => {
    assert.ok(areFastWasmKernelsRegistered());
    const before = replaced.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
    registerFastWasmKernels();
    assert.deepEqual(
      replaced.map((name) => tf.getKernel(name, 'wasm').kernelFunc),
      before,
    );
  });

  it('puts the original kernels back on unregister, and registers again after', () => {
    const fast = replaced.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
    unregisterFastWasmKernels();
    assert.equal(areFastWasmKernelsRegistered(), false);
    const stock = replaced.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
    stock.forEach((kernel, i) => assert.notEqual(kernel, fast[i], `${replaced[i]} was not restored`));
    registerFastWasmKernels();
    assert.ok(areFastWasmKernelsRegistered());
  });

  it('keeps the setup function, so the wasm backend can be set again', async () => {
    assert.equal(typeof tf.getKernel('BatchMatMul', 'wasm').setupFunc, 'function');
    await tf.setBackend('cpu');
    await tf.setBackend('wasm');
    const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]), false, false);
    assert.deepEqual(Array.from(product.dataSync()), [11]);
    product.dispose();
  });
});

describe('matMul on wasm with the fast kernels', () => {
  it('rewrites the products these tests use, and leaves tiny ones alone', () => {
    // Sizes below are chosen on each side of the threshold; if it moves, they must too.
    assert.ok(20 * 24 * 18 >= MIN_REWRITE_WORK && 20 * 30 * 16 >= MIN_REWRITE_WORK && 24 * 20 * 18 >= MIN_REWRITE_WORK);
    assert.ok(17 * 1 * 9 < MIN_REWRITE_WORK && 3 * 5 * 4 < MIN_REWRITE_WORK);
  });

  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [1, 7, 1],
    [3, 5, 4],
    [17, 1, 9],
    [33, 64, 20],
    [64, 130, 70],
  ];

  it('matches cpu for 2-D operands, all four transpose combinations', async () => {
    let seed = 1;
    for (const [m, k, n] of sizes) {
      for (const [tA, tB] of TRANSPOSES) {
        const s = shapesFor([], [], m, k, n, tA, tB);
        const a = operand(s.a, seed++);
        const b = operand(s.b, seed++);
        await assertMatchesCpu(`${m}x${k}x${n} tA=${tA} tB=${tB}`, () => [
          tf.matMul(tf.tensor(a.values, a.shape), tf.tensor(b.values, b.shape), tA, tB),
        ]);
      }
    }
  });

  it('matches cpu for batched and broadcast operands', async () => {
    const batches: [number[], number[]][] = [
      [[3], [3]], // same batch
      [[4], []], // b has no batch: folded into rows
      [[5], [1]], // b's batch is 1: folded into rows
      [[2, 3], []], // two batch axes folded
      [[], [4]], // a has no batch
      [
        [2, 1],
        [1, 3],
      ], // broadcast on both sides
    ];
    let seed = 100;
    for (const [batchA, batchB] of batches) {
      for (const [tA, tB] of TRANSPOSES) {
        const s = shapesFor(batchA, batchB, 20, 24, 18, tA, tB);
        const a = operand(s.a, seed++);
        const b = operand(s.b, seed++);
        await assertMatchesCpu(`batch ${s.a} · ${s.b} tA=${tA} tB=${tB}`, () => [
          tf.matMul(tf.tensor(a.values, a.shape), tf.tensor(b.values, b.shape), tA, tB),
        ]);
      }
    }
  });

  it('matches cpu for fused matMul with bias and each activation', async () => {
    const activations = ['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu', 'prelu'] as const;
    let seed = 200;
    for (const activation of activations) {
      for (const [tA, tB] of TRANSPOSES) {
        // Unbatched; batched a (folded into rows); both batched (the naive loop); tiny.
        const layouts: [number[], number[], number, number, number][] = [
          [[], [], 20, 30, 16],
          [[3], [], 20, 30, 16],
          [[2], [2], 20, 30, 16],
          [[], [], 3, 2, 16],
        ];
        for (const [batchA, batchB, m, k, n] of layouts) {
          const s = shapesFor(batchA, batchB, m, k, n, tA, tB);
          const a = operand(s.a, seed++);
          const b = operand(s.b, seed++);
          const bias = operand([n], seed++);
          const alpha = operand([n], seed++);
          await assertMatchesCpu(`fused ${activation} ${s.a} · ${s.b} tA=${tA} tB=${tB}`, () => [
            tf.fused.matMul({
              a: tf.tensor(a.values, a.shape),
              b: tf.tensor(b.values, b.shape),
              transposeA: tA,
              transposeB: tB,
              bias: tf.tensor(bias.values, bias.shape),
              activation,
              preluActivationWeights: activation === 'prelu' ? tf.tensor(alpha.values, alpha.shape) : undefined,
              leakyreluAlpha: 0.15,
            }),
          ]);
        }
      }
    }
  });

  it('matches cpu for the gradients of a matMul-based loss', async () => {
    let seed = 300;
    for (const [tA, tB] of TRANSPOSES) {
      // tfjs has no gradient for a broadcast batch, so both operands share theirs.
      for (const batch of [[], [2]]) {
        const s = shapesFor(batch, batch, 24, 20, 18, tA, tB);
        const a = operand(s.a, seed++);
        const b = operand(s.b, seed++);
        await assertMatchesCpu(`grads ${s.a} · ${s.b} tA=${tA} tB=${tB}`, () => {
          const loss = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.sin(tf.matMul(x, w, tA, tB)));
          return tf.grads(loss)([tf.tensor(a.values, a.shape), tf.tensor(b.values, b.shape)]);
        });
      }
    }
  });

  it('matches cpu for the gradients of a dense layer (fused matMul, bias, relu)', async () => {
    const x = operand([64, 40], 400);
    const w = operand([40, 16], 401);
    const bias = operand([16], 402);
    const target = operand([64, 16], 403);
    await assertMatchesCpu('dense layer grads', () => {
      const loss = (wt: tf.Tensor, bt: tf.Tensor) => {
        const y = tf.fused.matMul({
          a: tf.tensor2d(x.values, [64, 40]),
          b: wt as tf.Tensor2D,
          bias: bt,
          activation: 'relu',
        });
        return tf.mean(tf.square(tf.sub(y, tf.tensor2d(target.values, [64, 16]))));
      };
      return tf.grads(loss)([tf.tensor(w.values, w.shape), tf.tensor(bias.values, bias.shape)]);
    });
  });

  it('leaves no tensor or backend buffer behind', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(randoms(2 * 24 * 20, 500), [2, 24, 20]);
    const b = tf.tensor(randoms(2 * 20 * 18, 501), [2, 18, 20]);
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.engine().backend.numDataIds();
    for (const [tA, tB] of TRANSPOSES) {
      tf.tidy(() => {
        const x = tA ? tf.transpose(a, [0, 2, 1]) : a;
        const y = tB ? b : tf.transpose(b, [0, 2, 1]);
        tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.matMul(p, q, tA, tB)))([x, y]);
      });
    }
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore);
    tf.dispose([a, b]);
  });
});

describe('batch slicing on wasm with the fast kernels', () => {
  it('matches cpu for slices: row ranges, columns, rank 1 to 4, int32 and bool', async () => {
    const x2 = operand([30, 7], 600);
    const x3 = operand([4, 5, 6], 601);
    const x4 = operand([2, 3, 4, 5], 602);
    const x1 = operand([50], 603);
    const wide = operand([30, 40], 604);
    const cases: [string, () => tf.Tensor][] = [
      ['rows of a matrix', () => tf.slice(tf.tensor(x2.values, x2.shape), [5, 0], [12, 7])],
      ['one row', () => tf.slice(tf.tensor(x2.values, x2.shape), [29, 0], [1, -1])],
      ['columns of a matrix', () => tf.slice(tf.tensor(x2.values, x2.shape), [3, 2], [10, 4])],
      ['wide columns of a matrix', () => tf.slice(tf.tensor(wide.values, wide.shape), [3, 5], [20, 25])],
      ['a vector', () => tf.slice(tf.tensor(x1.values, x1.shape), [7], [20])],
      ['leading block of rank 3', () => tf.slice(tf.tensor(x3.values, x3.shape), [1, 0, 0], [2, 5, 6])],
      ['inner block of rank 3', () => tf.slice(tf.tensor(x3.values, x3.shape), [1, 1, 2], [2, 3, 3])],
      ['inner block of rank 4', () => tf.slice(tf.tensor(x4.values, x4.shape), [0, 1, 1, 0], [2, 2, 2, 5])],
      [
        'int32 rows',
        () =>
          tf.slice(
            tf.tensor(
              x2.values.map((v) => Math.round(v * 100)),
              x2.shape,
              'int32',
            ),
            [2, 0],
            [3, 7],
          ),
      ],
      ['bool columns', () => tf.slice(tf.greater(tf.tensor(x2.values, x2.shape), 0), [2, 1], [3, 5]).toFloat()],
      ['empty slice', () => tf.slice(tf.tensor(x2.values, x2.shape), [2, 0], [0, 7])],
    ];
    for (const [label, compute] of cases) await assertMatchesCpu(`slice: ${label}`, () => [compute()]);
  });

  it('matches cpu for gathers along axis 0, and other axes', async () => {
    const x2 = operand([20, 6], 700);
    const x3 = operand([8, 3, 4], 701);
    const rows = [3, 0, 19, 3, 7];
    const cases: [string, () => tf.Tensor][] = [
      ['rows of a matrix', () => tf.gather(tf.tensor(x2.values, x2.shape), tf.tensor1d(rows, 'int32'))],
      ['rows of rank 3', () => tf.gather(tf.tensor(x3.values, x3.shape), tf.tensor1d([7, 1, 1], 'int32'))],
      [
        '2-D indices',
        () =>
          tf.gather(
            tf.tensor(x2.values, x2.shape),
            tf.tensor2d(
              [
                [1, 2],
                [5, 4],
              ],
              [2, 2],
              'int32',
            ),
          ),
      ],
      ['a vector', () => tf.gather(tf.tensor(x2.values.slice(0, 20), [20]), tf.tensor1d(rows, 'int32'))],
      [
        'int32 rows',
        () =>
          tf.gather(
            tf.tensor(
              x2.values.map((v) => Math.round(v * 100)),
              x2.shape,
              'int32',
            ),
            tf.tensor1d(rows, 'int32'),
          ),
      ],
      ['axis 1', () => tf.gather(tf.tensor(x3.values, x3.shape), tf.tensor1d([2, 0], 'int32'), 1)],
      ['no indices', () => tf.gather(tf.tensor(x2.values, x2.shape), tf.tensor1d([], 'int32'))],
    ];
    for (const [label, compute] of cases) await assertMatchesCpu(`gather: ${label}`, () => [compute()]);
  });

  it('matches cpu for gradients through gather (UnsortedSegmentSum, missing from stock wasm)', async () => {
    const table = operand([10, 6], 810);
    await assertMatchesCpu('gather grads', () =>
      tf.grads((t: tf.Tensor) =>
        tf.sum(
          tf.sin(
            tf.gather(
              t,
              tf.tensor2d(
                [
                  [1, 1, 9],
                  [0, 4, 1],
                ],
                [2, 3],
                'int32',
              ),
            ),
          ),
        ),
      )([tf.tensor(table.values, table.shape)]),
    );
    await assertMatchesCpu('unsortedSegmentSum with ids out of range', () => [
      tf.unsortedSegmentSum(tf.tensor2d(table.values, [10, 6]), tf.tensor1d([0, 2, 2, -1, 7, 3, 0, 1, 2, 3], 'int32'), 5),
    ]);
  });

  it('trains an embedding layer on wasm as on cpu', async () => {
    const ids = [3, 1, 4, 1, 5, 9, 2, 6];
    await assertMatchesCpu('embedding step', () => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 1, embeddingsInitializer: 'ones' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1, kernelInitializer: 'ones' }),
        ],
      });
      const x = tf.tensor2d(ids, [8, 1], 'int32');
      const y = tf.tensor2d(
        ids.map((v) => v / 10),
        [8, 1],
      );
      const optimizer = tf.train.sgd(0.1);
      for (let step = 0; step < 3; step++) {
        optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar);
      }
      const weights = model.getWeights().map((w) => w.clone());
      optimizer.dispose();
      model.dispose();
      return weights;
    });
  });

  it('matches cpu for gradients through slices', async () => {
    const x = operand([12, 5], 800);
    await assertMatchesCpu('slice grads', () =>
      tf.grads((t: tf.Tensor) =>
        tf.add(tf.sum(tf.square(tf.slice(t, [2, 0], [6, 5]))), tf.sum(tf.sin(tf.slice(t, [1, 1], [9, 3])))),
      )([tf.tensor(x.values, x.shape)]),
    );
  });

  it('rejects an index out of range with a clear error, leaking nothing', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const buffersBefore = tf.engine().backend.numDataIds();
    assert.throws(() => tf.tidy(() => tf.gather(x, tf.tensor1d([0, 2], 'int32'))), /index value 2 is not in \[0, 1\]/);
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore);
    x.dispose();
  });

  it('reads the right rows when making the output grows wasm memory', async () => {
    await tf.setBackend('wasm');
    // Outputs of 4, 8, 16, 32 MB: allocating them grows the heap, which detaches any view
    // of the input taken before.
    const rows = 16384;
    const cols = 64;
    const big = tf.tensor2d(randoms(rows * cols, 900), [rows, cols]);
    const firstRow = tf.tidy(() => Array.from(big.slice([0, 0], [1, cols]).dataSync()));
    const lastRow = tf.tidy(() => Array.from(big.slice([rows - 1, 0], [1, cols]).dataSync()));
    for (const copies of [1, 2, 4, 8]) {
      const picks = Array.from({ length: rows * copies }, (_, i) => (i % 2 ? rows - 1 : 0));
      const picked = tf.tidy(() => tf.gather(big, tf.tensor1d(picks, 'int32')));
      const values = picked.dataSync();
      const end = values.length;
      assert.deepEqual(Array.from(values.subarray(0, cols)), firstRow, `first row, ${copies} copies`);
      assert.deepEqual(Array.from(values.subarray(end - cols, end)), lastRow, `last row, ${copies} copies`);
      picked.dispose();
      const sliced = tf.tidy(() => tf.slice(tf.tile(big, [copies, 1]), [rows * copies - 1, 0], [1, cols]));
      assert.deepEqual(Array.from(sliced.dataSync()), lastRow, `slice, ${copies} copies`);
      sliced.dispose();
    }
    big.dispose();
  });
});

describe('fused matMul with a bias of another shape', () => {
  it('adds a single value, or one per element, as the cpu backend does', async () => {
    let seed = 1300;
    const cases: { a: number[]; b: number[]; bias: number[]; transposeB?: boolean; activation?: 'elu' | 'relu' }[] = [
      { a: [2, 3, 5], b: [5, 4], bias: [1] },
      { a: [3, 5], b: [4, 5], bias: [1], transposeB: true, activation: 'elu' },
      { a: [3, 5], b: [5, 4], bias: [3, 4], activation: 'relu' },
      { a: [2, 24, 20], b: [20, 18], bias: [1] },
    ];
    for (const c of cases) {
      const [a, b, bias] = [operand(c.a, seed++), operand(c.b, seed++), operand(c.bias, seed++)];
      await assertMatchesCpu(`bias ${JSON.stringify(c)}`, () => [
        tf.fused.matMul({
          a: tf.tensor(a.values, a.shape),
          b: tf.tensor(b.values, b.shape),
          bias: tf.tensor(bias.values, bias.shape),
          transposeB: c.transposeB,
          activation: c.activation,
        }),
      ]);
    }
  });
});

describe('sum over leading axes on wasm with the fast kernels', () => {
  it("gives the cpu backend's sums for every shape, keepDims and axis form", async () => {
    let seed = 1000;
    const cases: { shape: number[]; axis: number | number[]; keepDims?: boolean }[] = [
      { shape: [256, 256], axis: 0 },
      { shape: [7, 13], axis: 0, keepDims: true },
      { shape: [1, 3], axis: [0] },
      { shape: [5, 4, 6], axis: [1, 0] },
      { shape: [5, 4, 6], axis: [0, -2], keepDims: true },
      { shape: [9, 3], axis: -2 },
      { shape: [0, 5], axis: 0 },
      { shape: [6, 5], axis: 1 }, // not leading: the backend's kernel
      { shape: [6, 5], axis: [0, 1] }, // all axes: the backend's kernel
    ];
    // Count the SIMD column sums, to know the cases meant for them went there.
    const kernels = simdKernelsOf(tf.engine().findBackend('wasm'))!;
    const columnSum = kernels.columnSum;
    let columnSums = 0;
    kernels.columnSum = (...args) => (columnSums++, columnSum(...args));
    try {
      for (const c of cases) {
        const x = operand(c.shape, seed++);
        await assertMatchesCpu(`sum ${JSON.stringify(c)}`, () => [tf.sum(tf.tensor(x.values, x.shape), c.axis, c.keepDims)]);
      }
    } finally {
      kernels.columnSum = columnSum;
    }
    assert.equal(columnSums, 7, 'the seven sums over leading axes (the empty one included) ran on the SIMD kernel');
    await assertMatchesCpu('int32 sum', () => [
      tf.sum(
        tf.tensor2d(
          [
            [1, 2],
            [3, 4],
          ],
          [2, 2],
          'int32',
        ),
        0,
      ),
    ]);
  });

  it('gives the bias gradient of a dense layer', async () => {
    const x = operand([32, 20], 1100);
    const w = operand([20, 9], 1101);
    const b = operand([9], 1102);
    await assertMatchesCpu('bias grad', () =>
      tf.grads((bias: tf.Tensor) =>
        tf.sum(tf.relu(tf.add(tf.matMul(tf.tensor(x.values, x.shape), tf.tensor(w.values, w.shape)), bias))),
      )([tf.tensor(b.values, b.shape)]),
    );
  });
});

describe('clones on wasm with the fast kernels', () => {
  it('share the data, and each stays valid when the other is disposed', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore + 1, 'a clone makes no new buffer');
    x.dispose();
    assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3]);
    copy.dispose();
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore);
  });

  it('and casts to the same dtype share too; other casts convert', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1.5, -2.5, 256]);
    const same = tf.cast(x, 'float32');
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore + 1, 'a same-dtype cast makes no new buffer');
    const ints = tf.cast(x, 'int32');
    const bools = tf.cast(x, 'bool');
    x.dispose();
    assert.deepEqual(Array.from(same.dataSync()), [1.5, -2.5, 256]);
    assert.deepEqual([ints.dtype, ...Array.from(ints.dataSync())], ['int32', 1, -2, 256]);
    // The backend's own cast gave [1, 254, 0]: bytes, not truth values.
    assert.deepEqual([bools.dtype, ...Array.from(bools.dataSync())], ['bool', 1, 1, 1]);
    const zeros = tf.tidy(() => Array.from(tf.cast(tf.tensor1d([0, -0, 0.5]), 'bool').dataSync()));
    assert.deepEqual(zeros, [0, 0, 1]);
    tf.dispose([same, ints, bools]);
    assert.equal(tf.engine().backend.numDataIds(), buffersBefore);
  });

  it('keep their values when the variable they were cloned from is assigned', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.tensor1d([1, 2]));
    const before = v.clone();
    v.assign(tf.tensor1d([5, 6]));
    assert.deepEqual(Array.from(before.dataSync()), [1, 2]);
    assert.deepEqual(Array.from(v.dataSync()), [5, 6]);
    tf.dispose([v, before]);
  });

  it('give the same gradients as the cpu backend when the tape saves tensors', async () => {
    const x = operand([6, 5], 1200);
    const w = operand([5, 4], 1201);
    await assertMatchesCpu('saved tensors', () =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.tanh(tf.matMul(a, b)))))([
        tf.tensor(x.values, x.shape),
        tf.tensor(w.values, w.shape),
      ]),
    );
  });
});

describe('tensors that still live on the cpu backend', () => {
  it('are read right by the fast kernels even when moving them grows the wasm memory', async () => {
    await tf.setBackend('wasm');
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8;
    const rows = Math.ceil(heap.buffer.byteLength / 16) + (1 << 18);
    await tf.setBackend('cpu');
    const x = tf.fill([rows, 4], -2.5);
    const indices = tf.tensor1d([rows - 1, 0], 'int32');
    await tf.setBackend('wasm');
    const truth = tf.cast(x, 'bool');
    assert.deepEqual(Array.from(truth.dataSync().subarray(0, 4)), [1, 1, 1, 1]);
    await tf.setBackend('cpu');
    const y = tf.fill([rows, 4], 7);
    await tf.setBackend('wasm');
    const picked = tf.gather(y, indices);
    assert.deepEqual(Array.from(picked.dataSync()), [7, 7, 7, 7, 7, 7, 7, 7]);
    tf.dispose([x, indices, truth, y, picked]);
  });
});
