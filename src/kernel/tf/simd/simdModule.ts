// Compiles our SIMD kernels (gemmCode.ts, columnSumCode.ts, optimizerCode.ts,
// elementwiseCode.ts) once per process and binds them to a wasm backend's memory, so they
// read and write tensors where they live.
import { adamStepFunction, sgdStepFunction } from './optimizerCode';
import { columnSumFunction } from './columnSumCode';
import {
  BINARY_LAYOUTS,
  BINARY_OPS,
  binaryFunction,
  binaryName,
  type BinaryOp,
  SQDIFF_GRAD,
  squaredDifferenceGradFunction,
} from './elementwiseCode';
import { gemmFunction, gemmName } from './gemmCode';
import { MAX_BLOCK_ROWS, type Variant } from './gemmLayout';
import { encodeFunctions, moduleBytes, type EncodedFunctions } from './wasmBytes';

/**
 * The parts of the WebAssembly API used here. The worker's TypeScript setup has no DOM
 * library, where its types live; Node has the API all the same.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A WebAssembly.Memory: opaque here, only handed to the instance. */
export type WasmMemory = object;

/** Whether `value` is a WebAssembly.Memory. */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof wasmApi.Memory;
}

/**
 * gemm(a, b, c, m, k, n, bias, relu, panel, lda, packB): byte addresses, sizes, bias
 * address or 0, relu 0/1, (packed variants) scratch of k·n·4 bytes, floats from one row
 * of A to the next (k, or m for a transposed A, unless A is part of a wider matrix), and
 * (packed variants) 1 to pack B into the scratch first, 0 when it already holds B packed.
 */
export type Gemm = (
  a: number,
  b: number,
  c: number,
  m: number,
  k: number,
  n: number,
  bias: number,
  relu: number,
  panel: number,
  lda: number,
  packB: number,
) => void;

/** Which matrix multiply: operands as stored, and whether B is packed panel by panel. */
export type GemmVariant = Omit<Variant, 'fused' | 'rows'>;

export const GEMM_VARIANTS: GemmVariant[] = [
  { transposedA: false, packed: false, transposedB: false },
  { transposedA: true, packed: false, transposedB: false },
  { transposedA: false, packed: true, transposedB: false },
  { transposedA: true, packed: true, transposedB: false },
  { transposedA: false, packed: true, transposedB: true },
  { transposedA: true, packed: true, transposedB: true },
];

export interface SimdKernels {
  /** The matrix multiply of one variant. */
  gemm(variant: GemmVariant): Gemm;
  /** columnSum(x, out, rows, cols): out[j] = Σᵢ x[i, j]. */
  columnSum: (x: number, out: number, rows: number, cols: number) => void;
  /** adamStep(value, m, v, g, valueOut, mOut, vOut, count, β₁, β₂, 1-β₁, 1-β₂, lr, 1-β₁ᵗ, 1-β₂ᵗ, ε): see optimizerCode.ts. */
  adamStep: (...addressesCountAndSettings: number[]) => void;
  /** sgdStep(value, g, valueOut, count, -lr): valueOut = value + (-lr)·g. */
  sgdStep: (value: number, g: number, valueOut: number, count: number, scale: number) => void;
  /** An elementwise op (elementwiseCode.ts), one function per entry of BINARY_LAYOUTS, in its order: f(a, b, out, rows, cols). */
  binary: Record<BinaryOp, BinaryFunction[]>;
  /** squaredDifferenceGrad(a, b, dy, out, count): out = dy · 2 · (a - b). */
  squaredDifferenceGrad: (a: number, b: number, dy: number, out: number, count: number) => void;
}

export type BinaryFunction = (a: number, b: number, out: number, rows: number, cols: number) => void;

interface Compiled {
  module: object;
  fused: boolean;
  rows: number;
  /** Its functions, encoded: the shared-memory module reuses them. */
  encoded: EncodedFunctions;
}

let compiled: Compiled | null | undefined;
/** Set by tests to run every kind of multiply; the kernel itself takes the fastest this runtime runs. */
let chosen: { fma: boolean; rows?: number } = { fma: true };

/**
 * Whether this V8 keeps a six-row block's fifteen SIMD values in registers (13.6 does;
 * 11.3 and 12.4 spill them and run at half speed, measured).
 */
