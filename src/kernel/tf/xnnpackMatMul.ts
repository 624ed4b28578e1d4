// The wasm backend's own matrix multiplies, rewritten: what fastMatMul.ts hands a product
// to when our SIMD kernel does not take it (other dtypes, PReLU and other fused
// activations, mixed batch broadcasting, or the SIMD kernel switched off).
//
// The wasm backend multiplies with XNNPACK only when neither operand is transposed and
// both have a batch size of one, and every other case falls back to a naive loop 10-30x
// slower. So here a flagged operand is transposed explicitly first (O(n²) against O(n³)),
// and the batch of `a` is folded into its rows when `b` has none. That naive loop also
// adds a fused bias at the wrong index past the first row, so a batched fused product runs
// as product, then Add, then the activation's kernel; so does a bias that is not one value
// per column, since XNNPACK reads exactly n. Tiny transposed products stay on the original
// path, where an extra transpose would cost more than it saves.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import {
  backendOf,
  firstOutput,
  runWasmKernel,
  sizeOf,
  type KernelArgs,
  type KernelFn,
  type KernelResult,
} from './kernelOverride';
import { holdsOnePerColumn } from './simd/gemmProduct';

/** Below this many multiply-adds per matrix (m·k·n), the original kernel runs as is. */
export const MIN_REWRITE_WORK = 8192;

/** A matMul kernel's operands, read once from its arguments. */
export interface MatMulOperands {
  backend: KernelBackend;
  inputs: Record<string, TensorInfo | undefined>;
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
}

export function matMulOperands(args: KernelArgs): MatMulOperands {
  const { attrs } = args;
  const inputs = args.inputs as Record<string, TensorInfo | undefined>;
  return {
    backend: backendOf(args),
    inputs,
    a: required(inputs.a, 'a'),
    b: required(inputs.b, 'b'),
    transposeA: Boolean(attrs?.transposeA),
    transposeB: Boolean(attrs?.transposeB),
  };
}

/** The product on the backend's own kernels (`original` is its BatchMatMul or _FusedMatMul), rewritten as above. */
export function onBackendKernels(original: KernelFn, args: KernelArgs, operands: MatMulOperands): KernelResult {
  const { attrs } = args;
  const { backend, inputs, a, b, transposeA, transposeB } = operands;
  // The backend's naive loop adds a bias at the wrong index past the first row, so a
  // fused product with a bias or PReLU weights is always kept off it.
  const fusedExtras = inputs.bias !== undefined || inputs.preluActivationWeights !== undefined;
  const costlyTranspose = (transposeA && !isVector(a)) || (transposeB && !isVector(b));
  if (costlyTranspose && !fusedExtras && workPerMatrix(a, b, transposeA, transposeB) < MIN_REWRITE_WORK) {
    return original(args);
  }
  const intermediates: TensorInfo[] = [];
  try {
    const a2 = transposeA ? transposeLastTwo(a, backend, intermediates) : a;
    const b2 = transposeB ? transposeLastTwo(b, backend, intermediates) : b;
    const plainAttrs: NamedAttrMap = { ...attrs, transposeA: false, transposeB: false };
    // XNNPACK reads n bias values: a bias of another size (one value for every column,
    // or one per element) is added by the Add kernel, which broadcasts.
    if (inputs.bias !== undefined && !holdsOnePerColumn(inputs.bias, b2.shape[b2.shape.length - 1])) {
      return productThenBiasAndActivation(original, { ...inputs, a: a2, b: b2 }, plainAttrs, backend);
    }
    const folded = foldBatchIntoRows(a2, b2);
    if (folded !== undefined) {
      const out = original({ inputs: { ...inputs, a: folded.a, b: b2 }, backend, attrs: plainAttrs });
      return withShape(out, folded.outShape);
    }
    if (fusedExtras && !onFastPath(a2, b2)) {
      return productThenBiasAndActivation(original, { ...inputs, a: a2, b: b2 }, plainAttrs, backend);
    }
    return original({ inputs: { ...inputs, a: a2, b: b2 }, backend, attrs: plainAttrs });
  } finally {
    for (const t of intermediates) backend.disposeData(t.dataId);
  }
}

/** The backend uses XNNPACK only when neither operand has a batch. */
function onFastPath(a: TensorInfo, b: TensorInfo): boolean {
  return sizeOf(a.shape.slice(0, -2)) === 1 && sizeOf(b.shape.slice(0, -2)) === 1;
}

