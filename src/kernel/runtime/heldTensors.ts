// Which tensors the notebook still holds: reachable from its top-level variables through
// objects, arrays, maps and sets (models, kit modules, optimizers, lists of tensors).
// A cell that keeps `const x = tf.ones([3])` has not leaked; a cell whose temporaries are
// reachable from nowhere has. The walk is bounded so a huge object graph costs little.
import * as tf from '@tensorflow/tfjs';
import { isTfjs } from './cellTf';

/** Objects visited at most per walk; past it, what was not reached counts as not held. */
const MAX_OBJECTS = 20_000;
const MAX_DEPTH = 8;

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

export interface HeldTensors {
  count: number;
  bytes: number;
  /** The tensors themselves, to tell which of a replaced value's tensors are still held. */
  tensors: ReadonlySet<tf.Tensor>;
}

/**
 * The tensors reachable from `userGlobals`. `existing` (tf.memory().numTensors) ends the
 * walk once every tensor is found: a notebook of thousands of cells and no tensors would
 * otherwise read all its variables twice per cell, a cost that grows with the square of
 * its length.
 */
export function heldTensors(userGlobals: Iterable<[string, unknown]>, existing = Infinity): HeldTensors {
  if (existing <= 0) return { count: 0, bytes: 0, tensors: new Set() };
  const tensors = reachableTensors(
    [...userGlobals].map(([, value]) => value),
    existing,
  );
  return { count: tensors.size, bytes: tensorBytes(tensors), tensors };
}

/** Bytes of the tensors' data. */
export function tensorBytes(tensors: Iterable<tf.Tensor>): number {
  let bytes = 0;
  for (const tensor of tensors) bytes += tensor.size * (BYTES_PER_ELEMENT[tensor.dtype] ?? 0);
  return bytes;
}

/** The live tensors reachable from `roots`; the walk stops once `existing` are found. */
export function reachableTensors(roots: unknown[], existing = Infinity): Set<tf.Tensor> {
  const seen = new Set<object>();
  const tensors = new Set<tf.Tensor>();
  let queue: unknown[] = roots;
  for (let depth = 0; depth <= MAX_DEPTH && queue.length > 0 && seen.size < MAX_OBJECTS; depth++) {
    const next: unknown[] = [];
    for (const value of queue) {
      // Functions too: a kit module is one (modules are callable), and holds its parameters.
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
      if (seen.size >= MAX_OBJECTS) break;
      seen.add(value);
      if (value instanceof tf.Tensor) {
        if (!value.isDisposed) tensors.add(value);
        if (tensors.size >= existing) break;
        continue;
      }
      if (isOpaque(value)) continue;
      collectChildren(value, next);
    }
    queue = tensors.size >= existing ? [] : next;
  }
  return tensors;
}

/** Objects whose insides are not the notebook's: tfjs itself, modules, typed arrays, DOM-like natives. */
function isOpaque(value: object): boolean {
  if (isTfjs(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  const tag = Object.prototype.toString.call(value);
  return tag === '[object Module]' || tag === '[object Promise]' || tag === '[object WeakMap]';
}

function collectChildren(value: object, into: unknown[]): void {
  if (value instanceof Map) {
    for (const [key, item] of value) into.push(key, item);
    return;
  }
  if (value instanceof Set) {
    for (const item of value) into.push(item);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) into.push(item);
    return;
  }
  // Own fields, including non-enumerable ones (tfjs keeps layer weights in such fields);
  // getters are not called, so walking never runs user code.
  for (const key of Object.getOwnPropertyNames(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) into.push(descriptor.value);
  }
}
