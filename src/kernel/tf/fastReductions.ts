// A faster `Sum` over leading axes for the wasm backend: the gradient of a broadcast
// bias, `sum(dy, 0)`, once per dense layer per training step. The backend's own Sum
// first transposes its input so that the summed axes are innermost (a full copy); ours
// adds the rows in place (simd/columnSumCode.ts). Sums over other axes, or of other
// dtypes, go to the backend's kernel.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { backendOf, overrideWasmKernel, restoreWasmKernels, sizeOf, type KernelFn } from './kernelOverride';
import { addressOf, makeFloat32Output, simdKernelsOf } from './simd/wasmBackend';

const KERNELS = ['Sum'] as const;

export function registerFastReductions(): void {
  overrideWasmKernel('Sum', makeFastSum);
}

export function unregisterFastReductions(): void {
  restoreWasmKernels(KERNELS);
}

/** How many leading axes `axis` names, when it names exactly axes 0..r-1 and not all of them; else 0. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = tf.util.parseAxisParam(axis, [...Array(rank).keys()].map(() => 1));
  const sorted = [...new Set(axes)].sort((x, y) => x - y);
  const leading = sorted.every((a, i) => a === i) ? sorted.length : 0;
  return leading < rank ? leading : 0;
}

function makeFastSum(original: KernelFn): KernelFn {
  return (args) => {
    const backend = backendOf(args);
    const x = (args.inputs as { x: TensorInfo }).x;
    const attrs = args.attrs as { axis: number | number[]; keepDims?: boolean };
    const leading = x.dtype === 'float32' ? leadingAxes(attrs.axis, x.shape.length) : 0;
    const kernels = leading > 0 ? simdKernelsOf(backend) : undefined;
    if (kernels === undefined) return original(args);
    const rows = sizeOf(x.shape.slice(0, leading));
    const kept = x.shape.slice(leading);
    const out = makeFloat32Output(backend, attrs.keepDims ? [...x.shape.slice(0, leading).map(() => 1), ...kept] : kept);
    const cols = sizeOf(kept);
    if (cols > 0) kernels.columnSum(addressOf(backend, x), addressOf(backend, out), rows, cols);
    return out;
  };
}
