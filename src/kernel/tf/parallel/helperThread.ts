// Entry of the second core's thread (dist/gemmHelper.js), started by the kernel thread
// (secondCore.ts). It binds the matrix-multiply kernels to the memory both threads share,
// then waits on the job board for halves of products, runs each and says it is done. It
// spins for a moment after each job, as a training step's products come in quick
// succession and waking a sleeping thread costs tens of microseconds; then it sleeps.
import { workerData } from 'node:worker_threads';
import { gemmName } from '../simd/gemmCode';
import { GEMM_VARIANTS, type Gemm } from '../simd/simdModule';
import { ARGUMENTS, BOARD_SLOTS, DATA_START, DONE, FAILED, POSTED, READY, STOP, VARIANT, type HelperData } from './jobBoard';

/** How long the thread keeps checking for the next job before it sleeps. */
const SPIN_MS = 1;
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

/** Waits until a job after `seen` is posted; returns its number. */
function nextJob(seen: number): number {
  const spinUntil = performance.now() + SPIN_MS;
  while (Atomics.load(board, POSTED) === seen) {
    if (performance.now() > spinUntil) Atomics.wait(board, POSTED, seen);
  }
  return Atomics.load(board, POSTED);
}

/**
 * Runs every variant on a small product in the data area until V8 has compiled it with
 * its optimizing tier: the first halves would otherwise run on baseline code, several
 * times slower, and keep the kernel thread waiting (a user's first training run).
 */
function warmUp(): void {
  // The first write to each page of memory faults it in: done here, not in the first jobs.
  new Uint8Array(buffer, DATA_START).fill(0);
  const size = 96;
  const [a, b, c, panel] = [0, 1, 2, 3].map((i) => DATA_START + i * size * size * 4);
  const until = performance.now() + WARM_UP_MS;
  while (performance.now() < until) {
    for (const gemm of gemms) gemm(a, b, c, size, size, size, 0, 0, panel, size);
  }
}

warmUp();
Atomics.store(board, READY, 1);
for (let seen = Atomics.load(board, POSTED); ;) {
  seen = nextJob(seen);
  if (Atomics.load(board, STOP)) break;
  try {
    const [a, b, c, m, k, n, bias, relu, panel, lda] = board.subarray(ARGUMENTS);
    gemms[board[VARIANT]](a, b, c, m, k, n, bias, relu, panel, lda);
  } catch {
    Atomics.store(board, FAILED, 1);
  }
  Atomics.store(board, DONE, seen);
  Atomics.notify(board, DONE);
}
