// What our wasm kernels need from the tfjs wasm backend beyond its public interface, in
// one place: its memory (to bind the SIMD kernels to), each tensor's address and values
// in it, new outputs, and scratch.
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { isWasmMemory, simdKernelsFor, type SimdKernels } from './simd/simdModule';

export type HeapValues = Float32Array | Int32Array | Uint8Array;

interface WasmBackendInternals {
  wasm?: { asm?: { memory?: unknown }; _malloc?(bytes: number): number; _free?(address: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): HeapValues;
}

/** Whether `backend` is the wasm backend (as far as these helpers need). */
export function isWasmBackend(backend: unknown): backend is KernelBackend {
  const b = backend as Partial<WasmBackendInternals>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function' && b.dataIdMap !== undefined;
}

function internals(backend: KernelBackend): WasmBackendInternals {
  return backend as unknown as WasmBackendInternals;
}

/** The kernels bound to this backend's memory, or undefined where they cannot run. */
export function simdKernelsOf(backend: KernelBackend): SimdKernels | undefined {
  const memory = internals(backend).wasm?.asm?.memory;
  return isWasmMemory(memory) ? simdKernelsFor(memory) : undefined;
}

/** The backend's whole memory as bytes: take it after anything that may grow the memory (makeOutput, scratchOf). */
export function heapBytes(backend: KernelBackend): Buffer {
  const memory = internals(backend).wasm?.asm?.memory as { buffer: ArrayBuffer } | undefined;
  if (memory === undefined) throw new Error('simd: the wasm backend has no memory');
  return Buffer.from(memory.buffer);
}

/** The byte address of a tensor's data in the backend's memory (moving it there first if it lives on another backend). */
export function addressOf(backend: KernelBackend, t: TensorInfo): number {
  const entry = internals(backend).dataIdMap.get(t.dataId);
  if (entry === undefined) throw new Error('simd: a tensor has no data on the wasm backend');
  return entry.memoryOffset;
}

/**
 * A new output. Read addresses and take views after making it: it may grow the memory
 * (which never moves data, but a view taken before would be stale).
 */
export function makeOutput(backend: KernelBackend, shape: number[], dtype: DataType): TensorInfo {
  return internals(backend).makeOutput(shape, dtype);
}

/**
 * Views of the tensors' values in the backend's memory, all valid together. A tensor
 * still on another backend is moved here first, which may grow the memory and detach
 * views taken before (the backend's own typedArrayFromHeap would even use a stale
 * buffer for the one it moves): so all are moved, then all views taken.
 */
export function heapViews(backend: KernelBackend, tensors: TensorInfo[]): HeapValues[] {
  for (const t of tensors) addressOf(backend, t);
  return tensors.map((t) => internals(backend).typedArrayFromHeap(t));
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
  // Unsigned: malloc returns a signed 32-bit address.
  const address = wasm._malloc(size) >>> 0;
  if (address === 0) throw new Error('simd: out of memory for scratch');
  scratch.set(wasm, { address, bytes: size });
  return address;
}
