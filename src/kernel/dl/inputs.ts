// Turning what users pass (tensors or nested number arrays) into tensors, and the
// error messages for shapes that do not fit.
import * as tf from '@tensorflow/tfjs';

export type TensorInput = tf.Tensor | number | tf.TensorLike;

export function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A float32 tensor for `value`. Arrays become new tensors: call this inside a `tf.tidy`
 * so they are released.
 */
export function toFloatTensor(value: TensorInput, what: string): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new Error(`${what} is a disposed tensor`);
    return value.dtype === 'float32' ? value : tf.cast(value, 'float32');
  }
  if (typeof value === 'number' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    return tf.tensor(value as tf.TensorLike, undefined, 'float32');
  }
  throw new TypeError(`${what} must be a tf.Tensor or an array of numbers, got ${typeName(value)}`);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}
