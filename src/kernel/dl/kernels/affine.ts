// Linear's y = x Wᵀ + b as one kernel, and its gradient (dW, db, and dx when x needs one)
// as one more, for the wasm and cpu backends. Small products run as plain loops on the
// backend's memory; large ones go to the backend's own BatchMatMul, which stays fast.
// Other backends get the same maths from tf's ops (fusedOps.ts).
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { describeShape } from '../inputs';
import { affineByOps, needsGradient } from '../fusedOps';
import {
  onKitBackend,
  registerKitGradient,
  registerKitKernel,
  required,
  runKitKernel,
  type KitKernelArgs,
} from './backendMemory';
import { runKernelSaving } from './tapeSaves';

/** y = x Wᵀ + b, taped so that x gets a gradient too (a hidden layer, or under tf.grads). */
export const AFFINE = 'DlAffine';
/** The same for an x that is plain data (a first layer's input inside dl.backward): x's gradient is never computed. */
export const AFFINE_OF_DATA = 'DlAffineOfData';
/** dy, x, W -> dW, db (attr `bias`), dx (attr `inputGradient`). */
export const AFFINE_GRAD = 'DlAffineGrad';

/** From this many multiply-adds (rows · in · out) on, the backend's BatchMatMul multiplies. */
export const MIN_DELEGATED_WORK = 8192;

/** y = x Wᵀ + b for x [N, in], W [out, in], b [out] or null. */
export function affine(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  if (x.rank !== 2 || weight.rank !== 2 || x.shape[1] !== weight.shape[1] || (bias && bias.size !== weight.shape[0])) {
    throw new Error(
      `affine: x ${describeShape(x.shape)} and weight ${describeShape(weight.shape)}` +
        (bias ? ` and bias ${describeShape(bias.shape)}` : '') +
        ' do not fit x Wᵀ + b',
    );
  }
  const allFloat = x.dtype === 'float32' && weight.dtype === 'float32' && (!bias || bias.dtype === 'float32');
  if (!allFloat || !onKitBackend()) return affineByOps(x, weight, bias);
  const kernelName = needsGradient(x) ? AFFINE : AFFINE_OF_DATA;
  const inputs: tf.NamedTensorMap = { x, weight };
  if (bias) inputs.bias = bias;
  const save = kernelName === AFFINE ? ['x', 'weight'] : ['x'];
  return runKernelSaving(kernelName, inputs, { bias: bias !== null }, save)[0];
}

