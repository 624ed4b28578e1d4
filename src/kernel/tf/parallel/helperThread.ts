// Entry of the second core's thread (dist/gemmHelper.js), started by the kernel thread
// (secondCore.ts). It binds the matrix-multiply kernels to the memory both threads share,
// then waits on the job board for products and takes their chunks of rows as long as
// any are left (jobBoard.ts). It spins for a moment after each product, as a training
// step's products come in quick succession and waking a sleeping thread costs tens of
// microseconds; then it sleeps.
import { workerData } from 'node:worker_threads';
import { gemmName } from '../simd/gemmCode';
import { GEMM_VARIANTS, type Gemm } from '../simd/simdModule';
import {
  ARGUMENT_COUNT,
  ARGUMENTS,
  BOARD_SLOTS,
  CHUNK_ROWS,
  chunkCount,
  DATA_START,
  DONE,
  FAILED,
  HELPER_CHUNKS,
  NEXT_CHUNK,
  POSTED,
  READY,
  runChunk,
  STOP,
  VARIANT,
  type ChunkedProduct,
  type HelperData,
} from './jobBoard';

/** How long the thread keeps checking for the next product before it sleeps. */
const SPIN_MS = 5;
/** How long it runs its kernels before it takes jobs (see warmUp). */
const WARM_UP_MS = 150;

interface WasmInstanceApi {
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmInstanceApi }).WebAssembly;

const { module, memory } = workerData as HelperData;
const { exports } = new wasm.Instance(module, { env: { memory } });
const gemms = GEMM_VARIANTS.map((variant) => exports[gemmName(variant)] as Gemm);
// Shared memory never detaches when it grows: this view of the board stays valid.
const { buffer } = memory as { buffer: SharedArrayBuffer };
const board = new Int32Array(buffer, 0, BOARD_SLOTS);

/** Waits until a product after `seen` is posted; returns its number. */
function nextJob(seen: number): number {
  const spinUntil = performance.now() + SPIN_MS;
  while (Atomics.load(board, POSTED) === seen) {
    if (performance.now() > spinUntil) Atomics.wait(board, POSTED, seen);
  }
  return Atomics.load(board, POSTED);
}

/** Takes chunks of the posted product until none are left, or one fails. */
function takeChunks(): void {
  const [a, b, c, m, k, n, bias, relu, panel, lda] = board.subarray(ARGUMENTS, ARGUMENTS + ARGUMENT_COUNT);
  const variant = board[VARIANT];
  const product: ChunkedProduct = {
    gemm: gemms[variant],
    transposedA: GEMM_VARIANTS[variant].transposedA,
    ...{ a, b, c, m, k, n, bias, relu, panel, lda },
    chunkRows: board[CHUNK_ROWS],
  };
  const chunks = chunkCount(product);
  let packB = 1;
  for (let chunk = Atomics.add(board, NEXT_CHUNK, 1); chunk < chunks; chunk = Atomics.add(board, NEXT_CHUNK, 1)) {
    try {
      runChunk(product, chunk, packB);
    } catch {
      Atomics.store(board, FAILED, 1);
      Atomics.add(board, HELPER_CHUNKS, 1);
      return;
    }
    packB = 0;
    Atomics.add(board, HELPER_CHUNKS, 1);
  }
}

/**
 * Runs every variant on a small product for WARM_UP_MS, long enough for V8 to compile
 * them with its optimizing tier, and writes every page of the memory once: the first
 * products would otherwise wait for baseline code and page faults (measured: 1.7 against
 * 0.45 ms for the first half of a 256x256x256 product).
 */
function warmUp(): void {
  new Uint8Array(buffer, DATA_START).fill(0);
  const size = 96;
  const [a, b, c, panel] = [0, 1, 2, 3].map((i) => DATA_START + i * size * size * 4);
  const until = performance.now() + WARM_UP_MS;
  while (performance.now() < until) {
    for (const gemm of gemms) gemm(a, b, c, size, size, size, 0, 0, panel, size, 1);
  }
}

warmUp();
Atomics.store(board, READY, 1);
for (let seen = Atomics.load(board, POSTED); ;) {
  seen = nextJob(seen);
  if (Atomics.load(board, STOP)) break;
  takeChunks();
  Atomics.store(board, DONE, seen);
  Atomics.notify(board, DONE);
}
