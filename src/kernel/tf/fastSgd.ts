// Plain SGD in one kernel per variable on the wasm backend, for `tf.train.sgd` (and
// `model.compile({ optimizer: 'sgd' })`). tfjs's step is a Multiply and an Add per
// variable; the tutorial's tf-ops loop spends two of its kernels per parameter on it.
// The kernel writes a new tensor (value + (-lr)·g, tfjs's float32 arithmetic) and the
// variable is assigned it, as tfjs does: never in place, since the backend caches
// XNNPACK operators per tensor. Momentum has its own optimizer class and stays tfjs's.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { backendOf, sizeOf, type KernelArgs } from './kernelOverride';
import { allFloat32, namedGradients, patchApplyGradients, unpatchApplyGradients, type VariableGradients } from './optimizerPatch';
import { addressOf, makeOutput, simdKernelsOf } from './wasmBackend';

const SGD_STEP = 'DlnbSgdStep';

interface SgdInternals {
  learningRate: number;
  incrementIterations(): void;
}

/** Registers the kernel and routes SGDOptimizer.applyGradients through it. Idempotent. */
export function registerFastSgd(): void {
  patchApplyGradients('sgd', tf.SGDOptimizer.prototype, { kernelName: SGD_STEP, kernelFunc: sgdStepKernel }, fusedApplyGradients);
}

/** Puts tfjs's own method back (benchmarks compare both). */
export function unregisterFastSgd(): void {
  unpatchApplyGradients('sgd');
}

function fusedApplyGradients(
  sgd: SgdInternals,
  variableGradients: VariableGradients,
  stock: (g: VariableGradients) => void,
): void {
  const named = namedGradients(variableGradients);
  if (!allFloat32(named)) return stock(variableGradients);
  for (const { value, gradient } of named) {
    if (gradient == null) continue;
    const next = tf.engine().runKernel(SGD_STEP, { value, gradient }, { scale: -sgd.learningRate }) as tf.Tensor;
    value.assign(next);
    next.dispose();
  }
  sgd.incrementIterations();
}

function sgdStepKernel(args: KernelArgs): TensorInfo {
  const backend = backendOf(args);
  const kernels = simdKernelsOf(backend);
  if (kernels === undefined) throw new Error('SGD: this runtime has no wasm SIMD for the one-pass step');
  const { value, gradient } = args.inputs as Record<'value' | 'gradient', TensorInfo>;
  const out = makeOutput(backend, [...value.shape], 'float32');
  const scale = (args.attrs as { scale: number }).scale;
  kernels.sgdStep(addressOf(backend, value), addressOf(backend, gradient), addressOf(backend, out), sizeOf(value.shape), scale);
  return out;
}
