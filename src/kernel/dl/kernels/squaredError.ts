// MSELoss's (input - target)², reduced by mean, sum or not at all, as one kernel for the
// wasm and cpu backends, and its gradient as one more. The sums accumulate in double
// precision. Other backends get the same maths from tf's ops (fusedOps.ts).
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { sameShape, describeShape } from '../inputs';
import { squaredErrorByOps } from '../fusedOps';
import {
  onKitBackend,
  registerKitGradient,
  registerKitKernel,
  required,
  runKitKernel,
  type KitKernelArgs,
} from './backendMemory';
import { runKernelSaving } from './tapeSaves';

export type Reduction = 'mean' | 'sum' | 'none';

export const SQUARED_ERROR = 'DlSquaredError';
/** dy, input, target -> d/dinput (the target's gradient is its negative). */
export const SQUARED_ERROR_GRAD = 'DlSquaredErrorGrad';

/** (input - target)², reduced by mean or sum or not at all; input and target of one shape. */
export function squaredError(input: tf.Tensor, target: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(
      `squaredError: input ${describeShape(input.shape)} and target ${describeShape(target.shape)} must have one shape`,
    );
  }
  if (input.dtype !== 'float32' || target.dtype !== 'float32' || !onKitBackend()) {
    return squaredErrorByOps(input, target, reduction);
  }
  return runKernelSaving(SQUARED_ERROR, { input, target }, { reduction }, ['input', 'target'])[0];
}

function squaredErrorForward({ inputs, attrs, memory }: KitKernelArgs): TensorInfo {
  const input = required(inputs.input, SQUARED_ERROR, 'input');
  const target = required(inputs.target, SQUARED_ERROR, 'target');
  const reduction = attrs.reduction as Reduction;
  const out = memory.output(reduction === 'none' ? input.shape : []);
  const [xs, ts, ys] = [memory.view(input), memory.view(target), memory.view(out)];
  if (reduction === 'none') {
    for (let i = 0; i < xs.length; i++) {
      const d = xs[i] - ts[i];
      ys[i] = d * d;
    }
    return out;
  }
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i] - ts[i];
    sum += d * d;
  }
  ys[0] = reduction === 'mean' ? sum / xs.length : sum;
  return out;
}

function squaredErrorGradient({ inputs, attrs, memory }: KitKernelArgs): TensorInfo {
  const dy = required(inputs.dy, SQUARED_ERROR_GRAD, 'dy');
  const input = required(inputs.input, SQUARED_ERROR_GRAD, 'input');
  const target = required(inputs.target, SQUARED_ERROR_GRAD, 'target');
  const out = memory.output(input.shape);
  const [dys, xs, ts, dxs] = [memory.view(dy), memory.view(input), memory.view(target), memory.view(out)];
  // d/dinput of the mean is 2 (input - target) / N; of the sum, 2 (input - target).
  const scale = attrs.reduction === 'mean' ? 2 / xs.length : 2;
  if (attrs.reduction === 'none') {
    for (let i = 0; i < xs.length; i++) dxs[i] = scale * (xs[i] - ts[i]) * dys[i];
  } else {
    const factor = scale * dys[0];
    for (let i = 0; i < xs.length; i++) dxs[i] = factor * (xs[i] - ts[i]);
  }
  return out;
}

registerKitKernel(SQUARED_ERROR, squaredErrorForward);
registerKitKernel(SQUARED_ERROR_GRAD, squaredErrorGradient);
registerKitGradient({
  kernelName: SQUARED_ERROR, // saves input and target (`squaredError`)
  gradFunc: (dy, [input, target], attrs) => {
    const [dInput] = runKitKernel(SQUARED_ERROR_GRAD, { dy: dy as tf.Tensor, input, target }, attrs);
    // Only asked for when the target itself depends on what is differentiated.
    return { input: () => dInput, target: () => tf.neg(dInput) };
  },
});
