// Saving a kit kernel's inputs for its gradient without a kernel per saved tensor.
// tf saves what a registered gradient needs (its `inputsToSave`) by running an Identity
// kernel on each. On wasm that no longer copies (tf/sharedIdentity.ts), but each is still
// a full engine dispatch and tape node: three per tutorial step, about 15% of the step
// (measured against `inputsToSave`). So the kit's gradients are registered without
// saves; instead, right after the kernel has put its node on the tape, the node gets
// tensors that share the inputs' memory (the backend's reference count keeps it however
// the originals are released).
// tf disposes a node's saved tensors after the backward pass, as it does its own.
// This reads tf's tape (tfjs 4.22): a change there fails the kit's gradient tests.
import * as tf from '@tensorflow/tfjs';
import { sharedCopy } from '../../tf/savedTensors';
import { runKitKernel } from './backendMemory';

interface TapeNode {
  outputs: tf.Tensor[];
  saved: tf.Tensor[];
}

interface EngineState {
  gradientDepth: number;
  kernelDepth: number;
  activeTape: TapeNode[] | null;
}

interface EngineInternals {
  state: EngineState;
}

/**
 * Runs a kit kernel through the engine and, when tf is recording, saves the inputs
 * named in `save` (in that order) on its tape node for the kernel's gradient.
 */
export function runKernelSaving(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap,
  save: readonly string[],
): tf.Tensor[] {
  const engine = tf.engine() as unknown as EngineInternals;
  const { gradientDepth, kernelDepth } = engine.state;
  const outputs = runKitKernel(kernelName, inputs, attrs);
  if (gradientDepth === 0 || kernelDepth > 0) return outputs; // not recording
  const tape = engine.state.activeTape;
  const node = tape?.[tape.length - 1];
  if (node === undefined || node.outputs[0] !== outputs[0]) {
    throw new Error(`learning kit: the tape has no node for ${kernelName}; its gradient could not be saved`);
  }
  for (const name of save) node.saved.push(sharedCopy(inputs[name]));
  return outputs;
}
