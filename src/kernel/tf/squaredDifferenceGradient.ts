// The gradient of a squared difference (every `tf.losses.meanSquaredError`) in one pass
// on the wasm backend.
//
// tfjs's gradient is `mul(dy, mul(scalar(2), sub(a, b)))`: a new scalar uploaded to the
// heap and three kernels, on every step. When a, b and dy are the same size (a loss
// between a prediction and its targets), one SIMD pass (simd/elementwiseCode.ts) does the
// same float32 arithmetic in the same order, so the gradient is the same bit for bit.
// Broadcasts, other dtypes, other backends and second derivatives keep tfjs's gradient,
// with one fix: tfjs leaves a broadcast operand's gradient at the broadcast shape, so
// `tf.squaredDifference(predictions, row)` under a gradient threw a shape error; it is
// summed over the broadcast axes here, as tfjs's own Sub does (and PyTorch's backward).
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { runKitKernel } from '../dl/kernels/backendMemory';
import { backendOf, overrideGradient, restoreGradient, sizeOf, WASM, type KernelArgs } from './kernelOverride';
import { addressOf, makeOutput, simdKernelsOf } from './wasmBackend';

const SQUARED_DIFFERENCE_GRAD = 'DlnbSquaredDifferenceGrad';

/** dy · 2 · (a - b), shaped as a. */
function gradientKernel(args: KernelArgs): TensorInfo {
  const backend = backendOf(args);
  const { a, b, dy } = args.inputs as Record<'a' | 'b' | 'dy', TensorInfo>;
  const kernels = simdKernelsOf(backend);
  if (kernels === undefined) throw new Error('SquaredDifference gradient: this runtime has no wasm SIMD');
  const addresses = [addressOf(backend, a), addressOf(backend, b), addressOf(backend, dy)] as const;
  const out = makeOutput(backend, [...a.shape], 'float32');
  kernels.squaredDifferenceGrad(...addresses, addressOf(backend, out), sizeOf(a.shape));
  return out;
}

/** A gradient at the broadcast shape, summed back to its operand's shape (unchanged when they are the same). */
function reducedTo(gradient: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, gradient.shape);
  return axes.length === 0 ? gradient : tf.reshape(tf.sum(gradient, axes), shape);
}

function onePassGradient(original: tf.GradConfig): tf.GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const gradient = dy as tf.Tensor;
      // Inside an outer gradient (a second derivative) the kernel would be taped without
      // a gradient of its own.
      const taped = tf.engine().state.gradientDepth > 0;
      const onePass =
        !taped &&
        tf.getBackend() === WASM &&
        [a, b, gradient].every((t) => t.dtype === 'float32' && t.size === gradient.size) &&
        simdKernelsOf(tf.backend()) !== undefined;
      if (!onePass) {
        const stock = original.gradFunc(dy, saved, attrs);
        return { a: () => reducedTo(stock.a(), a.shape), b: () => reducedTo(stock.b(), b.shape) };
      }
      return {
        a: () => runKitKernel(SQUARED_DIFFERENCE_GRAD, { a, b, dy: gradient })[0],
        b: () => runKitKernel(SQUARED_DIFFERENCE_GRAD, { a: b, b: a, dy: gradient })[0],
      };
    },
  };
}

/** Registers the kernel and routes SquaredDifference's gradient through it. Idempotent. */
export function registerSquaredDifferenceGradient(): void {
  if (tf.getKernel(SQUARED_DIFFERENCE_GRAD, WASM) === undefined) {
    tf.registerKernel({ kernelName: SQUARED_DIFFERENCE_GRAD, backendName: WASM, kernelFunc: gradientKernel as tf.KernelFunc });
  }
  overrideGradient('SquaredDifference', onePassGradient);
}

/** Puts tfjs's own gradient back (benchmarks and tests compare both). */
export function unregisterSquaredDifferenceGradient(): void {
  restoreGradient('SquaredDifference');
}
