// `Identity` on the wasm backend without the copy.
//
// When tfjs records a step for gradients it clones every tensor the backward pass will
// need (engine.saveTensorsForBackwardMode), so that the user may dispose the originals.
// The cpu and webgl backends make such a clone share the data and count one more
// reference; the wasm backend copies the bytes, 17 full copies per step of the MLP.
// Tensors are immutable (a variable's assign switches it to new data), so sharing is what
// the other backends already rely on; strings keep the backend's own kernel.
import type { TensorInfo } from '@tensorflow/tfjs';
import { backendOf, overrideWasmKernel, restoreWasmKernels, type KernelFn } from './kernelOverride';

const KERNELS = ['Identity'] as const;

interface RefCounting {
  incRef(dataId: object): void;
}

export function registerSharedIdentity(): void {
  overrideWasmKernel('Identity', makeSharedIdentity);
}

export function unregisterSharedIdentity(): void {
  restoreWasmKernels(KERNELS);
}

function makeSharedIdentity(original: KernelFn): KernelFn {
  return (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    const backend = backendOf(args) as unknown as Partial<RefCounting>;
    if (x.dtype === 'string' || typeof backend.incRef !== 'function') return original(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
