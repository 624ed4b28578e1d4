// Loss functions with PyTorch's semantics, including `reduction` and class weights:
// L1Loss, MSELoss, NLLLoss, CrossEntropyLoss, BCELoss.
import * as tf from '@tensorflow/tfjs';
import { logSoftmax } from './activations';
import { squaredError } from './kernels/squaredError';
import { ClassTargets, expectTargetShape, rowsByClass } from './classTargets';
import { describeShape, sameShape, toFloatTensor, typeName, type TensorInput } from './inputs';
import { Module } from './module';
import { checkOptions } from './options';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default): average over elements; 'sum': add them up; 'none': one loss per element. */
  reduction?: Reduction;
}

export interface WeightedLossOptions extends LossOptions {
  /** Class weights (NLLLoss, CrossEntropyLoss) or per-element weights (BCELoss). */
  weight?: tf.Tensor | number[] | number[][];
}

abstract class Loss extends Module {
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    super();
    const weighted = this instanceof ClassLoss || this instanceof BCELoss;
    checkOptions(`${this.constructor.name}(options)`, options, weighted ? ['reduction', 'weight'] : ['reduction']);
    const reduction = options.reduction ?? 'mean';
    if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
      throw new TypeError(
        `${this.constructor.name}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
      );
    }
    this.reduction = reduction;
  }

  /** The loss of `input` against `target`: a scalar, or per element with reduction 'none'. */
  override forward(input: TensorInput, target: TensorInput): tf.Tensor {
    return tf.tidy(() => this.compute(toFloatTensor(input, `${this.constructor.name}: the input`), target));
  }

  protected abstract compute(input: tf.Tensor, target: unknown): tf.Tensor;

  protected reduce(elementLosses: tf.Tensor): tf.Tensor {
    if (this.reduction === 'none') return elementLosses;
    return this.reduction === 'sum' ? tf.sum(elementLosses) : tf.mean(elementLosses);
  }

  protected sameShapeTarget(input: tf.Tensor, target: unknown): tf.Tensor {
    const what = `${this.constructor.name}`;
    const t = toFloatTensor(target as TensorInput, `${what}: the target`);
    if (!sameShape(input.shape, t.shape)) {
      // PyTorch broadcasts here with only a warning, which silently trains on the wrong
      // loss (e.g. [N, 1] against [N] gives [N, N]); a clear error serves learners better.
      throw new Error(
        `${what}: the input has shape ${describeShape(input.shape)} but the target has shape ` +
          `${describeShape(t.shape)}; they must match (reshape one, e.g. target.reshape([-1, 1]))`,
      );
    }
    return t;
  }

  protected override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }
}

/** Mean absolute error: |input - target|. */
export class L1Loss extends Loss {
  protected compute(input: tf.Tensor, target: unknown): tf.Tensor {
    return this.reduce(tf.abs(tf.sub(input, this.sameShapeTarget(input, target))));
  }
}

/** Mean squared error: (input - target)^2. */
export class MSELoss extends Loss {
  protected compute(input: tf.Tensor, target: unknown): tf.Tensor {
    return squaredError(input, this.sameShapeTarget(input, target), this.reduction);
  }
}

/** Class weights kept as plain numbers, so a loss object holds no tensor memory. */
function classWeights(what: string, weight: WeightedLossOptions['weight']): Float32Array | null {
  if (weight == null) return null;
  if (weight instanceof tf.Tensor) {
    if (weight.rank !== 1) throw new Error(`${what}: weight must be 1-D (one per class), got ${describeShape(weight.shape)}`);
    return Float32Array.from(weight.dataSync() as ArrayLike<number>);
  }
  if (Array.isArray(weight) && weight.every((w) => typeof w === 'number')) return Float32Array.from(weight as number[]);
  throw new TypeError(`${what}: weight must be a 1-D tensor or number[] (one per class), got ${typeName(weight)}`);
}

abstract class ClassLoss extends Loss {
  protected readonly weights: Float32Array | null;
  protected readonly targets: ClassTargets;

  constructor(options: WeightedLossOptions = {}) {
    super(options);
    this.weights = classWeights(this.constructor.name, options.weight);
    this.targets = new ClassTargets(this.constructor.name);
  }

  protected classWeightTensor(classes: number): tf.Tensor | null {
    if (!this.weights) return null;
    if (this.weights.length !== classes) {
      throw new Error(`${this.constructor.name}: weight has ${this.weights.length} values but the input has ${classes} classes`);
    }
    return tf.tensor1d(this.weights, 'float32');
  }

  /**
   * -weight[t] * logProbs[t] per element; 'mean' divides by the sum of the picked
   * weights (not the count), as PyTorch does.
   */
  protected negativeLogLikelihood(logProbs: tf.Tensor, target: unknown): tf.Tensor {
    const what = this.constructor.name;
    const { rows, elementShape } = rowsByClass(logProbs, what);
    const classes = rows.shape[1] as number;
    const indices = this.targets.toIndices(target, classes);
    expectTargetShape(indices, elementShape, logProbs, what);
    const flatIndices = tf.reshape(indices, [-1]);
    // int32 then cast: the wasm backend's OneHot writes int32 data even when asked for float32.
    const mask = tf.cast(tf.oneHot(flatIndices, classes), 'float32');
    const picked = tf.sum(tf.mul(rows, mask), 1);
    const weights = this.classWeightTensor(classes);
    const pickedWeights = weights ? tf.gather(weights, flatIndices) : null;
    const losses = tf.neg(pickedWeights ? tf.mul(picked, pickedWeights) : picked);
    if (this.reduction === 'none') return tf.reshape(losses, elementShape);
    if (this.reduction === 'sum' || !pickedWeights) return this.reduce(losses);
    return tf.div(tf.sum(losses), tf.sum(pickedWeights));
  }

  protected override extraRepr(): string {
    const parts = [super.extraRepr(), this.weights ? `weight=[${Array.from(this.weights).join(', ')}]` : ''];
    return parts.filter(Boolean).join(', ');
  }
}

/** Negative log-likelihood of class indices, for inputs that are already log-probabilities. */
export class NLLLoss extends ClassLoss {
  protected compute(input: tf.Tensor, target: unknown): tf.Tensor {
    return this.negativeLogLikelihood(input, target);
  }
}

/**
 * log_softmax + NLLLoss over raw scores (logits). Targets are class indices, or class
 * probabilities of the input's shape (then 'mean' divides by the number of rows).
 */
export class CrossEntropyLoss extends ClassLoss {
  protected compute(input: tf.Tensor, target: unknown): tf.Tensor {
    const what = this.constructor.name;
    const classDim = input.rank === 1 ? 0 : 1;
    const logProbs = logSoftmax(input, classDim, what);
    if (!isProbabilityTarget(input, target)) return this.negativeLogLikelihood(logProbs, target);
    const probs = toFloatTensor(target as TensorInput, `${what}: the target`);
    const classes = input.shape[classDim] as number;
    const weights = this.classWeightTensor(classes);
    const classShape = input.shape.map((d, i) => (i === classDim ? d : 1));
    const weighted = weights ? tf.mul(probs, tf.reshape(weights, classShape)) : probs;
    const losses = tf.neg(tf.sum(tf.mul(logProbs, weighted), classDim));
    return this.reduce(losses);
  }
}

/** A float target of the input's own shape holds class probabilities, not indices. */
function isProbabilityTarget(input: tf.Tensor, target: unknown): boolean {
  if (target instanceof tf.Tensor) return target.dtype === 'float32' && sameShape(target.shape, input.shape);
  if (!Array.isArray(target)) return false;
  const shape: number[] = [];
  for (let level: unknown = target; Array.isArray(level); level = level[0]) shape.push(level.length);
  return sameShape(shape, input.shape);
}

/**
 * Binary cross-entropy of probabilities (apply a Sigmoid first). Logs are clamped at
 * -100 as in PyTorch, so a probability of exactly 0 or 1 gives a finite loss. `weight`
 * scales each element and broadcasts against the input.
 */
export class BCELoss extends Loss {
  private readonly weight: { values: Float32Array; shape: number[] } | null;

  constructor(options: WeightedLossOptions = {}) {
    super(options);
    const { weight } = options;
    if (weight == null) this.weight = null;
    else if (weight instanceof tf.Tensor) {
      this.weight = { values: Float32Array.from(weight.dataSync() as ArrayLike<number>), shape: weight.shape };
    } else {
      const tensor = tf.tensor(weight as tf.TensorLike, undefined, 'float32');
      this.weight = { values: tensor.dataSync() as Float32Array, shape: tensor.shape };
      tensor.dispose();
    }
  }

  protected compute(input: tf.Tensor, target: unknown): tf.Tensor {
    const t = this.sameShapeTarget(input, target);
    const logP = tf.maximum(tf.log(input), -100);
    const logNotP = tf.maximum(tf.log(tf.sub(1, input)), -100);
    // -(t log p + (1 - t) log(1 - p)) = -(logNotP + t (logP - logNotP))
    let losses = tf.neg(tf.add(logNotP, tf.mul(t, tf.sub(logP, logNotP))));
    if (this.weight) {
      const weight = tf.tensor(this.weight.values, this.weight.shape, 'float32');
      checkBroadcast(weight.shape, input.shape, this.constructor.name);
      losses = tf.mul(losses, weight);
    }
    return this.reduce(losses);
  }
}

function checkBroadcast(weightShape: number[], inputShape: number[], what: string): void {
  const offset = inputShape.length - weightShape.length;
  const fits = offset >= 0 && weightShape.every((d, i) => d === 1 || d === inputShape[offset + i]);
  if (!fits) {
    throw new Error(
      `${what}: weight of shape ${describeShape(weightShape)} does not broadcast to the input's shape ` +
        describeShape(inputShape),
    );
  }
}
