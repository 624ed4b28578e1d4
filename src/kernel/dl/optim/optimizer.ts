// What every optimizer shares: the parameter list, `zeroGrad`, `step` (one tf.tidy around
// the per-parameter updates, done in place with `assign`), per-parameter state kept as
// tensors, and a Loss History run that records the loss of each step.
import * as tf from '@tensorflow/tfjs';
import type { LossHistory, RunRecorder } from '../../panel/lossHistory';
import type { ParameterSource } from '../autograd';
import { Parameter, parameterList } from '../parameter';

export interface OptimizerContext {
  history: LossHistory;
  /** Counts the runs of one name: 1 for "SGD (lr 0.01)", 2 for the next run of that name, ... */
  runNumber(label: string): number;
}

export abstract class Optimizer {
  readonly params: Parameter[];
  protected readonly run: RunRecorder;
  private learningRate: number;
  private lrTensor: tf.Scalar | null = null;
  private recordedTick = 0;
  /** Tensors held between steps (momentum buffers, running averages), by name and parameter. */
  private readonly state = new Map<string, Array<tf.Tensor | null>>();
  private readonly cancelListeners: Array<() => void>;
  private readonly constants = new Map<number, tf.Scalar>();

  /**
   * `label` names the Loss History run, e.g. "SGD (lr 0.1, momentum 0.9)" from runLabel;
   * a `name` the user gave replaces it.
   */
  protected constructor(context: OptimizerContext, params: ParameterSource, lr: number, label: string, name?: string) {
    const what = `${new.target.name}(params, options)`;
    this.params = parameterList(what, params);
    if (this.params.length === 0) throw new Error(`${what}: got an empty parameter list`);
    checkNonNegative(what, 'lr', lr);
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
      throw new TypeError(`${what}: name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    this.learningRate = lr;
    // Default names are numbered from #1, since several runs share them; a chosen name
    // reads as written, and only a second run of the same name gets "#2".
    const runName = name === undefined ? `${label} #${context.runNumber(label)}` : numberedName(name, context);
    this.run = context.history.startRun(runName, 'optimizer');
    // Disposing a model releases what its optimizers hold for it, so a notebook that
    // disposes its models leaks nothing even if it never disposes the optimizers.
    this.cancelListeners = this.params.map((param, index) => param.onDispose(() => this.release(index)));
  }

  /** The learning rate; set it to change the rate for the following steps. */
  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    checkNonNegative(`${this.constructor.name}.lr`, 'lr', value);
    this.learningRate = value;
    this.lrTensor?.dispose();
    this.lrTensor = null;
  }

  /** Clears each parameter's gradient (sets it to null, as PyTorch 2's default does). */
  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Updates every parameter that has a gradient, then records the step's loss. */
  step(): void {
    tf.tidy(() => {
      this.params.forEach((param, index) => {
        if (param.grad && !param.grad.isDisposed && !param.isDisposed) this.update(param, param.grad, index);
      });
    });
    this.recordLoss();
  }

  /** Releases the optimizer's state tensors. The parameters stay. */
  dispose(): void {
    for (const slots of this.state.values()) tf.dispose(slots.filter((t): t is tf.Tensor => t !== null));
    this.state.clear();
    this.lrTensor?.dispose();
    this.lrTensor = null;
    tf.dispose([...this.constants.values()]);
    this.constants.clear();
    for (const cancel of this.cancelListeners) cancel();
  }

  /** Drops the state of a disposed parameter; once all are gone, the rest too. */
  private release(index: number): void {
    for (const slots of this.state.values()) {
      slots[index]?.dispose();
      slots[index] = null;
    }
    if (this.params.every((p) => p.isDisposed)) this.dispose();
  }

  /** Computes and assigns the new value of one parameter. Runs inside a tf.tidy. */
  protected abstract update(param: Parameter, grad: tf.Tensor, index: number): void;

  /** The learning rate as a tensor, made once and reused by every step. */
  protected lrScalar(): tf.Scalar {
    if (!this.lrTensor) this.lrTensor = tf.keep(tf.scalar(this.learningRate));
    return this.lrTensor;
  }

  /**
   * A fixed setting (momentum, betas, eps, ...) as a tensor made once: `tf.mul(x, 0.9)`
   * would upload a new scalar on every step.
   */
  protected constant(value: number): tf.Scalar {
    let scalar = this.constants.get(value);
    if (!scalar) this.constants.set(value, (scalar = tf.keep(tf.scalar(value))));
    return scalar;
  }

  /** L2 weight decay as PyTorch applies it: the gradient plus weightDecay times the parameter. */
  protected withWeightDecay(param: Parameter, grad: tf.Tensor, weightDecay: number): tf.Tensor {
    return weightDecay !== 0 ? tf.add(grad, tf.mul(param.data, this.constant(weightDecay))) : grad;
  }

  /** A running average: decay * previous + (1 - decay) * value, from zero as PyTorch's state starts. */
  protected decayed(previous: tf.Tensor | null, value: tf.Tensor, decay: number): tf.Tensor {
    const [keep, take] = [this.constant(decay), this.constant(1 - decay)]; // both from the first step on
    const fresh = tf.mul(value, take);
    return previous ? tf.add(tf.mul(previous, keep), fresh) : fresh;
  }

  protected getState(name: string, index: number): tf.Tensor | null {
    return this.state.get(name)?.[index] ?? null;
  }

  /** Keeps `value` as the new state, releasing the previous one. Call inside `update`. */
  protected setState(name: string, index: number, value: tf.Tensor): void {
    let slots = this.state.get(name);
    if (!slots) this.state.set(name, (slots = this.params.map(() => null)));
    const previous = slots[index];
    slots[index] = tf.keep(value);
    if (previous && previous !== value) previous.dispose();
  }

  private recordLoss(): void {
    let tick = this.recordedTick;
    let loss = NaN;
    for (const p of this.params) {
      if (p.lastLossTick > tick) {
        tick = p.lastLossTick;
        loss = p.lastLoss;
      }
    }
    if (tick === this.recordedTick) return; // no new dl.backward since the last step
    this.recordedTick = tick;
    this.run.record(loss);
  }

  toString(): string {
    return `${this.constructor.name} (${this.params.length} parameters, lr ${this.lr})`;
  }
}

function numberedName(name: string, context: OptimizerContext): string {
  const n = context.runNumber(name);
  return n === 1 ? name : `${name} #${n}`;
}

/** A setting that goes into a run's default name when it is not the default. */
export type RunSetting = [label: string, value: number | boolean | number[], defaultValue: number | boolean | number[]];

/**
 * The default name of a run: the optimizer, its rate and each setting that differs from
 * the default, e.g. "SGD (lr 0.1, momentum 0.9)", "Adam (lr 0.01, betas 0.8/0.99)".
 */
export function runLabel(kind: string, lr: number, settings: RunSetting[]): string {
  const parts = [`lr ${lr}`];
  for (const [label, value, defaultValue] of settings) {
    if (String(value) === String(defaultValue)) continue;
    if (typeof value === 'boolean') parts.push(value ? label : `no ${label}`);
    else parts.push(`${label} ${Array.isArray(value) ? value.join('/') : value}`);
  }
  return `${kind} (${parts.join(', ')})`;
}

export function checkNonNegative(what: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new RangeError(`${what}: ${name} must be a number >= 0, got ${value}`);
  }
}

export function checkInRange(what: string, name: string, value: number, low: number, high: number): void {
  if (typeof value !== 'number' || !(value >= low && value < high)) {
    throw new RangeError(`${what}: ${name} must be in [${low}, ${high}), got ${value}`);
  }
}
