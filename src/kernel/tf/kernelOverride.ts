// Replacing a wasm kernel with a faster one that can hand work back to the original.
// Used by fastMatMul.ts, fastBatching.ts, fastReductions.ts and sharedIdentity.ts;
// `restoreWasmKernels` puts the originals back (benchmarks compare both). Gradients are
// replaced the same way (sumGradient.ts, squaredDifferenceGradient.ts), with
// `overrideGradient` and `restoreGradient`.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';

export const WASM = 'wasm';

export type KernelArgs = Parameters<tf.KernelFunc>[0];
export type KernelResult = TensorInfo | TensorInfo[];
export type KernelFn = (args: KernelArgs) => KernelResult;

/** The kernel functions we registered, so registering again recognizes them. */
const ours = new WeakSet<KernelFn>();
/** The backend's own kernels, by name. */
const originals = new Map<string, tf.KernelConfig>();

/**
 * Registers `makeFast(original)` as the wasm kernel `kernelName`. Idempotent; does
 * nothing when the wasm backend has no such kernel (it was never imported).
 */
export function overrideWasmKernel(kernelName: string, makeFast: (original: KernelFn) => KernelFn): void {
  const original = tf.getKernel(kernelName, WASM);
  if (original === undefined || ours.has(original.kernelFunc as KernelFn)) return;
  const fast = makeFast(original.kernelFunc as KernelFn);
  ours.add(fast);
  originals.set(kernelName, original);
  tf.unregisterKernel(kernelName, WASM);
  // Keep setupFunc/disposeFunc: the engine calls them again when the backend is re-set.
  tf.registerKernel({ ...original, kernelFunc: fast as tf.KernelFunc });
}

/** tfjs's own gradients that ours replaced, by kernel name. */
const stockGradients = new Map<string, tf.GradConfig>();

/**
 * Registers `makeOurs(stock)` as the gradient of `kernelName`, keeping tfjs's `stock` to
 * hand cases back to and to restore. Idempotent; does nothing when tfjs has no gradient
 * for it.
 */
export function overrideGradient(kernelName: string, makeOurs: (stock: tf.GradConfig) => tf.GradConfig): void {
  if (stockGradients.has(kernelName)) return;
  const stock = tf.getGradient(kernelName);
  if (stock === undefined) return;
  stockGradients.set(kernelName, stock);
  tf.registerGradient(makeOurs(stock));
}

/** Puts tfjs's own gradient of `kernelName` back. */
export function restoreGradient(kernelName: string): void {
  const stock = stockGradients.get(kernelName);
  if (stock === undefined) return;
  tf.registerGradient(stock);
  stockGradients.delete(kernelName);
}

export function isOverridden(kernelName: string): boolean {
  const config = tf.getKernel(kernelName, WASM);
  return config !== undefined && ours.has(config.kernelFunc as KernelFn);
}

/** Puts the backend's own kernels back for the given names. */
export function restoreWasmKernels(kernelNames: readonly string[]): void {
  for (const kernelName of kernelNames) {
    const original = originals.get(kernelName);
    if (original === undefined) continue;
    tf.unregisterKernel(kernelName, WASM);
    tf.registerKernel(original);
    originals.delete(kernelName);
  }
}

/** The kernel's backend, typed: tfjs passes it as `{}`. */
export function backendOf(args: KernelArgs): KernelBackend {
  return args.backend as KernelBackend;
}

/** Runs the wasm backend's kernel `kernelName` directly (as registered now) and returns its first output. */
export function runWasmKernel(
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  backend: KernelBackend,
  attrs: tf.NamedAttrMap = {},
): TensorInfo {
  const kernel = tf.getKernel(kernelName, WASM);
  if (kernel === undefined) throw new Error(`the wasm ${kernelName} kernel is not registered`);
  return firstOutput(kernel.kernelFunc({ inputs, backend, attrs }));
}

export function firstOutput(out: KernelResult): TensorInfo {
  return Array.isArray(out) ? out[0] : out;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
