// `Identity`, and a `Cast` to the dtype a tensor already has, on the wasm backend
// without the copy.
//
// When tfjs records a step for gradients it clones every tensor the backward pass will
// need (engine.saveTensorsForBackwardMode), so that the user may dispose the originals.
// The cpu and webgl backends make such a clone share the data and count one more
// reference; the wasm backend copies the bytes, 17 full copies per step of the MLP.
// Tensors are immutable (a variable's assign switches it to new data), so sharing is what
// the other backends already rely on; strings keep the backend's own kernel. A cast to
// the same dtype (relu's gradient casts its float mask to float, six times per step of
// the MLP) is an identity too; and a cast to bool is fixed to mean x ≠ 0.
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { backendOf, overrideWasmKernel, restoreWasmKernels, type KernelFn } from './kernelOverride';
import { heapViews, isWasmBackend, makeOutput } from './wasmBackend';

/** The wasm kernels this module replaces. */
export const IDENTITY_KERNELS = ['Identity', 'Cast'] as const;

interface RefCounting {
  incRef(dataId: object): void;
}

export function registerSharedIdentity(): void {
  overrideWasmKernel('Identity', makeSharedIdentity);
  overrideWasmKernel('Cast', (original) => {
    const shared = makeSharedIdentity(original);
    return (args) => {
      const x = (args.inputs as { x: TensorInfo }).x;
      const dtype = (args.attrs as { dtype?: string }).dtype;
      if (dtype === x.dtype) return shared(args);
      if (dtype === 'bool' && x.dtype !== 'string' && isWasmBackend(args.backend)) return castToBool(x, args.backend);
      return original(args);
    };
  });
}

/**
 * x ≠ 0. The backend's own cast copies the values into bytes, so -2.5 became 254 and
 * 256 became 0 (false).
 */
function castToBool(x: TensorInfo, backend: KernelBackend): TensorInfo {
  const out = makeOutput(backend, [...x.shape], 'bool');
  const [from, to] = heapViews(backend, [x, out]);
  for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
  return out;
}

export function unregisterSharedIdentity(): void {
  restoreWasmKernels(IDENTITY_KERNELS);
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
