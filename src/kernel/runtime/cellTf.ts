// The `tf` cells see: tfjs's exports copied once into a plain object.
//
// A module namespace reads each export through a getter; cell code calls `tf.add`,
// `tf.matMul` and `tf.losses` on every step of a training loop, and a data property is
// what V8 loads fastest (see scripts/lib/tfjsExports.mjs for the kernel's own code).
// The values are tfjs's own, so `tf.Tensor`, `instanceof` and every function are the same.
import * as tf from '@tensorflow/tfjs';
import { inspect } from 'node:util';

export const cellTf: typeof tf = { ...tf };

// Shown as a module is in Jupyter (`<module 'torch' ...>`), not as its 500 exports and
// their values: a cell that ends in `tf`, or logs it, prints one line.
Object.defineProperty(cellTf, inspect.custom, { value: () => `[module @tensorflow/tfjs ${tf.version.tfjs}]` });

/** Whether a value is tfjs itself, as cells see it or as modules import it. */
export function isTfjs(value: unknown): boolean {
  return value === cellTf || value === (tf as object);
}
