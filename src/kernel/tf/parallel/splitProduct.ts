// Runs one matrix product (one gemm call over `m` rows) on this thread, or shares its
// rows out with the second core (secondCore.ts) when that is ready and the product is big
// enough to pay for the copies and the hand-over. Every element of C is summed in the
// same order either way, so sharing changes no value, not even in the last bit.
import type { KernelBackend } from '@tensorflow/tfjs';
import type { GemmVariant } from '../simd/simdModule';
import { heapBytes } from '../wasmBackend';
import type { ChunkedProduct } from './jobBoard';
import { readySecondCore } from './secondCore';

/**
 * Products of at least this many multiply-adds (m·k·n) are shared out. Measured on a
 * 2-core machine, in-process: a 256x256x256 product (16.8 million) takes about 0.45 ms on
 * two cores against 0.7 on one. The threshold itself is a round figure, not tuned.
 */
export const MIN_SPLIT_WORK = 2 ** 20;
/** Rows per chunk: the packed gemm's own chunk of rows, so chunks cost no extra pass. */
export const CHUNK_ROWS = 24;
/** Products of fewer rows than this stay on one thread. */
export const MIN_SPLIT_ROWS = 2 * CHUNK_ROWS;

/** One gemm call over all `m` rows (see simdModule's Gemm), with its variant. */
export type RowProduct = Omit<ChunkedProduct, 'transposedA' | 'chunkRows'> & { variant: GemmVariant };

/** Runs the product, shared with the second core when it pays. */
export function runProduct(backend: KernelBackend, p: RowProduct): void {
  const { m, k, n, variant } = p;
  const core = m * k * n >= MIN_SPLIT_WORK && m >= MIN_SPLIT_ROWS ? readySecondCore() : undefined;
  if (core !== undefined) {
    const chunked: ChunkedProduct = { ...p, transposedA: variant.transposedA, chunkRows: CHUNK_ROWS };
    if (core.run(heapBytes(backend), variant, chunked)) return;
  }
  p.gemm(p.a, p.b, p.c, m, k, n, p.bias, p.relu, p.panel, p.lda, 1);
}
