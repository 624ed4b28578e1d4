// Runs one matrix product (one gemm call over `rows` rows) on this thread, or splits its
// rows with the second core (secondCore.ts) when that is ready and the product is big
// enough to pay for the copies and the hand-over. Every element of C is summed in the
// same order either way, so the split changes no value, not even in the last bit.
import type { KernelBackend } from '@tensorflow/tfjs';
import { GEMM_VARIANTS, type Gemm, type GemmVariant } from '../simd/simdModule';
import { heapFloats } from '../wasmBackend';
import { readySecondCore } from './secondCore';

/**
 * Products of at least this many multiply-adds (m·k·n) are split. Measured on a 2-core
 * machine (bench: matmul): a 256x100x256 product (6.5 million) gains about 1.6x, and below
 * a million the copies and the hand-over eat most of the gain.
 */
export const MIN_SPLIT_WORK = 2 ** 20;
/** Each thread's share keeps at least this many rows (a packed chunk's worth). */
export const MIN_SHARE_ROWS = 24;

/** One gemm call's arguments (see simdModule's Gemm), with its variant. */
export interface RowProduct {
  gemm: Gemm;
  variant: GemmVariant;
  a: number;
  b: number;
  c: number;
  rows: number;
  k: number;
  n: number;
  bias: number;
  relu: number;
  panel: number;
  /** Floats from one row of A to the next. */
  lda: number;
}

/** Runs the product, split between two cores when it pays. */
export function runProduct(backend: KernelBackend, p: RowProduct): void {
  const { rows, k, n } = p;
  const core = rows * k * n >= MIN_SPLIT_WORK && rows >= 2 * MIN_SHARE_ROWS ? readySecondCore() : undefined;
  const ownRows = (from: number, to: number) => {
    const aAt = p.a + (p.variant.transposedA ? from : from * p.lda) * 4;
    p.gemm(aAt, p.b, p.c + from * n * 4, to - from, k, n, p.bias, p.relu, p.panel, p.lda);
  };
  if (core === undefined) return ownRows(0, rows);
  // This thread also copies the helper's operands in and its rows out: it keeps at most
  // half, rounded down to whole six-row blocks.
  const firstHelperRow = 6 * Math.floor(rows / 12);
  const heap = heapFloats(backend);
  const posted = core.post({
    heap,
    variant: GEMM_VARIANTS.findIndex(
      (v) => v.transposedA === p.variant.transposedA && v.packed === p.variant.packed && v.transposedB === p.variant.transposedB,
    ),
    transposedA: p.variant.transposedA,
    packed: p.variant.packed,
    a: p.a,
    b: p.b,
    bias: p.bias,
    m: rows,
    firstRow: firstHelperRow,
    k,
    n,
    relu: p.relu === 1,
  });
  if (posted === undefined) return ownRows(0, rows);
  ownRows(0, firstHelperRow);
  // A helper that failed leaves its rows to this thread.
  if (!posted.finish(heap, p.c + firstHelperRow * n * 4)) ownRows(firstHelperRow, rows);
}
