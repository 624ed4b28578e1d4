// Adam in one pass per variable on the wasm backend, for `tf.train.adam` and everything
// built on it (`model.fit` with 'adam').
//
// tfjs's AdamOptimizer runs 13 kernels per variable per step (multiplies, adds, a square,
// a sqrt, divisions), each a full pass over the variable and a new tensor. Here one
// kernel reads the value, both moments and the gradient once and writes the three new
// tensors; `applyGradients` then assigns them as the original does. New tensors, not
// in-place writes: the backend caches XNNPACK operators (convolution filters, matMul
// weights) by tensor, so rewriting a variable's memory in place would leave stale copies.
// State, names, weights and serialization stay tfjs's own; other backends, and anything
// unusual (non-float32), keep the original method.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { backendOf, sizeOf, type KernelArgs } from './kernelOverride';
import { allFloat32, namedGradients, patchApplyGradients, unpatchApplyGradients, type VariableGradients } from './optimizerPatch';
import { addressOf, makeOutput, simdKernelsOf } from './wasmBackend';

const ADAM_STEP = 'DlnbAdamStep';

interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

/** Registers the kernel and routes AdamOptimizer.applyGradients through it. Idempotent. */
export function registerFastAdam(): void {
  patchApplyGradients(
    'adam',
    tf.AdamOptimizer.prototype,
    { kernelName: ADAM_STEP, kernelFunc: adamStepKernel },
    fusedApplyGradients,
  );
}

/** Puts tfjs's own method back (benchmarks compare both). */
export function unregisterFastAdam(): void {
  unpatchApplyGradients('adam');
}

function fusedApplyGradients(
  adam: AdamInternals,
  variableGradients: VariableGradients,
  stock: (gradients: VariableGradients) => void,
): void {
  const named = namedGradients(variableGradients);
  if (!allFloat32(named)) return stock(variableGradients);

  const [accBeta1, accBeta2] = [adam.accBeta1.dataSync()[0], adam.accBeta2.dataSync()[0]];
  tf.tidy(() => {
    named.forEach(({ name, value, gradient }, i) => {
      // The moments, created as the original creates them (names matter for saving).
      adam.accumulatedFirstMoment[i] ??= {
        originalName: `${name}/m`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      adam.accumulatedSecondMoment[i] ??= {
        originalName: `${name}/v`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      if (gradient == null) return;
      const m = adam.accumulatedFirstMoment[i]!.variable;
      const v = adam.accumulatedSecondMoment[i]!.variable;
      const attrs = {
        learningRate: adam.learningRate,
        beta1: adam.beta1,
        beta2: adam.beta2,
        epsilon: adam.epsilon,
        oneMinusAccBeta1: 1 - accBeta1,
        oneMinusAccBeta2: 1 - accBeta2,
      };
      const [nextValue, nextM, nextV] = tf.engine().runKernel(ADAM_STEP, { value, m, v, gradient }, attrs) as tf.Tensor[];
      m.assign(nextM);
      v.assign(nextV);
      value.assign(nextValue);
    });
    adam.accBeta1.assign(tf.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tf.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}

/** The update of one variable: outputs [value, m, v], the same arithmetic as tfjs's. */
function adamStepKernel(args: KernelArgs): TensorInfo[] {
  const backend = backendOf(args);
  const kernels = simdKernelsOf(backend);
  if (kernels === undefined) throw new Error('Adam: this runtime has no wasm SIMD for the one-pass step');
  const inputs = args.inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
  const a = args.attrs as Record<
    'learningRate' | 'beta1' | 'beta2' | 'epsilon' | 'oneMinusAccBeta1' | 'oneMinusAccBeta2',
    number
  >;
  const outputs = [inputs.value, inputs.m, inputs.v].map((t) => makeOutput(backend, [...t.shape], 'float32'));
  const addresses = [inputs.value, inputs.m, inputs.v, inputs.gradient, ...outputs].map((t) => addressOf(backend, t));
  kernels.adamStep(
    ...addresses,
    sizeOf(inputs.value.shape),
    a.beta1,
    a.beta2,
    1 - a.beta1,
    1 - a.beta2,
    a.learningRate,
    a.oneMinusAccBeta1,
    a.oneMinusAccBeta2,
    a.epsilon,
  );
  return outputs;
}
