// The gradient of a sum over every axis (every `mean()` and `sum()` of a loss) as one
// fill, on the wasm and cpu backends.
//
// tfjs's gradient of Sum multiplies dy by a tensor of ones the size of x, built in
// JavaScript on every call: a fresh typed array off V8's heap, an upload, and a Multiply.
// In the tutorial's loop in tf ops that was a tenth of the time. When dy is one number
// (the sum took every axis) the gradient is that number everywhere, and `dy · 1 = dy`
// exactly, so a fill gives the same tensor. Other sums keep tfjs's gradient.
import * as tf from '@tensorflow/tfjs';
import { registerKitKernel, required, runKitKernel, type KitKernelArgs } from '../dl/kernels/backendMemory';
import { overrideGradient, restoreGradient } from './kernelOverride';

const FILL_WITH_DY = 'DlnbFillWithDy';

function fillWithDy({ inputs, attrs, memory }: KitKernelArgs) {
  const dy = required(inputs.dy, FILL_WITH_DY, 'dy');
  const out = memory.output(attrs.shape as number[]);
  const [value, filled] = [memory.view(dy)[0], memory.view(out)];
  filled.fill(value);
  return out;
}

function leanSumGradient(original: tf.GradConfig): tf.GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const gradient = dy as tf.Tensor;
      const backend = tf.getBackend();
      // Inside an outer gradient (a second derivative) the fill would be taped without a
      // gradient of its own: tfjs's ops are, with theirs.
      const taped = tf.engine().state.gradientDepth > 0;
      const fill = !taped && gradient.size === 1 && gradient.dtype === 'float32' && (backend === 'wasm' || backend === 'cpu');
      if (!fill) return original.gradFunc(dy, saved, attrs);
      return { x: () => runKitKernel(FILL_WITH_DY, { dy: gradient }, { shape: [...x.shape] })[0] };
    },
  };
}

/** Registers the fill and routes Sum's gradient through it. Idempotent. */
export function registerSumGradient(): void {
  registerKitKernel(FILL_WITH_DY, fillWithDy);
  overrideGradient('Sum', leanSumGradient);
}

/** Puts tfjs's own gradient back (benchmarks and tests compare both). */
export function unregisterSumGradient(): void {
  restoreGradient('Sum');
}
