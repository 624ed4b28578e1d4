// Runs one matrix product (one gemm call over `rows` rows) on this thread, or shares its
// rows out with the second core (secondCore.ts) when that is ready and the product is big
// enough to pay for the copies and the hand-over. Every element of C is summed in the
// same order either way, so sharing changes no value, not even in the last bit.
import type { KernelBackend } from '@tensorflow/tfjs';
import { GEMM_VARIANTS, type Gemm, type GemmVariant } from '../simd/simdModule';
import { heapBytes } from '../wasmBackend';
import { runChunk, type ChunkedProduct } from './jobBoard';
import { readySecondCore } from './secondCore';

/**
 * Products of at least this many multiply-adds (m·k·n) are shared out. Measured on a
 * 2-core machine (bench: matmul): a 256x100x256 product (6.5 million) gains about 1.6x,
 * and below a million the copies and the hand-over eat most of the gain.
 */
export const MIN_SPLIT_WORK = 2 ** 20;
/** Rows per chunk: the packed gemm's own chunk of rows, so chunks cost no extra pass. */
export const CHUNK_ROWS = 24;
/** Products of fewer rows than this stay on one thread. */
export const MIN_SPLIT_ROWS = 2 * CHUNK_ROWS;

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

/** Runs the product, shared with the second core when it pays. */
export function runProduct(backend: KernelBackend, p: RowProduct): void {
  const { rows, k, n } = p;
  const core = rows * k * n >= MIN_SPLIT_WORK && rows >= MIN_SPLIT_ROWS ? readySecondCore() : undefined;
  const whole = () => p.gemm(p.a, p.b, p.c, rows, k, n, p.bias, p.relu, p.panel, p.lda, 1);
  if (core === undefined) return whole();
  const { transposedA, packed, transposedB } = p.variant;
  const { gemm, a, b, c, bias, relu, panel, lda } = p;
  const chunked: ChunkedProduct = { gemm, transposedA, a, b, c, m: rows, k, n, bias, relu, panel, lda, chunkRows: CHUNK_ROWS };
  const shared = core.run({
    heap: heapBytes(backend),
    variant: GEMM_VARIANTS.findIndex(
      (v) => v.transposedA === transposedA && v.packed === packed && v.transposedB === transposedB,
    ),
    packed,
    ...chunked,
    ownChunk: (chunk, packB) => runChunk(chunked, chunk, packB),
  });
  if (!shared) whole();
}
