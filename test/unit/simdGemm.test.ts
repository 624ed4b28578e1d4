// The SIMD matrix-multiply kernel against a plain double-precision loop, on every edge
// of its blocking (rows not a multiple of 4, columns not a multiple of 8 or 4, k of 0
// and 1), either operand stored transposed, B read in place and packed, the bias and
// relu, and each batch arrangement.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { gemmProduct, PACK_FROM_ROWS } from '../../src/kernel/tf/simd/gemmProduct';
import { panelFloats } from '../../src/kernel/tf/simd/gemmLayout';
import { addressOf, simdKernelsOf } from '../../src/kernel/tf/wasmBackend';
import v8 from 'node:v8';
import { chooseGemmKind, gemmKind } from '../../src/kernel/tf/simd/simdModule';
import { randoms } from './seededRandoms';

interface Case {
  m: number;
  k: number;
  n: number;
  batchA?: number;
  batchB?: number;
  transposedA?: boolean;
  transposedB?: boolean;
  bias?: boolean;
  relu?: boolean;
}

/** The product the kernel must give, computed in doubles. */
function expected(a: Float32Array, b: Float32Array, bias: Float32Array | null, c: Required<Case>): Float64Array {
  const { m, k, n, batchA, batchB, transposedA, transposedB, relu } = c;
  const batch = Math.max(batchA, batchB);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aBase = (batchA === 1 ? 0 : t) * m * k;
    const bBase = (batchB === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) {
          const aValue = transposedA ? a[aBase + p * m + i] : a[aBase + i * k + p];
          sum += aValue * b[bBase + (transposedB ? j * k + p : p * n + j)];
        }
        out[t * m * n + i * n + j] = relu ? Math.max(sum, 0) : sum;
      }
    }
  }
  return out;
}

function info(t: tf.Tensor): TensorInfo {
  return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
}

