// `Sum` and `Mean` for the wasm backend, fast and accurate.
// Fast: the gradient of a broadcast bias, `sum(dy, 0)`, once per dense layer per training
// step. The backend's own Sum first transposes its input so that the summed axes are
// innermost (a full copy); ours adds the rows in place (simd/columnSumCode.ts).
// Accurate: the backend adds in float32, one value after another, so a sum of millions of
// values drifts (tf.ones([2e7]).sum() is 16777216); from ACCURATE_MIN_TERMS terms per
// result, sums over leading or trailing axes add in float64 (accurateSum.ts). Smaller
// sums, sums over middle axes, and other dtypes go to the backend's kernel unchanged.
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { sumColumns, sumRows } from './accurateSum';
import { backendOf, overrideWasmKernel, restoreWasmKernels, sizeOf, type KernelFn } from './kernelOverride';
import { addressOf, heapViews, makeOutput, simdKernelsOf } from './wasmBackend';

/** The wasm kernels this module replaces. */
export const REDUCTION_KERNELS = ['Sum', 'Mean'] as const;

/**
 * Terms per result from which sums add in float64. Below it float32 drift stays under
 * about 1e-4 relative at worst, and the backend's loop is the faster one.
 */
export const ACCURATE_MIN_TERMS = 1 << 15;

export function registerFastReductions(): void {
  overrideWasmKernel('Sum', makeFastSum);
  overrideWasmKernel('Mean', makeAccurateMean);
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

/** How many leading axes are kept when `axis` names exactly the axes r..rank-1 (all of them when absent); else -1. */
export function keptBeforeTrailingAxes(axis: number | number[] | null | undefined, rank: number): number {
  if (axis == null) return 0;
  const list = typeof axis === 'number' ? [axis] : axis;
  if (list.length === 0) return -1;
  let first = rank;
  let mask = 0;
  for (const a of list) {
    const normalized = a < 0 ? a + rank : a;
    if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank || normalized > 30) return -1;
    mask |= 1 << normalized;
    first = Math.min(first, normalized);
  }
  // Axes first..rank-1 set exactly: mask is 2^rank - 2^first.
  return mask === 2 ** rank - 2 ** first ? first : -1;
}

type ReductionAttrs = { axis: number | number[] | null; keepDims?: boolean };

/**
 * The reduction in float64 when it is large and over leading or trailing axes; undefined
 * to leave it to another kernel. `mean` divides by the number of terms.
 */
function accurateReduction(backend: KernelBackend, x: TensorInfo, attrs: ReductionAttrs, mean: boolean): TensorInfo | undefined {
  if (x.dtype !== 'float32') return undefined;
  const rank = x.shape.length;
  const kept = keptBeforeTrailingAxes(attrs.axis, rank);
  const leading = kept >= 0 ? 0 : leadingAxes(attrs.axis, rank);
  const split = kept >= 0 ? kept : leading;
  if (kept < 0 && leading === 0) return undefined;
  const before = sizeOf(x.shape.slice(0, split));
  const after = sizeOf(x.shape.slice(split));
  const terms = kept >= 0 ? after : before;
  if (terms < ACCURATE_MIN_TERMS) return undefined;
  const keptShape = kept >= 0 ? x.shape.slice(0, split) : x.shape.slice(split);
  const shape = attrs.keepDims ? x.shape.map((d, i) => ((kept >= 0 ? i >= split : i < split) ? 1 : d)) : keptShape;
  const out = makeOutput(backend, shape, 'float32');
  const [values, sums] = heapViews(backend, [x, out]) as Float32Array[];
  const scale = mean ? 1 / terms : 1;
  if (kept >= 0) sumRows(values, before, after, sums, scale);
  else sumColumns(values, before, after, sums, scale);
  return out;
}

function makeAccurateMean(original: KernelFn): KernelFn {
  return (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    return accurateReduction(backendOf(args), x, args.attrs as ReductionAttrs, true) ?? original(args);
  };
}

function makeFastSum(original: KernelFn): KernelFn {
  return (args) => {
    const backend = backendOf(args);
    const x = (args.inputs as { x: TensorInfo }).x;
    const attrs = args.attrs as ReductionAttrs;
    const accurate = accurateReduction(backend, x, attrs, false);
    if (accurate) return accurate;
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
