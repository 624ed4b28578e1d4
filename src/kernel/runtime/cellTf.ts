// The `tf` cells see: tfjs's exports copied once into a plain object.
//
// A module namespace reads each export through a getter; cell code calls `tf.add`,
// `tf.matMul` and `tf.losses` on every step of a training loop, and a data property is
// what V8 loads fastest (see scripts/lib/tfjsExports.mjs for the kernel's own code).
// The values are tfjs's own, so `tf.Tensor`, `instanceof` and every function are the same.
import * as tf from '@tensorflow/tfjs';

export const cellTf: typeof tf = { ...tf };

/** Whether a value is tfjs itself, as cells see it or as modules import it. */
export function isTfjs(value: unknown): boolean {
  return value === cellTf || value === (tf as object);
}
