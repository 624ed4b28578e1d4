// What our SIMD kernels need from the tfjs wasm backend beyond its public interface:
// its memory (to bind the kernels to), each tensor's address in it, and new outputs.
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { isWasmMemory, simdKernelsFor, type SimdKernels } from './simdModule';

interface WasmBackendInternals {
  wasm?: { asm?: { memory?: unknown }; _malloc?(bytes: number): number; _free?(address: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

function internals(backend: KernelBackend): WasmBackendInternals {
  return backend as unknown as WasmBackendInternals;
}

/** The kernels bound to this backend's memory, or undefined where they cannot run. */
export function simdKernelsOf(backend: KernelBackend): SimdKernels | undefined {
  const memory = internals(backend).wasm?.asm?.memory;
  return isWasmMemory(memory) ? simdKernelsFor(memory) : undefined;
}

/** The byte address of a tensor's data in the backend's memory. */
export function addressOf(backend: KernelBackend, t: TensorInfo): number {
  const entry = internals(backend).dataIdMap.get(t.dataId);
  if (entry === undefined) throw new Error('simd: a tensor has no data on the wasm backend');
  return entry.memoryOffset;
}

/**
 * A new float32 output. Read addresses after making it: it may grow the memory (which
 * never moves data, but a view taken before would be stale).
 */
export function makeFloat32Output(backend: KernelBackend, shape: number[]): TensorInfo {
  return internals(backend).makeOutput(shape, 'float32');
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Scratch memory per backend module, kept between calls and grown when too small. */
const scratch = new WeakMap<object, { address: number; bytes: number }>();

/**
 * An address in the backend's memory with room for `bytes`, for the kernels' own use
 * during one call (the next call may reuse or move it).
 */
export function scratchOf(backend: KernelBackend, bytes: number): number {
  const wasm = internals(backend).wasm;
  if (wasm?._malloc === undefined || wasm._free === undefined) throw new Error('simd: the wasm backend has no malloc');
  const known = scratch.get(wasm);
  if (known !== undefined && known.bytes >= bytes) return known.address;
  if (known !== undefined) wasm._free(known.address);
  // Rounded up, so that a slowly growing k does not allocate on every call.
  const size = Math.max(4096, 2 ** Math.ceil(Math.log2(bytes)));
  const address = wasm._malloc(size);
  if (address === 0) throw new Error('simd: out of memory for scratch');
  scratch.set(wasm, { address, bytes: size });
  return address;
}