function affineForward({ inputs, memory }: KitKernelArgs): TensorInfo {
  const x = required(inputs.x, AFFINE, 'x');
  const weight = required(inputs.weight, AFFINE, 'weight');
  const [rows, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  if (rows * inFeatures * outFeatures >= MIN_DELEGATED_WORK) {
    const product = memory.run('BatchMatMul', { a: x, b: weight }, { transposeA: false, transposeB: true });
    if (inputs.bias !== undefined) {
      const [ys, bs] = [memory.view(product), memory.view(inputs.bias)];
      for (let k = 0; k < ys.length; k++) ys[k] += bs[k % outFeatures];
    }
    return product;
  }
  const out = memory.output([rows, outFeatures]);
  const [xs, ws, ys] = [memory.view(x), memory.view(weight), memory.view(out)];
  const bs = inputs.bias !== undefined ? memory.view(inputs.bias) : null;
  for (let n = 0; n < rows; n++) {
    const xRow = n * inFeatures;
    const yRow = n * outFeatures;
    for (let o = 0; o < outFeatures; o++) {
      const wRow = o * inFeatures;
      let sum = bs === null ? 0 : bs[o];
      for (let i = 0; i < inFeatures; i++) sum += xs[xRow + i] * ws[wRow + i];
      ys[yRow + o] = sum;
    }
  }
  return out;
}

function affineGradient({ inputs, attrs, memory }: KitKernelArgs): TensorInfo[] {
  const dy = required(inputs.dy, AFFINE_GRAD, 'dy');
  const x = required(inputs.x, AFFINE_GRAD, 'x');
  const weight = attrs.inputGradient ? required(inputs.weight, AFFINE_GRAD, 'weight') : null;
  const [rows, inFeatures] = x.shape;
  const outFeatures = dy.shape[1];
  if (rows * inFeatures * outFeatures >= MIN_DELEGATED_WORK) {
    const outputs = [memory.run('BatchMatMul', { a: dy, b: x }, { transposeA: true, transposeB: false })];
    if (attrs.bias) outputs.push(memory.run('Sum', { x: dy }, { axis: [0], keepDims: false }));
    if (weight) outputs.push(memory.run('BatchMatMul', { a: dy, b: weight }, { transposeA: false, transposeB: false }));
    return outputs;
  }
  const dWeight = memory.output([outFeatures, inFeatures]);
  const dBias = attrs.bias ? memory.output([outFeatures]) : null;
  const dx = weight ? memory.output([rows, inFeatures]) : null;
  const [dys, xs, dws] = [memory.view(dy), memory.view(x), memory.view(dWeight)];
  for (let o = 0; o < outFeatures; o++) {
    for (let i = 0; i < inFeatures; i++) {
      let sum = 0;
      for (let n = 0; n < rows; n++) sum += dys[n * outFeatures + o] * xs[n * inFeatures + i];
      dws[o * inFeatures + i] = sum;
    }
  }
  if (dBias) {
    const dbs = memory.view(dBias);
    for (let o = 0; o < outFeatures; o++) {
      let sum = 0;
      for (let n = 0; n < rows; n++) sum += dys[n * outFeatures + o];
      dbs[o] = sum;
    }
  }
  if (weight && dx) {
    const [ws, dxs] = [memory.view(weight), memory.view(dx)];
    for (let n = 0; n < rows; n++) {
      for (let i = 0; i < inFeatures; i++) {
        let sum = 0;
        for (let o = 0; o < outFeatures; o++) sum += dys[n * outFeatures + o] * ws[o * inFeatures + i];
        dxs[n * inFeatures + i] = sum;
      }
    }
  }
  return [dWeight, ...(dBias ? [dBias] : []), ...(dx ? [dx] : [])];
}

/**
 * The gradients of one affine node, from one kernel run when tf asks for the node's
 * gradient; tf then takes the ones on its path (the rest are released with its scope).
 */
function affineGradients(dy: tf.Tensor, x: tf.Tensor, weight: tf.Tensor | null, hasBias: boolean): tf.NamedTensorMap {
  const inputs: tf.NamedTensorMap = { dy, x };
  if (weight) inputs.weight = weight;
  const [dWeight, ...rest] = runKitKernel(AFFINE_GRAD, inputs, { bias: hasBias, inputGradient: weight !== null });
  const dBias = hasBias ? rest.shift() : undefined;
  return {
    weight: dWeight,
    ...(dBias ? { bias: dBias } : {}),
    ...(weight ? { x: rest[0] } : {}),
  };
}

function thunks(grads: tf.NamedTensorMap, what: string): Record<string, () => tf.Tensor> {
  const result: Record<string, () => tf.Tensor> = {
    x: () => {
      throw new Error(`${what}: x was taken as plain data, but its gradient was asked for`);
    },
  };
  for (const [name, grad] of Object.entries(grads)) result[name] = () => grad;
  return result;
}

registerKitKernel(AFFINE, affineForward);
registerKitKernel(AFFINE_OF_DATA, affineForward);
registerKitKernel(AFFINE_GRAD, affineGradient);
registerKitGradient({
  kernelName: AFFINE, // saves x and weight (`affine`)
  gradFunc: (dy, [x, weight], attrs) => thunks(affineGradients(dy as tf.Tensor, x, weight, Boolean(attrs.bias)), AFFINE),
});
registerKitGradient({
  kernelName: AFFINE_OF_DATA, // saves x (`affine`)
  gradFunc: (dy, [x], attrs) => thunks(affineGradients(dy as tf.Tensor, x, null, Boolean(attrs.bias)), AFFINE_OF_DATA),
});
