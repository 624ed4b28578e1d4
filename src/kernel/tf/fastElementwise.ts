// Float32 Add, Sub, Multiply, RealDiv and SquaredDifference on the wasm backend, on our
// SIMD functions (simd/elementwiseCode.ts).
//
// The backend's binary kernels copy both shapes onto its stack and run an XNNPACK
// operator on every call: at a training step's sizes that costs more than the arithmetic.
// A plain tf-ops step of the tutorial's loop made seven of them. Ours call one function
// with the tensors' addresses, for the broadcasts a step makes: same sizes, a single
// value on either side, and a row vector against every row (a bias). Other broadcasts and
// other dtypes go to the backend's kernel; results are the same bit for bit.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { backendOf, overrideWasmKernel, restoreWasmKernels, sizeOf, type KernelFn } from './kernelOverride';
import { BINARY_LAYOUTS, type BinaryOp, type OperandLayout } from './simd/elementwiseCode';
import { addressOf, makeOutput, simdKernelsOf } from './wasmBackend';

/** The wasm kernels this module replaces, with the op each one is. */
const OPS = { Add: 'add', Sub: 'sub', Multiply: 'mul', RealDiv: 'div', SquaredDifference: 'sqdiff' } as const;
export const ELEMENTWISE_KERNELS = Object.keys(OPS) as (keyof typeof OPS)[];

export function registerFastElementwise(): void {
  for (const kernelName of ELEMENTWISE_KERNELS)
    overrideWasmKernel(kernelName, (original) => fastBinary(OPS[kernelName], original));
}

export function unregisterFastElementwise(): void {
  restoreWasmKernels(ELEMENTWISE_KERNELS);
}

/** Which function takes `a ∘ b`: its index in BINARY_LAYOUTS, with the output seen as [rows, cols]. */
export interface BinaryLayout {
  index: number;
  rows: number;
  cols: number;
}

const layoutIndex = (a: OperandLayout, b: OperandLayout) => BINARY_LAYOUTS.findIndex(([x, y]) => x === a && y === b);
const [FULL_FULL, FULL_ONE, ONE_FULL, FULL_ROW, ROW_FULL] = [
  layoutIndex('full', 'full'),
  layoutIndex('full', 'one'),
  layoutIndex('one', 'full'),
  layoutIndex('full', 'row'),
  layoutIndex('row', 'full'),
];

/** Whether `shape`, leading 1s aside, is the trailing axes of `outShape`: one row repeated over the rest. */
function isTrailingRow(shape: readonly number[], outShape: readonly number[]): boolean {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const rowRank = shape.length - start;
  if (rowRank > outShape.length) return false;
  for (let i = 0; i < rowRank; i++) if (shape[start + i] !== outShape[outShape.length - rowRank + i]) return false;
  return true;
}

/**
 * How `a ∘ b` broadcasts into `outShape`, when one of our functions takes it; undefined
 * for the rest. An operand as large as the output holds the output's axes in order (a
 * broadcast only adds axes of 1), so it is read straight through.
 */
export function binaryLayout(
  aShape: readonly number[],
  bShape: readonly number[],
  outShape: readonly number[],
): BinaryLayout | undefined {
  const [aSize, bSize, outSize] = [sizeOf(aShape), sizeOf(bShape), sizeOf(outShape)];
  if (aSize === outSize && bSize === outSize) return { index: FULL_FULL, rows: 1, cols: outSize };
  if (aSize === outSize && bSize === 1) return { index: FULL_ONE, rows: 1, cols: outSize };
  if (bSize === outSize && aSize === 1) return { index: ONE_FULL, rows: 1, cols: outSize };
  if (aSize === outSize && isTrailingRow(bShape, outShape)) return { index: FULL_ROW, rows: outSize / bSize, cols: bSize };
  if (bSize === outSize && isTrailingRow(aShape, outShape)) return { index: ROW_FULL, rows: outSize / aSize, cols: aSize };
  return undefined;
}

function fastBinary(op: BinaryOp, original: KernelFn): KernelFn {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    const backend = backendOf(args);
    const kernels = simdKernelsOf(backend);
    if (kernels === undefined) return original(args);
    // The backend's own check and message for shapes that do not broadcast.
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const layout = binaryLayout(a.shape, b.shape, outShape);
    if (layout === undefined) return original(args);
    const [aAddress, bAddress] = [addressOf(backend, a), addressOf(backend, b)];
    const out = makeOutput(backend, outShape, 'float32');
    if (layout.rows * layout.cols > 0) {
      kernels.binary[op][layout.index](aAddress, bAddress, addressOf(backend, out), layout.rows, layout.cols);
    }
    return out;
  };
}
