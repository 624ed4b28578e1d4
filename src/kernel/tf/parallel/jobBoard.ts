// The job board of the second core: a few 32-bit slots at the start of the memory both
// threads share, through which the kernel thread hands the helper thread one half of a
// matrix product (secondCore.ts) and the helper says it is done (helperThread.ts). Both
// sides read and write the slots with Atomics; nothing else passes between them.

/** How many times the kernel posted a job (the helper works while DONE lags it). */
export const POSTED = 0;
/** The number of the last job the helper finished. */
export const DONE = 1;
/** Set by the kernel thread to end the helper. */
export const STOP = 2;
/** Set by the helper once its kernels are bound to the shared memory. */
export const READY = 3;
/** Set by the helper when a job threw: its half of the product is not there. */
export const FAILED = 4;
/** The job: which gemm variant (index into GEMM_VARIANTS), then its arguments in order. */
export const VARIANT = 5;
export const ARGUMENTS = 6; // a, b, c, m, k, n, bias, relu, panel, lda: ten slots
export const ARGUMENT_COUNT = 10;

export const BOARD_SLOTS = ARGUMENTS + ARGUMENT_COUNT;
/** Operands start here, past the board, aligned for SIMD loads. */
export const DATA_START = 256;

/** What the helper thread is started with (its workerData). */
export interface HelperData {
  /** The gemm variants compiled for a shared memory (simdModule.sharedGemmModule). */
  module: object;
  /** The shared WebAssembly.Memory: board at 0, operands from DATA_START. */
  memory: object;
}
