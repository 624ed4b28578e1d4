// Saving tensors for the backward pass without a kernel dispatch each.
//
// While tfjs records a gradient tape, every op clones the inputs and outputs its gradient
// will need (engine.saveTensorsForBackwardMode), so that the user may dispose the
// originals. Each clone is a full `Identity` dispatch plus a tape node of its own: 9 of the
// 27 dispatches of a step of the tutorial's regression in tf ops. With one tape recording
// (gradientDepth 1, every first-order gradient: `minimize`, `tf.grads`, `variableGrads`,
// `model.fit`), those tape nodes can never matter: a saved clone is read only by gradient
// functions, which run after the tape has stopped, so no path from an x to y goes through
// it. There a clone is made directly: one more reference to the same data (as the shared
// `Identity` in sharedIdentity.ts does), a new tensor object, no dispatch and no tape node.
// Nested gradients (gradientDepth > 1) keep tfjs's own clones, whose tape nodes carry the
// second derivative.
import * as tf from '@tensorflow/tfjs';
import { isWasmBackend } from './wasmBackend';

interface EngineInternals {
  state: { gradientDepth: number };
  backend: tf.KernelBackend;
  keep<T extends tf.Tensor>(tensor: T): T;
  makeTensorFromTensorInfo(info: tf.TensorInfo, backend?: tf.KernelBackend): tf.Tensor;
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
}

interface RefCounting {
  incRef(dataId: object): void;
}

type SaveTensors = EngineInternals['saveTensorsForBackwardMode'];

/** tfjs's own method, while ours is in place. */
let stock: SaveTensors | undefined;

function engineInternals(): EngineInternals {
  return tf.engine() as unknown as EngineInternals;
}

/** Makes saved tensors without dispatches on the wasm backend. Idempotent. */
export function registerDirectSavedTensors(): void {
  if (stock) return;
  const engine = engineInternals();
  const original = engine.saveTensorsForBackwardMode;
  stock = original;
  engine.saveTensorsForBackwardMode = function (this: EngineInternals, tensors: tf.Tensor[]) {
    const backend = this.backend;
    const direct = this.state.gradientDepth === 1 && isWasmBackend(backend) && tensors.every((t) => t.dtype !== 'string');
    if (!direct) return original.call(this, tensors);
    return tensors.map(sharedCopy);
  };
}

/**
 * A new tensor on `t`'s memory, kept (outside every scope) until whoever holds it disposes
 * it: one more reference to the data, no dispatch. Saved tensors are made this way here and
 * for the learning kit's kernels (dl/kernels/tapeSaves.ts).
 */
export function sharedCopy(t: tf.Tensor): tf.Tensor {
  const engine = engineInternals();
  const { backend } = engine;
  (backend as unknown as RefCounting).incRef(t.dataId);
  return engine.keep(engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }, backend));
}

/** Puts tfjs's own method back (benchmarks compare both). */
export function unregisterDirectSavedTensors(): void {
  if (!stock) return;
  // Ours is an own property of the engine; removing it uncovers tfjs's on the prototype.
  delete (engineInternals() as Partial<EngineInternals>).saveTensorsForBackwardMode;
  stock = undefined;
}

export function areDirectSavedTensorsRegistered(): boolean {
  return stock !== undefined;
}
