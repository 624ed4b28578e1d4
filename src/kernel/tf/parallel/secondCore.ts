// The second core for large matrix products. The wasm backend's memory is not shared, so
// a helper thread (helperThread.ts) cannot read tensors where they live: for a product
// shared out, the kernel thread copies A, B and the bias into a memory both threads share
// and posts the product on the job board. Then both threads take chunks of its rows until
// none are left, the kernel thread computing its chunks in place; it waits for the
// helper's last chunk and copies the helper's rows of C back. Sharing out by chunks, not
// halves, means a helper that wakes late or is slowed by other work holds nobody up: it
// takes fewer chunks. The copies are O(n²) against the product's O(n³); products too
// small to pay for them stay on one thread (splitProduct.ts decides).
//
// Any fault of the helper (it never starts, dies, throws, or stalls) leaves the kernel
// thread to compute the helper's chunks itself, and the second core is not used again: a
// product is never lost or wrong because of it.
import { Worker } from 'node:worker_threads';
import { GEMM_VARIANTS, SHARED_MAX_PAGES, sharedGemmModule, type GemmVariant } from '../simd/simdModule';
import { panelFloats } from '../simd/gemmLayout';
import {
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
} from './jobBoard';

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
/** 8 MB: room for products up to 512x512x512 without growing (the helper touches it all at start). */
const INITIAL_PAGES = 128;
/** The kernel thread spins this long for the helper before it sleeps between checks. */
const SPIN_MS = 2;
/** How long a product waits for the helper to finish with the last one before it runs alone. */
const IDLE_WAIT_MS = 0.02;
/** The helper has stalled when its chunks are not done after a millisecond per million flops of the whole product (1 GFLOP/s, a fiftieth of its speed), and at least a second. */
const STALL_MS_PER_MFLOP = 1;
const MIN_STALL_MS = 1000;

export class SecondCore {
  private readonly memory: InstanceType<WasmMemoryApi['Memory']>;
  private readonly board: Int32Array;
  private bytes: Buffer;
  private readonly worker: Worker;
  private posted = 0;
  private finished = 0;
  private broken = false;

  private constructor(module: object, helperScript: string) {
    this.memory = new wasm.Memory({ initial: INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true });
    this.board = new Int32Array(this.memory.buffer, 0, BOARD_SLOTS);
    this.bytes = Buffer.from(this.memory.buffer);
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

  /**
   * Computes the product `p`, whose addresses are in the backend's memory `heap`, with the
   * helper; false, with nothing computed, when the helper is not free to take part (not
   * started, failed before, or not yet done with the last one).
   */
  run(heap: Buffer, variant: GemmVariant, p: ChunkedProduct): boolean {
    if (!this.ready || !this.idle()) return false;
    const { m, k, n } = p;
    const layout = this.place([m * k, k * n, p.bias ? n : 0, m * n, variant.packed ? panelFloats(k, n) : 0]);
    if (layout === undefined) return false;
    const [a, b, bias, c, panel] = layout;
    // Buffer.copy is a memcpy; a typed array's set is several times slower when either
    // side is a shared buffer (measured: 14 against 2 µs for 128 kB).
    heap.copy(this.bytes, a, p.a, p.a + m * k * 4);
    heap.copy(this.bytes, b, p.b, p.b + k * n * 4);
    if (p.bias) heap.copy(this.bytes, bias, p.bias, p.bias + n * 4);
    const board = this.board;
    board[VARIANT] = GEMM_VARIANTS.findIndex(
      (v) => v.transposedA === variant.transposedA && v.packed === variant.packed && v.transposedB === variant.transposedB,
    );
    board.set([a, b, c, m, k, n, p.bias ? bias : 0, p.relu, panel, p.lda], ARGUMENTS);
    board[CHUNK_ROWS] = p.chunkRows;
    board[NEXT_CHUNK] = 0;
    board[HELPER_CHUNKS] = 0;
    Atomics.store(board, POSTED, ++this.posted);
    Atomics.notify(board, POSTED);

    const chunks = chunkCount(p);
    const mine = new Uint8Array(chunks);
    let packB = 1;
    let ownChunks = 0;
    for (let chunk = Atomics.add(board, NEXT_CHUNK, 1); chunk < chunks; chunk = Atomics.add(board, NEXT_CHUNK, 1)) {
      runChunk(p, chunk, packB);
      packB = 0;
      mine[chunk] = 1;
      ownChunks++;
    }
    const helperChunks = chunks - ownChunks;
    const stallMs = Math.max(MIN_STALL_MS, ((2 * m * k * n) / 1e6) * STALL_MS_PER_MFLOP);
    const helped = this.waitForChunks(helperChunks, stallMs) && !Atomics.load(board, FAILED);
    if (!helped) this.broken = true;
    // The helper's chunks: copied back, or computed here when it failed.
    for (let chunk = 0; chunk < chunks; chunk++) {
      if (mine[chunk]) continue;
      if (!helped) {
        runChunk(p, chunk, packB);
        packB = 0;
        continue;
      }
      const from = chunk * p.chunkRows * n * 4;
      const to = Math.min(m * n * 4, from + p.chunkRows * n * 4);
      this.bytes.copy(heap, p.c + from, c + from, c + to);
      this.finished++;
    }
    return true;
  }

  /** How many chunks of rows the helper has computed and handed back. */
  get chunksRun(): number {
    return this.finished;
  }

  /** Whether the helper is done with the last product (it may still be taking its last, empty, chunk). */
  private idle(): boolean {
    const until = performance.now() + IDLE_WAIT_MS;
    while (Atomics.load(this.board, DONE) !== this.posted) if (performance.now() > until) return false;
    return true;
  }

  /** Spins, then sleeps in short waits, until the helper finished `count` chunks; false once it has stalled or died. */
  private waitForChunks(count: number, stallMs: number): boolean {
    const start = performance.now();
    while (Atomics.load(this.board, HELPER_CHUNKS) < count) {
      const waited = performance.now() - start;
      if (this.broken || waited > stallMs) return false;
      if (waited > SPIN_MS) Atomics.wait(this.board, HELPER_CHUNKS, Atomics.load(this.board, HELPER_CHUNKS), 10);
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
      this.bytes = Buffer.from(this.memory.buffer);
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
