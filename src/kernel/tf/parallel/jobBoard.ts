// The job board of the second core: a few 32-bit slots at the start of the memory both
// threads share, through which the kernel thread hands a matrix product to the helper
// thread (secondCore.ts, helperThread.ts). The product's rows come in chunks; each thread
// takes the next chunk from a shared counter until none are left, so a helper that wakes
// late or runs slow simply takes fewer. Both sides use the slots with Atomics only.
import type { Gemm } from '../simd/simdModule';

/** How many times the kernel posted a product. */
export const POSTED = 0;
/** The number of the last product the helper is done with (it takes no more of its chunks). */
export const DONE = 1;
/** Set by the kernel thread to end the helper. */
export const STOP = 2;
/** Set by the helper once its kernels are bound to the shared memory and warm. */
export const READY = 3;
/** Set by the helper when a chunk threw: that chunk's rows are not there. */
export const FAILED = 4;
/** The product: which gemm variant (index into GEMM_VARIANTS), then its arguments. */
export const VARIANT = 5;
export const ARGUMENTS = 6; // a, b, c, m (all rows), k, n, bias, relu, panel, lda
export const ARGUMENT_COUNT = 10;
/** The next chunk to take (Atomics.add). */
export const NEXT_CHUNK = ARGUMENTS + ARGUMENT_COUNT;
/** Rows per chunk. */
export const CHUNK_ROWS = NEXT_CHUNK + 1;
/** Chunks the helper has finished (or failed) of the current product. */
export const HELPER_CHUNKS = NEXT_CHUNK + 2;

export const BOARD_SLOTS = HELPER_CHUNKS + 1;
/** Operands start here, past the board, aligned for SIMD loads. */
export const DATA_START = 256;

/** What the helper thread is started with (its workerData). */
export interface HelperData {
  /** The gemm variants compiled for a shared memory (simdModule.sharedGemmModule). */
  module: object;
  /** The shared WebAssembly.Memory: board at 0, operands from DATA_START. */
  memory: object;
}

/** A product's arguments as the board holds them, all rows; addresses in one memory. */
export interface ChunkedProduct {
  gemm: Gemm;
  transposedA: boolean;
  a: number;
  b: number;
  c: number;
  m: number;
  k: number;
  n: number;
  bias: number;
  relu: number;
  panel: number;
  lda: number;
  chunkRows: number;
}

/** How many chunks the product's rows make. */
export function chunkCount(p: { m: number; chunkRows: number }): number {
  return Math.ceil(p.m / p.chunkRows);
}

/** Runs one chunk of rows; `packB` 1 for the first chunk a thread runs of a packed product. */
export function runChunk(p: ChunkedProduct, chunk: number, packB: number): void {
  const first = chunk * p.chunkRows;
  const rows = Math.min(p.chunkRows, p.m - first);
  const a = p.a + (p.transposedA ? first : first * p.lda) * 4;
  p.gemm(a, p.b, p.c + first * p.n * 4, rows, p.k, p.n, p.bias, p.relu, p.panel, p.lda, packB);
}
