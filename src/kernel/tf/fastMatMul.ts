// Faster matrix multiplies for the wasm backend.
//
// The wasm backend multiplies with XNNPACK only when neither operand is transposed and
// both have a batch size of one; every other case falls back to a naive blocked loop
// that is 10-30x slower. Training hits that loop on every backward pass, since the
// gradients of `a·b` are `dy·bᵀ` and `aᵀ·dy`. We re-register `BatchMatMul` and
// `_FusedMatMul` for wasm so that they
//   - transpose a flagged operand explicitly first (a copy costs O(n²), the slow loop
//     costs O(n³)), then multiply untransposed;
//   - fold the batch of `a` into its rows when `b` has no batch, so `[B, m, k]·[k, n]`
//     becomes one `[B·m, k]·[k, n]` multiply on the fast path.
// Both rewrites only move data: results match the cpu backend to float rounding.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { registerFastBatching, unregisterFastBatching } from './fastBatching';
import {
  backendOf,
  firstOutput,
  isOverridden,
  overrideWasmKernel,
  restoreWasmKernels,
  sizeOf,
  WASM,
  type KernelFn,
  type KernelResult,
} from './kernelOverride';

const KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

/**
 * Re-registers the wasm `BatchMatMul` and `_FusedMatMul` kernels with the rewrites above,
 * and the batch-slicing kernels of fastBatching.ts that feed them in a training loop.
 * Call after the wasm backend is set. Idempotent; does nothing when the wasm kernels are
 * not registered.
 */
export function registerFastMatMul(): void {
  for (const kernelName of KERNELS) overrideWasmKernel(kernelName, makeFastKernel);
  registerFastBatching();
}

/** Puts the backend's own kernels back (benchmarks compare both). */
export function unregisterFastMatMul(): void {
  restoreWasmKernels(KERNELS);
  unregisterFastBatching();
}

/** Whether `registerFastMatMul` is in effect for the wasm backend. */
export function isFastMatMulRegistered(): boolean {
  return KERNELS.every(isOverridden);
}

function makeFastKernel(original: KernelFn): KernelFn {
  return (args) => {
    const { attrs } = args;
    const backend = backendOf(args);
    const inputs = args.inputs as Record<string, TensorInfo | undefined>;
    const a = required(inputs.a, 'a');
    const b = required(inputs.b, 'b');
    const transposeA = Boolean(attrs?.transposeA);
    const transposeB = Boolean(attrs?.transposeB);

    const intermediates: TensorInfo[] = [];
    try {
      let a2 = a;
      let b2 = b;
      if (transposeA) intermediates.push((a2 = transposeLastTwo(a, backend)));
      if (transposeB) intermediates.push((b2 = transposeLastTwo(b, backend)));
      const plainAttrs: NamedAttrMap = { ...attrs, transposeA: false, transposeB: false };
      const folded = foldBatchIntoRows(a2, b2);
      if (folded === undefined) {
        return original({ inputs: { ...inputs, a: a2, b: b2 }, backend, attrs: plainAttrs });
      }
      const out = original({ inputs: { ...inputs, a: folded.a, b: b2 }, backend, attrs: plainAttrs });
      return withShape(out, folded.outShape);
    } finally {
      for (const t of intermediates) backend.disposeData(t.dataId);
    }
  };
}

function required(t: TensorInfo | undefined, name: string): TensorInfo {
  if (t === undefined) throw new Error(`fastMatMul: input '${name}' is missing`);
  return t;
}

/** A copy of `x` with its last two axes swapped, made by the backend's Transpose kernel. */
function transposeLastTwo(x: TensorInfo, backend: KernelBackend): TensorInfo {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  const transpose = tf.getKernel('Transpose', WASM);
  if (transpose === undefined) throw new Error('fastMatMul: the wasm Transpose kernel is not registered');
  return firstOutput(transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }));
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
