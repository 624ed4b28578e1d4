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
import type { TensorInfo } from '@tensorflow/tfjs';
import { backendOf, overrideWasmKernel, restoreWasmKernels, type KernelFn } from './kernelOverride';

const KERNELS = ['Identity', 'Cast'] as const;

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
      if (dtype === 'bool' && x.dtype !== 'string') return castToBool(x, backendOf(args) as unknown as HeapAccess);
      return original(args);
    };
  });
}

interface HeapAccess {
  makeOutput(shape: number[], dtype: 'bool'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * x ≠ 0. The backend's own cast copies the values into bytes, so -2.5 became 254 and
 * 256 became 0 (false).
 */
function castToBool(x: TensorInfo, backend: HeapAccess): TensorInfo {
  const out = backend.makeOutput([...x.shape], 'bool');
  // Views after makeOutput: growing the memory detaches older ones.
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
  return out;
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
