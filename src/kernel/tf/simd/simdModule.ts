// Compiles our SIMD kernels (gemmCode.ts, columnSumCode.ts, optimizerCode.ts) once per process and binds
// them to a wasm backend's memory, so they read and write tensors where they live.
import { adamStepFunction, sgdStepFunction } from './optimizerCode';
import { columnSumFunction } from './columnSumCode';
import { gemmFunction, gemmName } from './gemmCode';
import type { Variant } from './gemmLayout';
import { moduleBytes } from './wasmBytes';

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
 * gemm(a, b, c, m, k, n, bias, relu, panel): byte addresses, sizes, bias address or 0,
 * relu 0/1, and (packed variants) scratch of k·n·4 bytes.
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
) => void;

/** Which matrix multiply: operands as stored, and whether B is packed panel by panel. */
export type GemmVariant = Omit<Variant, 'fused'>;

const GEMM_VARIANTS: GemmVariant[] = [
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
}

let compiled: { module: object; fused: boolean } | null | undefined;
/** False only in tests, which run both kinds of multiply-add. */
let fmaAllowed = true;

/**
 * The compiled module: with fused multiply-adds where the runtime has relaxed SIMD
 * (recent V8), plain SIMD otherwise; null when the runtime has no wasm SIMD at all.
 */
function compiledModule(): { module: object; fused: boolean } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  for (const fused of fmaAllowed ? [true, false] : [false]) {
    const bytes = moduleBytes([
      ...GEMM_VARIANTS.map((variant) => gemmFunction({ ...variant, fused })),
      columnSumFunction(),
      adamStepFunction(),
      sgdStepFunction(),
    ]);
    if (!wasmApi.validate(bytes)) continue;
    compiled = { module: new wasmApi.Module(bytes), fused };
    break;
  }
  return compiled;
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
  };
  instances.set(memory, kernels);
  return kernels;
}

/** Whether the matrix multiply uses fused multiply-adds here (for tests and benchmarks). */
export function gemmUsesFma(): boolean {
  return compiledModule()?.fused ?? false;
}

/**
 * Lets tests run the kernels without fused multiply-adds where the runtime has them (the
 * kernel itself always takes them). Kernels bound so far are dropped.
 */
export function allowFusedMultiplyAdd(allowed: boolean): void {
  fmaAllowed = allowed;
  compiled = undefined;
  instances = new WeakMap();
}
