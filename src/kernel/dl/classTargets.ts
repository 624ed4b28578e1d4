// Class-index targets for NLLLoss and CrossEntropyLoss: an int32 tensor, a float tensor of
// whole numbers, or plain numbers. Each distinct tensor's values are checked once (a
// tensor never changes), so a training loop pays for the check only on its first step.
import * as tf from '@tensorflow/tfjs';
import { describeShape, typeName } from './inputs';

interface Range {
  min: number;
  max: number;
}

export class ClassTargets {
  private readonly checked = new WeakMap<tf.Tensor, Range>();

  constructor(private readonly what: string) {}

  /** An int32 tensor of class indices in [0, classes). Call inside a `tf.tidy`. */
  toIndices(target: unknown, classes: number): tf.Tensor {
    if (target instanceof tf.Tensor) {
      if (target.isDisposed) throw new Error(`${this.what}: the target is a disposed tensor`);
      let range = this.checked.get(target);
      if (!range) {
        range = rangeOf(target.dataSync() as ArrayLike<number>, this.what);
        this.checked.set(target, range);
      }
      this.checkRange(range, classes);
      return target.dtype === 'int32' ? target : tf.cast(target, 'int32');
    }
    if (typeof target === 'number' || Array.isArray(target)) {
      const flat = typeof target === 'number' ? [target] : (target.flat(Infinity) as unknown[]);
      if (!flat.every((v) => typeof v === 'number')) {
        throw new TypeError(`${this.what}: the target must hold class indices (numbers)`);
      }
      this.checkRange(rangeOf(flat as number[], this.what), classes);
      return tf.tensor(target as tf.TensorLike, undefined, 'int32');
    }
    throw new TypeError(`${this.what}: the target must be class indices (an int32 tensor or number[]), got ${typeName(target)}`);
  }

  private checkRange(range: Range, classes: number): void {
    if (range.min < 0 || range.max >= classes) {
      const bad = range.min < 0 ? range.min : range.max;
      throw new RangeError(`${this.what}: target class ${bad} is out of range for ${classes} classes (0 to ${classes - 1})`);
    }
  }
}

function rangeOf(values: ArrayLike<number>, what: string): Range {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) {
      throw new TypeError(`${what}: targets must be whole class indices, got ${v}`);
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * Moves the class dimension (dim 1, as in PyTorch) last and flattens the rest:
 * [N, C] stays, [N, C, d1, ...] becomes [N*d1*..., C], [C] becomes [1, C].
 * Returns the rows and the shape the per-element losses have (the target's shape).
 */
export function rowsByClass(input: tf.Tensor, what: string): { rows: tf.Tensor; elementShape: number[] } {
  if (input.rank === 0) throw new Error(`${what}: the input must have a class dimension, got a scalar`);
  if (input.rank === 1) return { rows: tf.reshape(input, [1, -1]), elementShape: [] };
  if (input.rank === 2) return { rows: input, elementShape: [input.shape[0]] };
  const order = [0, ...Array.from({ length: input.rank - 2 }, (_, i) => i + 2), 1];
  return {
    rows: tf.reshape(tf.transpose(input, order), [-1, input.shape[1] as number]),
    elementShape: [input.shape[0], ...input.shape.slice(2)],
  };
}

export function expectTargetShape(target: tf.Tensor, elementShape: number[], input: tf.Tensor, what: string): void {
  const ok = target.rank === elementShape.length && target.shape.every((d, i) => d === elementShape[i]);
  if (!ok) {
    throw new Error(
      `${what}: for an input of shape ${describeShape(input.shape)} the target must have shape ` +
        `${describeShape(elementShape)} (one class index per ${input.rank === 1 ? 'input' : 'row'}), ` +
        `got ${describeShape(target.shape)}`,
    );
  }
}