/** The kernel's values against the product in doubles, to float32 rounding. */
function assertValues(label: string, got: Float32Array, want: Float64Array): void {
  assert.equal(got.length, want.length, `${label}: size`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-5 * Math.max(1, Math.abs(want[i])))) {
      assert.fail(`${label}: value ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

function check(label: string, given: Case): void {
  const c: Required<Case> = { batchA: 1, batchB: 1, transposedA: false, transposedB: false, bias: false, relu: false, ...given };
  const { m, k, n, batchA, batchB } = c;
  const aValues = Float32Array.from(randoms(batchA * m * k, m * 131 + k * 17 + n));
  const bValues = Float32Array.from(randoms(batchB * k * n, n * 7 + k + 3));
  const biasValues = c.bias ? Float32Array.from(randoms(n, n + 99)) : null;
  const lead = (batch: number) => (batchA > 1 || batchB > 1 ? [batch] : []);
  const a = tf.tensor(aValues, [...lead(batchA), ...(c.transposedA ? [k, m] : [m, k])]);
  const b = tf.tensor(bValues, [...lead(batchB), ...(c.transposedB ? [n, k] : [k, n])]);
  const bias = biasValues ? tf.tensor1d(biasValues) : undefined;
  const backend = tf.backend();
  const out = gemmProduct(backend, info(a), info(b), {
    bias: bias && info(bias),
    relu: c.relu,
    transposedA: c.transposedA,
    transposedB: c.transposedB,
  });
  try {
    assert.ok(out !== undefined, `${label}: the kernel refused the product`);
    assert.deepEqual(out.shape, [...lead(Math.max(batchA, batchB)), m, n], `${label}: shape`);
    const got = backend.readSync(out.dataId) as Float32Array;
    assertValues(label, got, expected(aValues, bValues, biasValues, c));
  } finally {
    if (out) backend.disposeData(out.dataId);
    tf.dispose([a, b, ...(bias ? [bias] : [])]);
  }
}

// Both kinds of multiply-add are tested: plain SIMD, and relaxed SIMD's fused one, which
// VS Code's runtime has (and `dlnb run` turns on for Node 20 and 21, as here).
if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

before(async () => {
  tf.enableProdMode();
  setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
});

// Six-row blocks are tested whatever this V8 would choose: VS Code's V8 takes them.
for (const [fma, rows] of [
  [true, 6],
  [true, 4],
  [false, 4],
] as const)
  describe(`SIMD gemm, ${fma ? 'fused multiply-adds (relaxed SIMD)' : 'multiply then add'}, ${rows}-row blocks`, () => {
    before(() => chooseGemmKind({ fma, rows }));
    after(() => chooseGemmKind({ fma: true }));

    it('runs here, with the kind of multiply-add and block asked for', () => {
      check('1x1x1', { m: 1, k: 1, n: 1 });
      assert.deepEqual(gemmKind(), { fma, rows });
    });

    it(`gives the product for every block edge, either operand transposed, B read in place and packed (from ${PACK_FROM_ROWS} rows)`, () => {
      for (const [transposedA, transposedB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        for (const m of [1, 3, 4, 5, 6, 9, 10, 11, 13, PACK_FROM_ROWS, PACK_FROM_ROWS + 5, 29]) {
          for (const k of [0, 1, 2, 7, 33]) {
            for (const n of [1, 3, 4, 5, 7, 8, 9, 12, 13, 17, 24]) {
              check(`${m}x${k}x${n}${transposedA ? ' (Aᵀ)' : ''}${transposedB ? ' (Bᵀ)' : ''}`, {
                m,
                k,
                n,
                transposedA,
                transposedB,
              });
            }
          }
        }
      }
    });

    it('adds the bias and applies relu on every edge', () => {
      for (const transposedA of [false, true]) {
        for (const [m, k, n] of [
          [5, 6, 13],
          [4, 3, 8],
          [1, 9, 3],
          [7, 0, 11],
          [PACK_FROM_ROWS + 1, 5, 12],
        ]) {
          for (const relu of [false, true]) {
            check(`${m}x${k}x${n} bias relu=${relu}`, { m, k, n, bias: true, relu, transposedA });
            check(`${m}x${k}x${n} bias relu=${relu} (Bᵀ)`, { m, k, n, bias: true, relu, transposedA, transposedB: true });
          }
        }
      }
    });

    it('multiplies batches: both sides, A only (one tall product), B only', () => {
      for (const transposedA of [false, true]) {
        check('both batched', { m: 5, k: 6, n: 9, batchA: 3, batchB: 3, transposedA });
        check('A batched', { m: 5, k: 6, n: 9, batchA: 4, transposedA, bias: true });
        check('B batched', { m: 5, k: 6, n: 9, batchB: 3, transposedA });
        check('both batched, packed', { m: PACK_FROM_ROWS, k: 6, n: 9, batchA: 2, batchB: 2, transposedA, transposedB: true });
        check('A batched, folded and packed', { m: 9, k: 6, n: 9, batchA: 2, transposedA, bias: true });
      }
    });

    it('matches at training sizes (256 rows, 100 and 256 wide)', () => {
      check('256x100x256', { m: 256, k: 100, n: 256, bias: true, relu: true });
      check('256x256x10 (Aᵀ)', { m: 256, k: 256, n: 10, transposedA: true });
      check('256x10x256 (Bᵀ)', { m: 256, k: 10, n: 256, transposedB: true });
      check('64x512x40 (Aᵀ, Bᵀ)', { m: 64, k: 512, n: 40, transposedA: true, transposedB: true });
    });

    it('writes nothing past C or past the panels of B, whatever columns the last panel lacks', () => {
      const backend = tf.backend();
      const kernels = simdKernelsOf(backend);
      assert.ok(kernels, 'no SIMD kernels on this backend');
      const CANARY = 12345.5;
      for (const transposedB of [false, true]) {
        for (const n of [1, 2, 3, 5, 6, 7, 10]) {
          const [m, k] = [PACK_FROM_ROWS + 3, 9];
          const label = `${m}x${k}x${n}${transposedB ? ' (Bᵀ)' : ''}`;
          const aValues = Float32Array.from(randoms(m * k, n + 1));
          const bValues = Float32Array.from(randoms(k * n, n + 2));
          const biasValues = Float32Array.from(randoms(n, n + 3));
          const a = tf.tensor2d(aValues, [m, k]);
          const b = transposedB ? tf.tensor2d(bValues, [n, k]) : tf.tensor2d(bValues, [k, n]);
          const bias = tf.tensor1d(biasValues);
          // C and the panels each with canaries after them, in tensors of their own.
          const c = tf.fill([m * n + 8], CANARY);
          const panel = tf.fill([panelFloats(k, n) + 8], CANARY);
          try {
            const gemm = kernels.gemm({ transposedA: false, packed: true, transposedB });
            const at = (t: tf.Tensor) => addressOf(backend, info(t));
            gemm(at(a), at(b), at(c), m, k, n, at(bias), 0, at(panel), k, 1);
            const got = backend.readSync(c.dataId) as Float32Array;
            const want = expected(aValues, bValues, biasValues, {
              m,
              k,
              n,
              batchA: 1,
              batchB: 1,
              transposedA: false,
              transposedB,
              bias: true,
              relu: false,
            });
            assertValues(label, got.subarray(0, m * n), want);
            assert.deepEqual([...got.subarray(m * n)], Array(8).fill(CANARY), `${label}: written past C`);
            const panelValues = backend.readSync(panel.dataId) as Float32Array;
            assert.deepEqual(
              [...panelValues.subarray(panelFloats(k, n))],
              Array(8).fill(CANARY),
              `${label}: written past the panels`,
            );
          } finally {
            tf.dispose([a, b, bias, c, panel]);
          }
        }
      }
    });

    it('refuses what it does not take, so the backend kernel runs instead', () => {
      const backend = tf.backend();
      const a = tf.ones([2, 3]);
      const ints = tf.ones([3, 2], 'int32');
      const b = tf.ones([3, 4]);
      const wrongBias = tf.ones([2, 4]);
      const mixedA = tf.ones([2, 1, 2, 3]);
      const mixedB = tf.ones([1, 3, 3, 4]);
      try {
        assert.equal(gemmProduct(backend, info(a), info(ints)), undefined, 'int32 operand');
        assert.equal(gemmProduct(backend, info(a), info(a)), undefined, 'inner sizes differ');
        assert.equal(gemmProduct(backend, info(a), info(b), { bias: info(wrongBias) }), undefined, 'bias per element');
        assert.equal(gemmProduct(backend, info(mixedA), info(mixedB)), undefined, 'batches broadcast both ways');
      } finally {
        tf.dispose([a, ints, b, wrongBias, mixedA, mixedB]);
      }
    });

    it('keeps working after the backend memory grows', () => {
      const big = tf.zeros([64, 1024, 1024]); // 256 MB: more than the heap had
      try {
        check('after growth', { m: 9, k: 10, n: 11, bias: true });
      } finally {
        big.dispose();
      }
    });
  });
