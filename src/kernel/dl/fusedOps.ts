// The training loop's hot path built from tf's ops, as single taped operations with
// hand-written gradients: what backends other than wasm and cpu run (those two have the
// kit's own kernels, kernels/). Built from tf's ops naively, a Linear layer and MSELoss
// record 23 kernels per step (each op saves clones of its inputs, broadcasting adds
// reshapes and sums, a mean's gradient takes three); these record 13, and compute no
// gradient for inputs that are plain data (a first layer's x, a loss's target).
import * as tf from '@tensorflow/tfjs';

type Save = (tensors: tf.Tensor[]) => void;
type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
type CustomOp = (...inputs: tf.Tensor[]) => tf.Tensor;

/**
 * tf.customGrad with the inputs that need a gradient; `forward` may read other tensors
 * from its closure and save them (saving clones them past the forward pass's tidy).
 */
function taped(forward: (save: Save) => { value: tf.Tensor; gradFunc: GradFunc }, inputs: tf.Tensor[]): tf.Tensor {
  // Without a tape (a prediction, not training) the custom op would only cost time.
  if (inputs.length === 0 || tf.engine().state.gradientDepth === 0) return forward(() => undefined).value;
  const op = tf.customGrad(((...args: unknown[]) => forward(args[args.length - 1] as Save)) as never) as unknown as CustomOp;
  return op(...inputs);
}

/**
 * The gradient depth at which `dl.backward` is recording, while its loss function runs.
 * Only there are the differentiated tensors known (trainable variables); under tf.grads
 * any tensor may be one, so every input then gets a gradient.
 */
let backwardDepth = -1;

/** Runs `lossFn` as dl.backward's forward pass (inside tf.engine().gradients). */
export function asBackwardForward<T>(lossFn: () => T): T {
  const outer = backwardDepth;
  backwardDepth = tf.engine().state.gradientDepth;
  try {
    return lossFn();
  } finally {
    backwardDepth = outer;
  }
}

/**
 * Whether `t` may need a gradient. Inside dl.backward only what depends on a trainable
 * variable does: a first layer's x (even a slice of the data taken inside the loss
 * function) or a loss's target is plain data.
 */
export function needsGradient(t: tf.Tensor): boolean {
  const { activeTape, gradientDepth } = tf.engine().state;
  if (gradientDepth !== backwardDepth || !activeTape) return true;
  return dependsOnTrainable(t, activeTape, new Map());
}

type Tape = NonNullable<ReturnType<typeof tf.engine>['state']['activeTape']>;

function dependsOnTrainable(t: tf.Tensor, tape: Tape, known: Map<number, boolean>): boolean {
  if (t instanceof tf.Variable) return t.trainable;
  const cached = known.get(t.id);
  if (cached !== undefined) return cached;
  known.set(t.id, false); // the tape is acyclic; this only stops repeated visits
  let result = false;
  for (let i = tape.length - 1; i >= 0 && !result; i--) {
    const node = tape[i];
    if (!node.outputs.some((output) => output.id === t.id)) continue;
    result = Object.values(node.inputs).some((input) => dependsOnTrainable(input, tape, known));
    break;
  }
  known.set(t.id, result);
  return result;
}

/** y = x W^T + b for x [N, in], W [out, in], b [out] or null. */
export function affineByOps(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const xNeedsGradient = needsGradient(x);
  const inputs = [weight, ...(bias ? [bias] : []), ...(xNeedsGradient ? [x] : [])];
  return taped((save) => {
    save(xNeedsGradient ? [x, weight] : [x]);
    // An explicit transpose: matMul(x, w, false, true) is much slower on the wasm backend.
    const product = tf.matMul(x, tf.transpose(weight));
    return {
      value: bias ? tf.add(product, bias) : product,
      gradFunc: (dy, [savedX, savedWeight]) => {
        const grads = [tf.matMul(tf.transpose(dy), savedX)];
        if (bias) grads.push(tf.sum(dy, 0));
        if (xNeedsGradient) grads.push(tf.matMul(dy, savedWeight));
        return grads;
      },
    };
  }, inputs);
}

/** (input - target)^2, reduced by mean or sum or not at all. */
export function squaredErrorByOps(input: tf.Tensor, target: tf.Tensor, reduction: 'mean' | 'sum' | 'none'): tf.Tensor {
  const inputs = [input, ...(needsGradient(target) ? [target] : [])];
  return taped((save) => {
    const difference = tf.sub(input, target);
    save([difference]);
    const squares = tf.square(difference);
    const value = reduction === 'mean' ? tf.mean(squares) : reduction === 'sum' ? tf.sum(squares) : squares;
    return {
      value,
      gradFunc: (dy, [savedDifference]) => {
        // d/dinput of the mean is 2 (input - target) / N; the target's is its negative.
        const scale = reduction === 'mean' ? 2 / savedDifference.size : 2;
        const grad = tf.mul(savedDifference, tf.mul(dy, scale));
        return inputs.length === 2 ? [grad, tf.neg(grad)] : [grad];
      },
    };
  }, inputs);
}
