// Routing a tfjs optimizer's `applyGradients` through a one-pass kernel on wasm, with
// tfjs's own method for everything else (other backends, unusual dtypes or shapes).
// Shared by fastAdam.ts and fastSgd.ts.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { WASM, type KernelArgs } from './kernelOverride';
import { simdKernelsOf } from './wasmBackend';

type ApplyGradients = tf.Optimizer['applyGradients'];
export type VariableGradients = Parameters<ApplyGradients>[0];

/** One variable and its gradient (null: tfjs skips the variable this step). */
export interface NamedGradient {
  name: string;
  value: tf.Variable;
  gradient: tf.Tensor | null | undefined;
}

/** The gradients as a list, from either form tfjs accepts (a list or a map by name). */
export function namedGradients(variableGradients: VariableGradients): NamedGradient[] {
  const named = Array.isArray(variableGradients)
    ? variableGradients.map(({ name, tensor }) => ({ name, gradient: tensor }))
    : Object.keys(variableGradients).map((name) => ({ name, gradient: variableGradients[name] }));
  return named.map((entry) => ({ ...entry, value: tf.engine().registeredVariables[entry.name] }));
}

/** Whether every variable and gradient is float32 and of one size: what the kernels take. */
export function allFloat32(named: NamedGradient[]): boolean {
  return named.every(
    ({ value, gradient }) =>
      value?.dtype === 'float32' && (gradient == null || (gradient.dtype === 'float32' && gradient.size === value.size)),
  );
}

interface Patch {
  prototype: { applyGradients: ApplyGradients };
  original: ApplyGradients;
}

const patches = new Map<string, Patch>();

/**
 * Registers the wasm kernel `step` and replaces `prototype.applyGradients` with `fused`
 * while the wasm backend with our SIMD kernels is active. `fused` gets tfjs's own method
 * to hand a call back. Idempotent.
 */
export function patchApplyGradients<T>(
  key: string,
  prototype: { applyGradients: ApplyGradients },
  step: { kernelName: string; kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[] },
  fused: (optimizer: T, gradients: VariableGradients, stock: (gradients: VariableGradients) => void) => void,
): void {
  if (tf.getKernel(step.kernelName, WASM) === undefined) {
    tf.registerKernel({
      kernelName: step.kernelName,
      backendName: WASM,
      kernelFunc: step.kernelFunc as unknown as tf.KernelFunc,
    });
  }
  if (patches.has(key)) return;
  const original = prototype.applyGradients;
  patches.set(key, { prototype, original });
  prototype.applyGradients = function (this: T, variableGradients: VariableGradients) {
    const usable = tf.getBackend() === WASM && simdKernelsOf(tf.backend()) !== undefined;
    if (!usable) return original.call(this, variableGradients);
    fused(this, variableGradients, (gradients) => original.call(this, gradients));
  };
}

/** Puts tfjs's own method back (benchmarks compare both). */
export function unpatchApplyGradients(key: string): void {
  const patch = patches.get(key);
  if (patch === undefined) return;
  patch.prototype.applyGradients = patch.original;
  patches.delete(key);
}
