// A trainable tensor, like torch.nn.Parameter: the value lives in a tf.Variable (`data`),
// and `dl.backward` accumulates the gradient into `grad` until an optimizer's `zeroGrad`.
import * as tf from '@tensorflow/tfjs';
import { describeShape } from './inputs';

/** Links each parameter's variable back to it, so `dl.backward()` can find them all. */
const parameterOfVariable = new WeakMap<tf.Variable, Parameter>();

export function parameterOf(variable: tf.Variable): Parameter | undefined {
  return parameterOfVariable.get(variable);
}

export class Parameter {
  readonly data: tf.Variable;
  /** The accumulated gradient, or null until `dl.backward` computes one. */
  grad: tf.Tensor | null = null;
  /** The loss of the `dl.backward` call that last wrote `grad`, and its sequence number (for the optimizers' Loss History runs). */
  lastLoss = NaN;
  lastLossTick = 0;
  private readonly disposeListeners = new Set<() => void>();

  constructor(value: tf.Tensor | tf.Variable | tf.TensorLike) {
    const initial = value instanceof tf.Tensor ? value : tf.tensor(value as tf.TensorLike, undefined, 'float32');
    if (initial.dtype !== 'float32') {
      throw new TypeError(`Parameter: values must be float32 to be trained, got ${initial.dtype}`);
    }
    // Keep a given variable as it is (the caller owns it); copy anything else into a new one.
    this.data = initial instanceof tf.Variable ? initial : tf.keep(tf.variable(initial, true));
    if (initial !== value) initial.dispose();
    parameterOfVariable.set(this.data, this);
  }

  get shape(): number[] {
    return this.data.shape;
  }

  get size(): number {
    return this.data.size;
  }

  /** False freezes the parameter: `dl.backward` leaves it without a gradient. */
  get requiresGrad(): boolean {
    return this.data.trainable;
  }

  set requiresGrad(value: boolean) {
    this.data.trainable = value;
  }

  /** The single value of a one-element parameter, like `tensor.item()`. */
  item(): number {
    if (this.data.size !== 1) {
      throw new Error(
        `item(): a parameter of shape ${describeShape(this.shape)} has ${this.data.size} values; ` +
          'item() needs exactly one (use values() or toArray())',
      );
    }
    return this.data.dataSync()[0];
  }

  /** All values, flat, in row-major order. */
  values(): number[] {
    return Array.from(this.data.dataSync());
  }

  /** The values nested by shape, like `tensor.tolist()`. */
  toArray(): unknown {
    return this.data.arraySync();
  }

  /** Replaces the values in place (the shape must stay), e.g. to set a known start. */
  set(values: tf.Tensor | tf.TensorLike): void {
    tf.tidy(() => {
      const next = values instanceof tf.Tensor ? values : tf.tensor(values as tf.TensorLike, undefined, 'float32');
      if (next.size !== this.data.size) {
        throw new Error(`Parameter.set: got ${next.size} values for a parameter of shape ${describeShape(this.shape)}`);
      }
      this.data.assign(tf.reshape(tf.cast(next, 'float32'), this.shape));
    });
  }

  /** Releases the variable and the gradient, and tells the optimizers holding state for it. */
  dispose(): void {
    this.grad?.dispose();
    this.grad = null;
    this.data.dispose();
    const listeners = [...this.disposeListeners];
    this.disposeListeners.clear();
    for (const listener of listeners) listener();
  }

  get isDisposed(): boolean {
    return this.data.isDisposed;
  }

  /** Calls `listener` once when the parameter is disposed; returns a function that cancels it. */
  onDispose(listener: () => void): () => void {
    this.disposeListeners.add(listener);
    return () => this.disposeListeners.delete(listener);
  }

  toString(): string {
    return `Parameter containing:\n${this.data.toString().replace(/^Tensor\n/, '')}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Accepts parameters as an array, any iterable, or a module (its `parameters()`). */
export function parameterList(what: string, params: Iterable<Parameter> | { parameters(): Parameter[] }): Parameter[] {
  const source = isParameterSource(params) ? params.parameters() : params;
  if (source == null || typeof (source as Iterable<Parameter>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what}: expected parameters (e.g. model.parameters()), got ${String(params)}`);
  }
  const list = [...new Set(source as Iterable<Parameter>)];
  list.forEach((p, i) => {
    if (!(p instanceof Parameter)) {
      throw new TypeError(`${what}: item ${i} is not a dl.nn.Parameter (pass model.parameters())`);
    }
  });
  return list;
}

function isParameterSource(value: unknown): value is { parameters(): Parameter[] } {
  // A module is a function (modules are callable, module.ts).
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { parameters?: unknown }).parameters === 'function'
  );
}
