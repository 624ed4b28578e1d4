// The second core for large matrix products. The wasm backend's memory is not shared, so
// a helper thread (helperThread.ts) cannot read tensors where they live: for each product
// split in two, the kernel thread copies what the helper's half needs (all of B, the
// helper's rows of A, the bias) into a memory both threads share, posts the job, runs its
// own half in place, waits for the helper and copies the helper's rows of C back. The
// copies are O(n²) against the product's O(n³); products too small to pay for them and
// for the hand-over stay on one thread (gemmProduct.ts decides).
//
// Any fault of the helper (it never starts, dies, throws, or stalls) leaves the kernel
// thread to do that half itself, and the second core is not used again: a product is
// never lost or wrong because of it.
import { Worker } from 'node:worker_threads';
import { SHARED_MAX_PAGES, sharedGemmModule } from '../simd/simdModule';
import { ARGUMENTS, BOARD_SLOTS, DATA_START, DONE, FAILED, POSTED, READY, STOP, VARIANT } from './jobBoard';

/** A half of a product for the helper: its operands as the kernel thread sees them. */
export interface HelperHalf {
  /** The backend's memory as floats: every operand below is read from it. */
  heap: Float32Array;
  /** Index into GEMM_VARIANTS. */
  variant: number;
  transposedA: boolean;
  /** Byte addresses in `heap`; bias 0 when there is none. */
  a: number;
  b: number;
  bias: number;
  /** The whole product's rows; the helper takes rows `firstRow`..m. */
  m: number;
  firstRow: number;
  k: number;
  n: number;
  relu: boolean;
  packed: boolean;
}

/** The result of a posted half: call `finish` once the kernel thread's own half is done. */
export interface PostedHalf {
  /** Waits for the helper and copies its rows of C to byte address `c` of `heap`; false if the helper failed. */
  finish(heap: Float32Array, c: number): boolean;
}

interface WasmMemoryApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => {
    buffer: SharedArrayBuffer;
    grow(pages: number): number;
  };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmMemoryApi }).WebAssembly;

const PAGE = 65536;
/** How often whenReady looks at the board (the helper sets READY there, from its own thread). */
const READY_POLL_MS = 20;
/** 4 MB: room for the halves of products up to 512x512x512 without growing (the helper touches it all at start). */
const INITIAL_PAGES = 64;
/** The kernel thread spins this long for the helper before it sleeps between checks. */
const SPIN_MS = 2;
/** A helper slower than 1 GFLOP/s (a twentieth of its speed) on a half, and by at least a second, has stalled. */
const STALL_MS_PER_MFLOP = 1;
const MIN_STALL_MS = 1000;

export class SecondCore {
  private readonly memory: InstanceType<WasmMemoryApi['Memory']>;
  private readonly board: Int32Array;
  private floats: Float32Array;
  private readonly worker: Worker;
  private posted = 0;
  private finished = 0;
  private broken = false;

  private constructor(module: object, helperScript: string) {
    this.memory = new wasm.Memory({ initial: INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true });
    this.board = new Int32Array(this.memory.buffer, 0, BOARD_SLOTS);
    this.floats = new Float32Array(this.memory.buffer);
    this.worker = new Worker(helperScript, { workerData: { module, memory: this.memory }, execArgv: [] });
    this.worker.unref();
    // A helper that dies is never waited for again.
    this.worker.on('error', () => (this.broken = true));
    this.worker.on('exit', () => (this.broken = true));
  }

  /** A helper thread running `helperScript` (dist/gemmHelper.js), or undefined where the runtime cannot share memory with one. */
  static start(helperScript: string): SecondCore | undefined {
    const module = sharedGemmModule();
    if (module === null || typeof SharedArrayBuffer === 'undefined') return undefined;
    try {
      return new SecondCore(module, helperScript);
    } catch {
      return undefined;
    }
  }

  /** Whether the helper is up and has never failed: only then are halves posted. */
  get ready(): boolean {
    return !this.broken && Atomics.load(this.board, READY) === 1;
  }

