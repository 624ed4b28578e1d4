// Compiles the SIMD matrix-multiply kernel (gemmCode.ts) once per process and binds it
// to a wasm backend's memory, so it reads and writes tensors where they already live.
import { gemmFunction } from './gemmCode';
import { moduleBytes } from './wasmBytes';

/** gemm(a, b, c, m, k, n, bias, relu): byte addresses, sizes, bias address or 0, relu 0/1. */
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

export type Gemm = (a: number, b: number, c: number, m: number, k: number, n: number, bias: number, relu: number) => void;

let compiled: { module: object; fused: boolean } | null | undefined;

/**
 * The compiled module: with fused multiply-adds where the runtime has relaxed SIMD
 * (recent V8), plain SIMD otherwise; null when the runtime has no wasm SIMD at all.
 */
function compiledModule(): { module: object; fused: boolean } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  for (const fused of [true, false]) {
    const bytes = moduleBytes([gemmFunction({ fused, transposedA: false }), gemmFunction({ fused, transposedA: true })]);
    if (!wasmApi.validate(bytes)) continue;
    compiled = { module: new wasmApi.Module(bytes), fused };
    break;
  }
  return compiled;
}

/** The kernel's two entry points: A as stored, and A stored transposed ([k, m]). */
export interface GemmKernels {
  gemm: Gemm;
  gemmTransposedA: Gemm;
}

const instances = new WeakMap<WasmMemory, GemmKernels>();

/** The kernels bound to `memory`, or undefined when this runtime cannot run them. */
export function gemmFor(memory: WasmMemory): GemmKernels | undefined {
  const known = instances.get(memory);
  if (known) return known;
  const code = compiledModule();
  if (code === null) return undefined;
  const instance = new wasmApi.Instance(code.module, { env: { memory } });
  const kernels = { gemm: instance.exports.gemm as Gemm, gemmTransposedA: instance.exports.gemm_at as Gemm };
  instances.set(memory, kernels);
  return kernels;
}

/** Whether the kernel uses fused multiply-adds here (for the benchmark's notes). */
export function gemmUsesFma(): boolean {
  return compiledModule()?.fused ?? false;
}
