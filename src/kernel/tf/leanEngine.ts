// Three methods of tfjs's engine that run for every op, without work that cannot change
// what they do.
//
// `runKernel` looks the kernel up only to say when it is missing, then `runKernelFunc`
// looks it up again: each lookup builds a string key, two per op. Ours goes straight to
// runKernelFunc, and looks the kernel up only when that throws, to give tfjs's message.
//
// `runKernelFunc` runs every registered kernel through a bookkeeping wrapper written for
// all cases: five closures per op, a profiling check inside the run, and a kernel lookup
// that builds and hashes a new string key. Ours runs a registered kernel with the same
// steps in the same order (kernel depth, outputs made tensors, tensors saved for the
// gradient, the tape node), with the keys made once; when tfjs would profile, debug or
// count leaked tensors, or the op is a custom gradient's forward function, tfjs's own runs.
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

interface KernelParams {
  kernelName?: string;
  inputs: tf.NamedTensorMap;
  attrs?: tf.NamedAttrMap;
}

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType; rank?: number };

interface EngineInternals {
  backendName: string | null;
  readonly backend: unknown;
  ENV: { getBool(flag: string): boolean };
  state: { activeScope: Scope | null; scopeStack: Scope[]; profiling: boolean; kernelDepth: number };
  track(tensor: tf.Tensor): tf.Tensor;
  isTapeOn(): boolean;
  shouldCheckForMemLeaks(): boolean;
  makeTensorFromTensorInfo(info: TensorInfo): tf.Tensor;
  getTensorsForGradient(kernelName: string, inputs: tf.NamedTensorMap, outputs: tf.Tensor[]): tf.Tensor[];
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
  addTapeNode(
    kernelName: string,
    inputs: tf.NamedTensorMap,
    outputs: tf.Tensor[],
    gradient: null,
    saved: tf.Tensor[],
    attrs?: tf.NamedAttrMap,
  ): void;
  runKernelFunc: RunKernelFunc;
  runKernel: RunKernel;
  endScope: EndScope;
}

type RunKernelFunc = (this: EngineInternals, params: KernelParams) => unknown;

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

let stockRunKernelFunc: RunKernelFunc | undefined;

// tfjs's kernel registry, a Map keyed by "backend_kernel". Its getKernel builds that key
// on every op, and the Map hashes the new string each time: more than the rest of
// runKernelFunc put together in a profile of the tutorial's loop. The keys are made once
// here; the registry itself is read live, so kernels registered later are found.
let registry: Map<string, tf.KernelConfig> | undefined;
let keysBackend = '';
let keys = new Map<string, string>();

function registeredKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  if (registry === undefined) return tf.getKernel(kernelName, backendName);
  if (backendName !== keysBackend) {
    keys = new Map();
    keysBackend = backendName;
  }
  let key = keys.get(kernelName);
  if (key === undefined) keys.set(kernelName, (key = `${backendName}_${kernelName}`));
  return registry.get(key);
}

const runKernelFunc: RunKernelFunc = function (params) {
  const { kernelName, inputs, attrs } = params;
  if (kernelName == null || this.state.profiling || this.ENV.getBool('DEBUG') || this.shouldCheckForMemLeaks()) {
    return stockRunKernelFunc!.call(this, params);
  }
  const isTapeOn = this.isTapeOn();
  if (this.backendName == null) void this.backend;
  const kernel = registeredKernel(kernelName, this.backendName!);
  if (kernel == null) return stockRunKernelFunc!.call(this, params); // it throws tfjs's message
  let out: TensorInfo | TensorInfo[];
  let outputs: tf.Tensor[];
  let saved: tf.Tensor[] = [];
  this.state.kernelDepth++;
  try {
    out = kernel.kernelFunc({ inputs, attrs: attrs!, backend: this.backend as tf.KernelBackend }) as TensorInfo | TensorInfo[];
    const infos = Array.isArray(out) ? out : [out];
    outputs = new Array<tf.Tensor>(infos.length);
    for (let i = 0; i < infos.length; i++) {
      const info = infos[i];
      outputs[i] = info.rank != null ? (info as unknown as tf.Tensor) : this.makeTensorFromTensorInfo(info);
    }
    if (isTapeOn) saved = this.saveTensorsForBackwardMode(this.getTensorsForGradient(kernelName, inputs, outputs));
  } finally {
    this.state.kernelDepth--;
  }
  if (isTapeOn) this.addTapeNode(kernelName, inputs, outputs, null, saved, attrs);
  return Array.isArray(out) ? outputs : outputs[0];
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

/** Puts the three methods on the engine. Idempotent. */
export function registerLeanEngine(): void {
  if (stockEndScope) return;
  const internals = engine();
  stockEndScope = internals.endScope;
  stockRunKernelFunc = internals.runKernelFunc;
  registry = (globalThis as { _tfGlobals?: Map<string, unknown> })._tfGlobals?.get('kernelRegistry') as typeof registry;
  internals.runKernel = runKernel;
  internals.runKernelFunc = runKernelFunc;
  internals.endScope = endScope;
}

/** Puts tfjs's own back (benchmarks and tests compare both). */
export function unregisterLeanEngine(): void {
  if (!stockEndScope) return;
  const internals = engine() as Partial<EngineInternals>;
  delete internals.runKernel;
  delete internals.runKernelFunc;
  delete internals.endScope;
  stockEndScope = undefined;
  stockRunKernelFunc = undefined;
}
