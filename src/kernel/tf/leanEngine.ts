// Two methods of tfjs's engine that run for every op, without work that cannot change
// what they do.
//
// `runKernel` looks the kernel up only to say when it is missing, then `runKernelFunc`
// looks it up again: each lookup builds a string key, two per op. Ours goes straight to
// runKernelFunc, and looks the kernel up only when that throws, to give tfjs's message.
//
// `endScope` ends every op and every tidy. It collects the result's tensors with a walk
// and a fresh Set, then builds a Set of their ids to spare them from disposal. When the
// result is one tensor, as every op's is, ours compares ids instead: the same tensors
// disposed in the same order, the same one tracked in the parent scope. Any other result
// goes to tfjs's own.
import * as tf from '@tensorflow/tfjs';

interface Scope {
  id: number;
  track: tf.Tensor[];
}

interface TrackedTensor extends tf.Tensor {
  kept: boolean;
  scopeId: number;
}

interface EngineInternals {
  backendName: string | null;
  readonly backend: unknown;
  state: { activeScope: Scope | null; scopeStack: Scope[] };
  track(tensor: tf.Tensor): tf.Tensor;
  runKernelFunc(params: { kernelName: string; inputs: tf.NamedTensorMap; attrs?: tf.NamedAttrMap }): unknown;
  runKernel: RunKernel;
  endScope: EndScope;
}

type RunKernel = (this: EngineInternals, kernelName: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => unknown;
type EndScope = (this: EngineInternals, result?: tf.TensorContainer) => void;

// Read once: `tf.Tensor` is a getter on the Node build's namespace.
const { Tensor } = tf;

const runKernel: RunKernel = function (kernelName, inputs, attrs) {
  // The getter starts the backend when none has started yet (tfjs does the same).
  if (this.backendName == null) void this.backend;
  try {
    return this.runKernelFunc({ kernelName, inputs, attrs });
  } catch (error) {
    if (tf.getKernel(kernelName, this.backendName ?? '') === undefined) {
      throw new Error(`Kernel '${kernelName}' not registered for backend '${this.backendName}'`);
    }
    throw error;
  }
};

let stockEndScope: EndScope | undefined;

const endScope: EndScope = function (result) {
  if (!(result instanceof Tensor)) return stockEndScope!.call(this, result);
  const kept = result as TrackedTensor;
  const track = this.state.activeScope!.track as TrackedTensor[];
  for (let i = 0; i < track.length; i++) {
    const tensor = track[i];
    if (!tensor.kept && tensor.id !== kept.id) tensor.dispose();
  }
  const ended = this.state.scopeStack.pop()!;
  const stack = this.state.scopeStack;
  this.state.activeScope = stack.length === 0 ? null : stack[stack.length - 1];
  if (!kept.kept && kept.scopeId === ended.id) this.track(kept);
};

function engine(): EngineInternals {
  return tf.engine() as unknown as EngineInternals;
}

/** Puts both methods on the engine. Idempotent. */
export function registerLeanEngine(): void {
  if (stockEndScope) return;
  const internals = engine();
  stockEndScope = internals.endScope;
  internals.runKernel = runKernel;
  internals.endScope = endScope;
}

/** Puts tfjs's own back (benchmarks and tests compare both). */
export function unregisterLeanEngine(): void {
  if (!stockEndScope) return;
  const internals = engine() as Partial<EngineInternals>;
  delete internals.runKernel;
  delete internals.endScope;
  stockEndScope = undefined;
}
