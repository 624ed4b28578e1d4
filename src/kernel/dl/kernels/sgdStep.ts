// One SGD update of one parameter (weight decay, momentum, dampening, Nesterov) as one
// pass over its values, instead of a Multiply, a Sub and more per parameter. The kernel
// `DlSgdStep` writes new tensors, never into the parameter's memory: the wasm backend
// keeps XNNPACK's packed copies of convolution filters (and some matMul operands) per
// tensor, so a parameter rewritten in place would go on convolving with its old values.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { onKitBackend, registerKitKernel, required, runKitKernel, type KitKernelArgs } from './backendMemory';

export const SGD_STEP = 'DlSgdStep';

export interface SgdSettings {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

/**
 * Updates `param` by `grad` as torch.optim.SGD does; returns the new momentum buffer
 * (null without momentum), or undefined when the active backend has no kit kernels (the
 * caller then uses tf's ops).
 */
export function sgdStep(
  param: tf.Variable,
  grad: tf.Tensor,
  buffer: tf.Tensor | null,
  settings: SgdSettings,
): { buffer: tf.Tensor | null } | undefined {
  const fits = param.dtype === 'float32' && grad.dtype === 'float32' && grad.size === param.size;
  if (!fits || !onKitBackend()) return undefined;
  const hasMomentum = settings.momentum !== 0;
  const previous = hasMomentum ? buffer : null;
  const inputs: tf.NamedTensorMap = { param, grad };
  if (previous) inputs.buffer = previous;
  const [next, nextBuffer] = runKitKernel(SGD_STEP, inputs, { ...settings });
  param.assign(next);
  return { buffer: nextBuffer ?? null };
}

/** The update itself. */
function applySgd(
  param: Float32Array,
  grad: Float32Array,
  buffer: Float32Array | null,
  settings: SgdSettings,
  paramOut: Float32Array,
  bufferOut: Float32Array | null,
): void {
  // Settings rounded to float32, as PyTorch's float32 kernels see them.
  const [lr, momentum, weightDecay] = [settings.lr, settings.momentum, settings.weightDecay].map(Math.fround);
  const take = Math.fround(1 - settings.dampening);
  for (let i = 0; i < param.length; i++) {
    let direction = weightDecay !== 0 ? grad[i] + weightDecay * param[i] : grad[i];
    if (bufferOut) {
      const next = buffer ? momentum * buffer[i] + take * direction : direction;
      bufferOut[i] = next;
      direction = settings.nesterov ? direction + momentum * Math.fround(next) : Math.fround(next);
    }
    paramOut[i] = param[i] - lr * direction;
  }
}

function sgdKernel({ inputs, attrs, memory }: KitKernelArgs): TensorInfo[] {
  const param = required(inputs.param, SGD_STEP, 'param');
  const grad = required(inputs.grad, SGD_STEP, 'grad');
  const settings = attrs as unknown as SgdSettings;
  const paramOut = memory.output(param.shape);
  const bufferOut = settings.momentum !== 0 ? memory.output(param.shape) : null;
  const buffer = inputs.buffer ? memory.view(inputs.buffer) : null;
  applySgd(memory.view(param), memory.view(grad), buffer, settings, memory.view(paramOut), bufferOut && memory.view(bufferOut));
  return bufferOut ? [paramOut, bufferOut] : [paramOut];
}

registerKitKernel(SGD_STEP, sgdKernel);
