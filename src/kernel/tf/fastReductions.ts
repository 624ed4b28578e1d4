// A faster `Sum` over leading axes for the wasm backend: the gradient of a broadcast
// bias, `sum(dy, 0)`, once per dense layer per training step. The backend's own Sum
// first transposes its input so that the summed axes are innermost (a full copy); ours
// adds the rows in place (simd/columnSumCode.ts). Sums over other axes, or of other
// dtypes, go to the backend's kernel.
import type { TensorInfo } from '@tensorflow/tfjs';
import { backendOf, overrideWasmKernel, restoreWasmKernels, sizeOf, type KernelFn } from './kernelOverride';
import { addressOf, makeOutput, simdKernelsOf } from './wasmBackend';

/** The wasm kernels this module replaces. */
export const REDUCTION_KERNELS = ['Sum'] as const;

export function registerFastReductions(): void {
  overrideWasmKernel('Sum', makeFastSum);
}

export function unregisterFastReductions(): void {
  restoreWasmKernels(REDUCTION_KERNELS);
}

/** How many leading axes `axis` names, when it names exactly axes 0..r-1 and not all of them; else 0. */
export function leadingAxes(axis: number | number[] | null | undefined, rank: number): number {
  // Runs on every sum, so plain loops: no parsing into new arrays. No axis: all of them.
  if (axis == null) return 0;
  const list = typeof axis === 'number' ? [axis] : axis;
  let mask = 0;
  for (const a of list) {
    const normalized = a < 0 ? a + rank : a;
    if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank || normalized > 30) return 0;
    mask |= 1 << normalized;
  }
  // Leading axes 0..r-1 set exactly: mask is 2^r - 1.
  const leading = Math.log2(mask + 1);
  return Number.isInteger(leading) && leading > 0 && leading < rank ? leading : 0;
}

function makeFastSum(original: KernelFn): KernelFn {
  return (args) => {
    const backend = backendOf(args);
    const x = (args.inputs as { x: TensorInfo }).x;
    const attrs = args.attrs as { axis: number | number[] | null; keepDims?: boolean };
    const leading = x.dtype === 'float32' ? leadingAxes(attrs.axis, x.shape.length) : 0;
    const kernels = leading > 0 ? simdKernelsOf(backend) : undefined;
    if (kernels === undefined) return original(args);
    const rows = sizeOf(x.shape.slice(0, leading));
    const kept = x.shape.slice(leading);
    const out = makeOutput(backend, attrs.keepDims ? [...x.shape.slice(0, leading).map(() => 1), ...kept] : kept, 'float32');
    const cols = sizeOf(kept);
    if (cols > 0) kernels.columnSum(addressOf(backend, x), addressOf(backend, out), rows, cols);
    return out;
  };
}
