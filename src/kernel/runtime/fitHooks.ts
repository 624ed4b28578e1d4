// One place that wraps `model.fit` / `model.fitDataset` in the kernel, so several parts
// can add training callbacks without wrapping tfjs twice: the runtime adds an interrupt
// check (`stopTraining`), the panel adds loss recording. Also tracks the fits running now.
import * as tf from '@tensorflow/tfjs';

type CallbackArg = tf.CustomCallbackArgs | tf.Callback;

/** Gives callbacks for one fit call of `model`, or nothing. */
export type FitCallbackFactory = (model: tf.LayersModel, method: 'fit' | 'fitDataset') => CallbackArg | CallbackArg[] | undefined;

const factories: FitCallbackFactory[] = [];
const running = new Map<tf.LayersModel, Promise<unknown>>();
/** Marks fit args already augmented by an outer wrapper (Sequential delegates to an inner model). */
const HOOKED = Symbol('dlnb.fitHooked');
let installed = false;

/** Adds a factory consulted on every later fit call; returns a function that removes it. */
export function addFitCallbackFactory(factory: FitCallbackFactory): () => void {
  factories.push(factory);
  return () => {
    const index = factories.indexOf(factory);
    if (index >= 0) factories.splice(index, 1);
  };
}

/** Models whose fit is running now. */
export function runningFits(): tf.LayersModel[] {
  return [...running.keys()];
}

/** Asks every running fit to stop after its current batch, and waits until they have. */
export async function stopRunningFits(): Promise<void> {
  for (const model of running.keys()) model.stopTraining = true;
  await Promise.allSettled(running.values());
}

function isCallbackObject(value: unknown): value is tf.Callback {
  const candidate = value as { setModel?: unknown; setParams?: unknown };
  return typeof candidate?.setModel === 'function' && typeof candidate?.setParams === 'function';
}

/** The user's callbacks plus the factories', all as Callback objects (tfjs cannot mix kinds). */
function withHookCallbacks(
  model: tf.LayersModel,
  method: 'fit' | 'fitDataset',
  args: Record<string | symbol, unknown>,
): Record<string | symbol, unknown> {
  const given = args.callbacks == null ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  const added = factories.flatMap((factory) => {
    const made = factory(model, method);
    return made == null ? [] : Array.isArray(made) ? made : [made];
  });
  const yieldEvery = args.yieldEvery as ConstructorParameters<typeof tf.CustomCallback>[1];
  const callbacks = [...given, ...added].map((c) =>
    isCallbackObject(c) ? c : new tf.CustomCallback(c as tf.CustomCallbackArgs, yieldEvery),
  );
  return { ...args, callbacks, [HOOKED]: true };
}

function wrap(proto: object, method: 'fit' | 'fitDataset'): void {
  const target = proto as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = target[method];
  const argsIndex = method === 'fit' ? 2 : 1;
  target[method] = function (this: tf.LayersModel, ...params: unknown[]) {
    const args = (params[argsIndex] ?? {}) as Record<string | symbol, unknown>;
    if (args[HOOKED]) return original.apply(this, params);
    params[argsIndex] = withHookCallbacks(this, method, args);
    const result = original.apply(this, params);
    running.set(this, result);
    const forget = () => {
      if (running.get(this) === result) running.delete(this);
    };
    result.then(forget, forget);
    return result;
  };
}

/** `model.fit` with none of the factories' callbacks, and not counted as running: the kernel's own fits (the idle warm-up), which no panel records and no cell waits on. */
export function fitWithoutHooks(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, args: tf.ModelFitArgs): Promise<tf.History> {
  return model.fit(x, y, { ...args, [HOOKED]: true } as tf.ModelFitArgs);
}

/** Wraps the fit methods once per worker. */
export function installFitHooks(): void {
  if (installed) return;
  installed = true;
  for (const proto of [tf.LayersModel.prototype, tf.Sequential.prototype]) {
    wrap(proto, 'fit');
    wrap(proto, 'fitDataset');
  }
}
