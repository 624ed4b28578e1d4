// Duck-typed views of what a notebook's variables may hold: tfjs tensors and variables,
// tfjs LayersModels and their layers, and learning-kit modules. Duck-typed so the panel
// works with whichever copy of tfjs a cell used and does not depend on the kit's internals.

/** The parts of a tf.Tensor (or tf.Variable) the panel reads. */
export interface TensorLike {
  readonly shape: number[];
  readonly dtype: string;
  readonly size: number;
  readonly isDisposed: boolean;
  /** Identity of the tensor's data: a variable gets a new one on every `assign`. */
  readonly dataId: object;
  dataSync(): ArrayLike<number | string | boolean>;
}

export interface LayerLike {
  readonly name: string;
  readonly weights: unknown[];
  /** Present when the layer is itself a model (a nested Sequential). */
  readonly layers?: unknown[];
}

export interface ModelLike {
  readonly name: string;
  readonly layers: LayerLike[];
}

export interface ModuleLike {
  namedParameters(): Iterable<[string, unknown]>;
}

/** An object or a function: the kit's modules are callable. */
function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

export function isTensor(value: unknown): value is TensorLike {
  return (
    isObject(value) &&
    Array.isArray(value.shape) &&
    typeof value.dtype === 'string' &&
    typeof value.size === 'number' &&
    typeof value.dataSync === 'function' &&
    typeof value.isDisposed === 'boolean'
  );
}

/** A tf.Variable: a tensor that can be assigned. */
export function isVariable(value: unknown): boolean {
  return isTensor(value) && typeof (value as unknown as { assign?: unknown }).assign === 'function';
}

export function isModel(value: unknown): value is ModelLike {
  return (
    isObject(value) &&
    Array.isArray(value.layers) &&
    typeof value.predict === 'function' &&
    typeof value.getWeights === 'function'
  );
}

export function isModule(value: unknown): value is ModuleLike {
  return isObject(value) && typeof value.namedParameters === 'function';
}

/**
 * The tensor behind a layer weight (tfjs-layers' LayerVariable keeps it in `val`) or a
 * kit Parameter (in `data`); the value itself when it is already a tensor.
 */
export function underlyingTensor(value: unknown): TensorLike | undefined {
  if (isTensor(value)) return value;
  if (!isObject(value)) return undefined;
  if (isTensor(value.val)) return value.val;
  if (isTensor(value.data)) return value.data;
  return undefined;
}