function sixRowBlocksFit(): boolean {
  const [major, minor] = (globalThis.process?.versions?.v8 ?? '0.0').split('.').map(Number);
  return major > 13 || (major === 13 && minor >= 6);
}

/**
 * The compiled module: with fused multiply-adds where the runtime has relaxed SIMD
 * (recent V8), plain SIMD otherwise; null when the runtime has no wasm SIMD at all.
 */
function compiledModule(): Compiled | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  for (const fused of chosen.fma ? [true, false] : [false]) {
    const rows = fused ? (chosen.rows ?? (sixRowBlocksFit() ? MAX_BLOCK_ROWS : 4)) : 4;
    const encoded = encodeFunctions([
      ...GEMM_VARIANTS.map((variant) => gemmFunction({ ...variant, fused, rows })),
      columnSumFunction(),
      adamStepFunction(),
      sgdStepFunction(),
      ...BINARY_OPS.flatMap((op) => BINARY_LAYOUTS.map(([a, b]) => binaryFunction(op, a, b))),
      squaredDifferenceGradFunction(),
    ]);
    const bytes = moduleBytes(encoded);
    if (!wasmApi.validate(bytes)) continue;
    compiled = { module: new wasmApi.Module(bytes), fused, rows, encoded };
    break;
  }
  return compiled;
}

/** The most a shared memory for the second core may grow to: 1 GB (reserved, not used). */
export const SHARED_MAX_PAGES = 16384;

let sharedCompiled: object | null | undefined;

/**
 * The same kernels compiled for a shared memory of at most SHARED_MAX_PAGES (what the
 * second core's thread instantiates; it calls only the matrix multiplies), from the
 * functions already encoded: generating them again took 30-70 ms on the kernel thread,
 * just after the kernel is ready. Null when the runtime has no wasm SIMD or no shared
 * memory.
 */
export function sharedGemmModule(): object | null {
  if (sharedCompiled !== undefined) return sharedCompiled;
  const code = compiledModule();
  sharedCompiled = null;
  if (code === null) return null;
  const bytes = moduleBytes(code.encoded, SHARED_MAX_PAGES);
  if (wasmApi.validate(bytes)) sharedCompiled = new wasmApi.Module(bytes);
  return sharedCompiled;
}

let instances = new WeakMap<WasmMemory, SimdKernels>();

/** The kernels bound to `memory`, or undefined when this runtime cannot run them. */
export function simdKernelsFor(memory: WasmMemory): SimdKernels | undefined {
  const known = instances.get(memory);
  if (known) return known;
  const code = compiledModule();
  if (code === null) return undefined;
  const { exports } = new wasmApi.Instance(code.module, { env: { memory } });
  const kernels: SimdKernels = {
    gemm: (variant) => exports[gemmName(variant)] as Gemm,
    columnSum: exports.column_sum as SimdKernels['columnSum'],
    adamStep: exports.adam_step as SimdKernels['adamStep'],
    sgdStep: exports.sgd_step as SimdKernels['sgdStep'],
    binary: Object.fromEntries(
      BINARY_OPS.map((op) => [op, BINARY_LAYOUTS.map(([a, b]) => exports[binaryName(op, a, b)] as BinaryFunction)]),
    ) as SimdKernels['binary'],
    squaredDifferenceGrad: exports[SQDIFF_GRAD] as SimdKernels['squaredDifferenceGrad'],
  };
  instances.set(memory, kernels);
  return kernels;
}

/** How the matrix multiply runs here: fused multiply-adds or not, and rows per block (tests, benchmarks). */
export function gemmKind(): { fma: boolean; rows: number } {
  const code = compiledModule();
  return { fma: code?.fused ?? false, rows: code?.rows ?? 0 };
}

/**
 * Lets tests run the kernels without fused multiply-adds, or with blocks of a given
 * number of rows whatever this runtime would choose; `{ fma: true }` restores the
 * kernel's own choice. Kernels bound so far are dropped.
 */
export function chooseGemmKind(kind: { fma: boolean; rows?: number }): void {
  chosen = kind;
  compiled = undefined;
  sharedCompiled = undefined;
  instances = new WeakMap();
}