  /** Resolves true once the helper takes jobs, false if it failed first. */
  whenReady(): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.ready || this.broken) resolve(this.ready);
        else setTimeout(check, READY_POLL_MS).unref();
      };
      check();
    });
  }

  /** Copies the helper's operands into the shared memory and posts its half; undefined if it cannot take one now. */
  post(half: HelperHalf): PostedHalf | undefined {
    if (!this.ready) return undefined;
    const { heap, m, firstRow, k, n } = half;
    const rows = m - firstRow;
    // The helper's A: its rows, or for a stored-transposed A ([k, m]) all of it, read
    // from its columns `firstRow`.. with the full row length.
    const aFloats = half.transposedA ? k * m : rows * k;
    const layout = this.place([aFloats, k * n, half.bias ? n : 0, rows * n, half.packed ? k * n : 0]);
    if (layout === undefined) return undefined;
    const [a, b, bias, c, panel] = layout;
    const floats = this.floats;
    const aFrom = half.a / 4 + (half.transposedA ? 0 : firstRow * k);
    floats.set(heap.subarray(aFrom, aFrom + aFloats), a / 4);
    floats.set(heap.subarray(half.b / 4, half.b / 4 + k * n), b / 4);
    if (half.bias) floats.set(heap.subarray(half.bias / 4, half.bias / 4 + n), bias / 4);
    const board = this.board;
    board[VARIANT] = half.variant;
    const args = [
      half.transposedA ? a + firstRow * 4 : a,
      b,
      c,
      rows,
      k,
      n,
      half.bias ? bias : 0,
      half.relu ? 1 : 0,
      panel,
      half.transposedA ? m : k,
    ];
    board.set(args, ARGUMENTS);
    const job = ++this.posted;
    Atomics.store(board, POSTED, job);
    Atomics.notify(board, POSTED);
    const stallMs = Math.max(MIN_STALL_MS, ((2 * rows * k * n) / 1e6) * STALL_MS_PER_MFLOP);
    return { finish: (into, at) => this.finish(job, stallMs, c, rows * n, into, at) };
  }

  private finish(job: number, stallMs: number, from: number, count: number, into: Float32Array, at: number): boolean {
    if (!this.waitFor(job, stallMs)) {
      this.broken = true;
      return false;
    }
    if (Atomics.load(this.board, FAILED)) {
      this.broken = true;
      return false;
    }
    into.set(this.floats.subarray(from / 4, from / 4 + count), at / 4);
    this.finished++;
    return true;
  }

  /** How many halves the helper has run and handed back. */
  get halvesRun(): number {
    return this.finished;
  }

  /** Spins, then sleeps in short waits, until the helper finished `job`; false once it has stalled or died. */
  private waitFor(job: number, stallMs: number): boolean {
    const start = performance.now();
    while (Atomics.load(this.board, DONE) !== job) {
      const waited = performance.now() - start;
      if (this.broken || waited > stallMs) return false;
      if (waited > SPIN_MS) Atomics.wait(this.board, DONE, Atomics.load(this.board, DONE), 10);
    }
    return true;
  }

  /**
   * Byte addresses for consecutive regions of the given float counts, each aligned to 16
   * bytes, after growing the shared memory if needed; undefined past its maximum.
   */
  private place(counts: number[]): number[] | undefined {
    const addresses: number[] = [];
    let end = DATA_START;
    for (const count of counts) {
      addresses.push(end);
      end += Math.ceil((count * 4) / 16) * 16;
    }
    const pages = Math.ceil(end / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) {
      if (pages > SHARED_MAX_PAGES) return undefined;
      this.memory.grow(pages - have);
      this.floats = new Float32Array(this.memory.buffer);
    }
    return addresses;
  }

  /** Ends the helper thread. */
  dispose(): void {
    this.broken = true;
    Atomics.store(this.board, STOP, 1);
    Atomics.add(this.board, POSTED, 1);
    Atomics.notify(this.board, POSTED);
    void this.worker.terminate();
  }
}

let current: SecondCore | undefined;

/** Starts the helper thread for the kernel's products (once; later calls keep the first); undefined where it cannot run. */
export function startSecondCore(helperScript: string): SecondCore | undefined {
  current ??= SecondCore.start(helperScript);
  return current;
}

/** Ends it: products run on one thread again. */
export function stopSecondCore(): void {
  current?.dispose();
  current = undefined;
}

/** The second core when it is ready for a half, else undefined. */
export function readySecondCore(): SecondCore | undefined {
  return current?.ready ? current : undefined;
}
