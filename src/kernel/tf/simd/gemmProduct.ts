// A wasm-backend matrix product on the SIMD kernel: float32 operands, either of them
// transposed, with a batch on either side (or both), a per-column bias and relu folded
// in. Anything else (other dtypes, other bias shapes, other activations, mixed batch
// broadcasting) returns undefined and the caller keeps the backend's own kernel. A single
// large product is split with the second core when it runs (parallel/splitProduct.ts).
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { sizeOf } from '../kernelOverride';
import { runProduct } from '../parallel/splitProduct';
import { panelFloats } from './gemmLayout';
import { addressOf, makeOutput, scratchOf, simdKernelsOf } from '../wasmBackend';

/** Rows of A from which B is packed panel by panel (measured: below, the copy costs more than it saves). */
export const PACK_FROM_ROWS = 16;
/** The largest copy of B kept as scratch (larger ones go to the backend's kernel). */
const MAX_SCRATCH_BYTES = 2 ** 30;

/** Whether `bias` holds exactly one value for each of a product's `n` columns. */
export function holdsOnePerColumn(bias: TensorInfo, n: number): boolean {
  return sizeOf(bias.shape) === n && bias.shape[bias.shape.length - 1] === n;
}

export interface ProductOptions {
  /** Added to every row of the product: must have exactly n values along the last axis. */
  bias?: TensorInfo;
  relu?: boolean;
  /** `a` holds each matrix transposed, [..., k, m]. */
  transposedA?: boolean;
  /** `b` holds each matrix transposed, [..., n, k]. */
  transposedB?: boolean;
}

/**
 * `a·b` for a [..., m, k] (or [..., k, m] with `transposedA`) and b [..., k, n] (or
 * [..., n, k] with `transposedB`) on the SIMD kernel, or undefined when this product is
 * not one it takes.
 */
export function gemmProduct(
  backend: KernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  options: ProductOptions = {},
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const { bias, transposedA = false, transposedB = false } = options;
  const [m, k] = transposedA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const [kb, n] = transposedB ? b.shape.slice(-2).reverse() : b.shape.slice(-2);
  if (k !== kb) return undefined;
  if (bias !== undefined && (bias.dtype !== 'float32' || !holdsOnePerColumn(bias, n))) return undefined;
  const leadA = a.shape.slice(0, -2);
  const leadB = b.shape.slice(0, -2);
  const batchA = sizeOf(leadA);
  const batchB = sizeOf(leadB);
  // One side repeats for every matrix of the other, or both step together.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  let lead: number[];
  try {
    lead = tf.broadcast_util.assertAndGetBroadcastShape(leadA, leadB);
  } catch {
    return undefined;
  }
  if (sizeOf(lead) !== Math.max(batchA, batchB)) return undefined;
  const kernels = simdKernelsOf(backend);
  if (kernels === undefined) return undefined;
  // One call covers the whole batch of A when B has none: row-major [B, m, k] is one
  // [B·m, k] matrix.
  const foldRows = batchB === 1 && batchA > 1 && !transposedA;
  const rowsPerCall = foldRows ? batchA * m : m;
  // Packing B costs one pass over it; it pays once several chunks of rows reuse it, and
  // it is how a transposed B is read at all. The copy lives in scratch, within limits.
  const scratchBytes = panelFloats(k, n) * 4;
  const canPack = scratchBytes <= MAX_SCRATCH_BYTES;
  if (transposedB && !canPack) return undefined;
  const packed = transposedB || (rowsPerCall >= PACK_FROM_ROWS && canPack);
  const gemm = kernels.gemm({ transposedA, packed, transposedB });
  // Scratch before the output, so that nothing is left to release if it cannot be had.
  const panel = packed ? scratchOf(backend, scratchBytes) : 0;

  const out = makeOutput(backend, [...lead, m, n], 'float32');
  const batch = Math.max(batchA, batchB);
  if (batch * m * n === 0) return out;
  const [aAt, bAt, outAt] = [addressOf(backend, a), addressOf(backend, b), addressOf(backend, out)];
  const biasAt = bias === undefined ? 0 : addressOf(backend, bias);
  const relu = options.relu ? 1 : 0;
  const lda = transposedA ? m : k;
  if (foldRows || batch === 1) {
    const variant = { transposedA, packed, transposedB };
    runProduct(backend, { gemm, variant, a: aAt, b: bAt, c: outAt, m: rowsPerCall, k, n, bias: biasAt, relu, panel, lda });
    return out;
  }
  for (let i = 0; i < batch; i++) {
    const aOffset = batchA === 1 ? 0 : i * m * k * 4;
    const bOffset = batchB === 1 ? 0 : i * k * n * 4;
    gemm(aAt + aOffset, bAt + bOffset, outAt + i * m * n * 4, m, k, n, biasAt, relu, panel, lda, 1);
  }
  return out;
}
