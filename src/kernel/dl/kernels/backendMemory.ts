// The learning kit's own kernels compute straight on a backend's memory: the wasm heap or
// the cpu backend's arrays. At the tutorial's sizes a kernel dispatch costs more than the
// arithmetic, so one kernel that does a whole step of the work (an affine map, a loss, a
// gradient) in plain loops beats a chain of tf's kernels. This module registers such
// kernels for 'wasm' and 'cpu', and gives them float32 views and fresh outputs.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { sizeOf } from '../../tf/kernelOverride';

export const KIT_BACKENDS = ['wasm', 'cpu'] as const;
export type KitBackendName = (typeof KIT_BACKENDS)[number];

/** What a kit kernel body gets: its inputs and attributes, and the backend's memory. */
export interface KitKernelArgs {
  inputs: Record<string, TensorInfo | undefined>;
  attrs: NamedAttrMap;
  memory: BackendMemory;
}

export type KitKernelBody = (args: KitKernelArgs) => TensorInfo | TensorInfo[];

interface WasmBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  dataIdMap: { get(dataId: object): unknown };
}

interface CpuBackend extends KernelBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/**
 * Float32 views of a backend's tensors. On wasm a view is into the heap, which moves when
 * it grows: make every output (and run every delegated kernel) before taking views.
 */
export class BackendMemory {
  constructor(
    readonly backend: KernelBackend,
    readonly backendName: KitBackendName,
  ) {}

  /** A new float32 tensor of `shape`, zero-filled on cpu, uninitialised on wasm. */
  output(shape: number[]): TensorInfo {
    if (this.backendName === 'wasm') return (this.backend as WasmBackend).makeOutput(shape, 'float32');
    return (this.backend as CpuBackend).makeTensorInfo(shape, 'float32', new Float32Array(sizeOf(shape)));
  }

  /**
   * Moves tensors that still live on another backend here. Moving one onto the wasm heap
   * may grow it, which detaches every view taken before (and the backend's own
   * typedArrayFromHeap would read the one it moves through a stale buffer): so kernels
   * bring all their inputs here before taking any view.
   */
  bringHere(infos: (TensorInfo | undefined)[]): void {
    for (const info of infos) {
      if (info === undefined) continue;
      if (this.backendName === 'wasm') (this.backend as WasmBackend).dataIdMap.get(info.dataId);
      else (this.backend as CpuBackend).data.get(info.dataId);
    }
  }

  /** The tensor's values, in place: writing to the view changes the tensor. */
  view(info: TensorInfo): Float32Array {
    if (info.dtype !== 'float32') throw new Error(`learning kit kernel: expected float32 data, got ${info.dtype}`);
    if (this.backendName === 'wasm') return (this.backend as WasmBackend).typedArrayFromHeap(info);
    return (this.backend as CpuBackend).data.get(info.dataId).values;
  }

  /** Runs one of the backend's own kernels (looked up now: others may re-register them). */
  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (kernel === undefined) throw new Error(`learning kit: the ${this.backendName} ${kernelName} kernel is not registered`);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend });
    return (Array.isArray(out) ? out[0] : out) as TensorInfo;
  }

  /** Releases an intermediate made by `output` or `run`. */
  release(info: TensorInfo): void {
    this.backend.disposeData(info.dataId);
  }
}

/** Registers `body` as the kernel `kernelName` of the wasm and cpu backends. Idempotent. */
export function registerKitKernel(kernelName: string, body: KitKernelBody): void {
  for (const backendName of KIT_BACKENDS) {
    if (tf.getKernel(kernelName, backendName) !== undefined) continue;
    tf.registerKernel({
      kernelName,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const memory = new BackendMemory(backend as KernelBackend, backendName);
        memory.bringHere(Object.values(inputs));
        return body({ inputs: inputs as KitKernelArgs['inputs'], attrs: attrs ?? {}, memory });
      },
    });
  }
}

/** Registers a gradient unless one is already there (a second copy of the kit loaded). */
export function registerKitGradient(config: tf.GradConfig): void {
  if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
}

/**
 * Whether the active backend has the kit's kernels (else use tf's ops). They are
 * registered for both backends when a kit module loads, so the name settles it.
 */
export function onKitBackend(): boolean {
  const backendName = tf.getBackend();
  return backendName === 'wasm' || backendName === 'cpu';
}

interface KernelRunner {
  runKernelFunc(params: { kernelName: string; inputs: Record<string, tf.Tensor>; attrs: NamedAttrMap }): tf.Tensor | tf.Tensor[];
}

/**
 * Runs a kit kernel through the engine, so it is taped and its gradient applies. Straight
 * to `runKernelFunc`: `runKernel` first looks the kernel up only to say it is missing,
 * and runKernelFunc looks it up again (and says so too); each lookup builds a string key,
 * on every dispatch of every training step.
 */
export function runKitKernel(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: NamedAttrMap = {}): tf.Tensor[] {
  const out = (tf.engine() as unknown as KernelRunner).runKernelFunc({ kernelName, inputs, attrs });
  return Array.isArray(out) ? out : [out];
}

export { sizeOf };

export function required(info: TensorInfo | undefined, kernelName: string, name: string): TensorInfo {
  if (info === undefined) throw new Error(`${kernelName}: input '${name}' is missing`);
  return info;
}