const ACTIVATION_KERNELS: Record<string, string | undefined> = {
  linear: undefined,
  relu: 'Relu',
  relu6: 'Relu6',
  sigmoid: 'Sigmoid',
  elu: 'Elu',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

/**
 * A batched fused product in three kernels: the bare product (right on the naive loop),
 * then Add for the bias and the activation's own kernel.
 */
function productThenBiasAndActivation(
  original: KernelFn,
  inputs: Record<string, TensorInfo | undefined>,
  attrs: NamedAttrMap,
  backend: KernelBackend,
): TensorInfo {
  const activation = String(attrs.activation ?? 'linear');
  if (!(activation in ACTIVATION_KERNELS)) throw new Error(`fastMatMul: unknown fused activation '${activation}'`);
  const run = (kernelName: string, kernelInputs: Record<string, TensorInfo>, kernelAttrs: NamedAttrMap = {}) =>
    runWasmKernel(kernelName, kernelInputs, backend, kernelAttrs);
  const bare = { a: inputs.a!, b: inputs.b! };
  let out = firstOutput(original({ inputs: bare, backend, attrs: { ...attrs, activation: 'linear' } }));
  const then = (next: TensorInfo) => {
    backend.disposeData(out.dataId);
    out = next;
  };
  if (inputs.bias !== undefined) then(run('Add', { a: out, b: inputs.bias }));
  const kernelName = ACTIVATION_KERNELS[activation];
  if (kernelName === 'Prelu')
    then(run(kernelName, { x: out, alpha: required(inputs.preluActivationWeights, 'preluActivationWeights') }));
  else if (kernelName === 'LeakyRelu') then(run(kernelName, { x: out }, { alpha: Number(attrs.leakyreluAlpha ?? 0.2) }));
  else if (kernelName !== undefined) then(run(kernelName, { x: out }));
  return out;
}

/** m·k·n of one matrix product in the batch. */
function workPerMatrix(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): number {
  const [rowsA, colsA] = a.shape.slice(-2);
  const [rowsB, colsB] = b.shape.slice(-2);
  return (transposeA ? colsA * rowsA : rowsA * colsA) * (transposeB ? rowsB : colsB);
}

/** Whether one of the last two axes is 1: swapping them then leaves the bytes as they are. */
function isVector(x: TensorInfo): boolean {
  const [rows, cols] = x.shape.slice(-2);
  return rows === 1 || cols === 1;
}

/**
 * `x` with its last two axes swapped: a view of the same data for a vector, otherwise a
 * copy by the backend's Transpose kernel, added to `made` for the caller to release.
 */
function transposeLastTwo(x: TensorInfo, backend: KernelBackend, made: TensorInfo[]): TensorInfo {
  const rank = x.shape.length;
  const shape = [...x.shape];
  [shape[rank - 2], shape[rank - 1]] = [shape[rank - 1], shape[rank - 2]];
  // Not reference-counted: the view must not be disposed.
  if (isVector(x)) return { dataId: x.dataId, shape, dtype: x.dtype };
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  const copy = runWasmKernel('Transpose', { x }, backend, { perm });
  made.push(copy);
  return copy;
}

/**
 * When `b` has no batch (all leading axes 1) and `a` has one, `a` is viewed as one tall
 * matrix: row-major layout makes `[B, m, k]` and `[1, B·m, k]` the same bytes, and the
 * product's bytes are then those of the batched result. The view shares `a`'s data and
 * is not reference-counted, so it must not be disposed.
 */
function foldBatchIntoRows(a: TensorInfo, b: TensorInfo): { a: TensorInfo; outShape: number[] } | undefined {
  const aLead = a.shape.slice(0, -2);
  const bLead = b.shape.slice(0, -2);
  const batchA = sizeOf(aLead);
  if (batchA <= 1 || sizeOf(bLead) !== 1) return undefined;
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  // The kernels expect the rank they were given: keep `a`'s rank, with ones in front.
  const foldedShape = [...aLead.map(() => 1), batchA * m, k];
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(aLead, bLead);
  return { a: { dataId: a.dataId, shape: foldedShape, dtype: a.dtype }, outShape: [...batchShape, m, n] };
}

function withShape(out: KernelResult, shape: number[]): KernelResult {
  firstOutput(out).shape = shape;
  return out;
}

function required(t: TensorInfo | undefined, name: string): TensorInfo {
  if (t === undefined) throw new Error(`fastMatMul: input '${name}' is missing`);
  return t;
}
