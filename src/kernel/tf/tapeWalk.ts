// tfjs's `engine.gradients` with its tape walk on Maps and Sets.
//
// Every gradient (`minimize`, `tf.grads`, `variableGrads`, `model.fit`, the kit's
// `dl.backward`) filters the tape to the nodes between x and y, then walks it backward.
// tfjs does both with plain objects keyed by tensor id: ids grow without bound, so those
// objects fall into V8's slow dictionary elements, four of them per gradient plus a copy of
// every node; in the tutorial's loop that filter alone cost about 4 µs a step. This is the
// same algorithm (a port of tfjs-core's tape.ts and Engine.gradients, Apache-2.0), the
// same checks and messages, the same order of operations, so the same results; only the
// bookkeeping differs.
import * as tf from '@tensorflow/tfjs';

interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T;
  gradients: Gradients;
}

type Gradients = (
  f: () => tf.Tensor,
  xs: tf.Tensor[],
  dy?: tf.Tensor,
  allowNoGradients?: boolean,
) => { value: tf.Tensor; grads: (tf.Tensor | undefined)[] };

/**
 * Tensor ids: an array scanned while there are few, a Set past that. A training step's tape
 * holds a few dozen ids, and for those a scan costs half what a Set's hashing does.
 */
class IdSet {
  private static readonly SCANNED = 32;
  private readonly list: number[] = [];
  private set: Set<number> | undefined;

  add(id: number): void {
    if (this.set) this.set.add(id);
    else if (this.list.push(id) > IdSet.SCANNED) this.set = new Set(this.list);
  }

  has(id: number): boolean {
    if (this.set) return this.set.has(id);
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i] === id) return true;
    return false;
  }
}

/** The nodes on a path from an x to y, in tape order, with inputs not from an x left out. */
export function filterTape(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  // Which nodes are on the path, as flags by tape position, and ids in IdSets: four Sets
  // and a closure per node were most of this function's time, which was about a tenth of a
  // small training step. Each node's input names are read once, with Object.keys: a
  // for-in reads its values through a lookup specialised on the object's shape, and
  // the inputs of different kernels have different shapes, so V8 kept discarding the
  // optimized code of this function (eight times in the first run of a kit loop, traced).
  const FROM_X = 1;
  const TO_Y = 2;
  const onPath = new Uint8Array(tape.length);
  const names: string[][] = new Array(tape.length);
  const fromX = new IdSet();
  for (const x of xs) fromX.add(x.id);
  for (let i = 0; i < tape.length; i++) {
    const node = tape[i];
    const inputNames = (names[i] = Object.keys(node.inputs));
    for (const inputName of inputNames) {
      if (fromX.has(node.inputs[inputName].id)) {
        for (const output of node.outputs) fromX.add(output.id);
        onPath[i] = FROM_X;
        break;
      }
    }
  }
  const leadToY = new IdSet();
  leadToY.add(y.id);
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    let leads = false;
    for (const output of node.outputs) {
      if (leadToY.has(output.id)) {
        leads = true;
        break;
      }
    }
    if (!leads) continue;
    for (const inputName of names[i]) leadToY.add(node.inputs[inputName].id);
    onPath[i] |= TO_Y;
  }
  const filtered: TapeNode[] = [];
  for (let i = 0; i < tape.length; i++) {
    if (onPath[i] !== (FROM_X | TO_Y)) continue;
    const node = tape[i];
    const inputs: Record<string, tf.Tensor> = {};
    for (const inputName of names[i]) {
      const input = node.inputs[inputName];
      if (fromX.has(input.id)) inputs[inputName] = input;
    }
    // The node's own fields, spelled out: one object shape for every copy.
    const { id, kernelName, outputs, gradient, saved } = node;
    filtered.push({ id, kernelName, inputs, outputs, gradient, saved });
  }
  return filtered;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

function backpropagate(gradientOf: Map<number, tf.Tensor>, tape: TapeNode[], tidy: EngineInternals['tidy']): void {
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    const dys = node.outputs.map((output) => gradientOf.get(output.id) ?? null);
    if (node.gradient == null) {
      throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    }
    const inputGradients = node.gradient(dys);
    // Object.keys, not for-in, for the reason given in filterTape.
    for (const inputName of Object.keys(node.inputs)) {
      if (!(inputName in inputGradients)) {
        throw new Error(`Cannot backprop through input ${inputName}. Available gradients found: ${Object.keys(inputGradients)}.`);
      }
      const dx = tidy(() => inputGradients[inputName]());
      if (dx.dtype !== 'float32') {
        throw new Error(
          `Error in gradient for op ${node.kernelName}. The gradient of input ${inputName} must have 'float32' dtype, but has '${dx.dtype}'`,
        );
      }
      const x = node.inputs[inputName];
      if (!sameShape(dx.shape, x.shape)) {
        throw new Error(
          `Error in gradient for op ${node.kernelName}. The gradient of input '${inputName}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`,
        );
      }
      const current = gradientOf.get(x.id);
      if (current == null) {
        gradientOf.set(x.id, dx);
      } else {
        gradientOf.set(x.id, tf.add(current, dx));
        current.dispose();
      }
    }
  }
}

const gradients: Gradients = function (this: EngineInternals, f, xs, dy, allowNoGradients = false) {
  tf.util.assert(xs.length > 0, () => 'gradients() received an empty list of xs.');
  if (dy != null && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
  const y = this.scopedRun(
    () => this.startTape(),
    () => this.endTape(),
    () => this.tidy('forward', f),
  );
  tf.util.assert(y instanceof tf.Tensor, () => 'The result y returned by f() must be a tensor.');
  const tape = filterTape(this.state.activeTape ?? [], xs, y);
  if (!allowNoGradients && tape.length === 0 && xs.length > 0) {
    throw new Error(
      'Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.',
    );
  }
  // The tidy returns [y, ...grads], an array, where tfjs returns { value, grads }. tidy
  // walks its result with a for-in; on V8 13.6 (VS Code's runtime) Maglev's code for that
  // walk, specialised on the object's map, fell back on the array inside it on every step
  // and was rebuilt again and again (over 100 times in a few runs of the tutorial's loop,
  // which ran a third slower until TurboFan took over, about its fifth run). Over arrays
  // alone a for-in takes the generic path, which never falls back.
  const [value, ...grads] = this.tidy('backward', () => {
    const gradientOf = new Map<number, tf.Tensor>([[y.id, dy ?? tf.ones(y.shape)]]);
    backpropagate(gradientOf, tape, (fn) => this.tidy(fn));
    const computed = xs.map((x) => gradientOf.get(x.id));
    if (this.state.gradientDepth === 0) {
      // Not inside an outer gradient: the tape and what it saved are done with.
      for (const node of this.state.activeTape ?? []) for (const tensor of node.saved ?? []) tensor.dispose();
      this.state.activeTape = null;
    }
    return [y, ...computed] as tf.Tensor[];
  });
  return { value, grads } as unknown as ReturnType<Gradients>;
};

let installed = false;

/** Replaces the engine's `gradients` with this one. Idempotent. */
export function registerTapeWalk(): void {
  if (installed) return;
  (tf.engine() as unknown as EngineInternals).gradients = gradients;
  installed = true;
}

/** Puts tfjs's own back (benchmarks and tests compare both). */
export function unregisterTapeWalk(): void {
  if (!installed) return;
  delete (tf.engine() as unknown as Partial<EngineInternals>).gradients;
  installed = false;
}
