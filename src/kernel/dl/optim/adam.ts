// torch.optim.Adam (1.13): first and second moment estimates with bias corrections,
// denom = sqrt(v) / sqrt(1 - beta2^t) + eps, step size lr / (1 - beta1^t).
import * as tf from '@tensorflow/tfjs';
import type { ParameterSource } from '../autograd';
import type { Parameter } from '../parameter';
import { checkOptions } from '../options';
import { checkInRange, checkNonNegative, Optimizer, runLabel, type OptimizerContext } from './optimizer';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** The run's name in Loss History; by default the settings, e.g. "Adam (lr 0.01, betas 0.8/0.99)". */
  name?: string;
}

const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'name'] as const;

export class AdamOptimizer extends Optimizer {
  readonly betas: [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  /** Steps taken per parameter (a parameter without a gradient does not step). */
  private readonly steps: number[];

  constructor(context: OptimizerContext, params: ParameterSource, options: AdamOptions = {}) {
    checkOptions('Adam(params, options)', options, ADAM_OPTIONS);
    const { lr = 0.001, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = options;
    if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError('Adam: betas must be [beta1, beta2]');
    const label = runLabel('Adam', lr, [
      ['betas', betas, [0.9, 0.999]],
      ['eps', eps, 1e-8],
      ['weight decay', weightDecay, 0],
    ]);
    super(context, params, lr, label, options.name);
    checkInRange('Adam', 'betas[0]', betas[0], 0, 1);
    checkInRange('Adam', 'betas[1]', betas[1], 0, 1);
    checkNonNegative('Adam', 'eps', eps);
    checkNonNegative('Adam', 'weightDecay', weightDecay);
    this.betas = [betas[0], betas[1]];
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.steps = this.params.map(() => 0);
  }

  protected update(param: Parameter, grad: tf.Tensor, index: number): void {
    const [beta1, beta2] = this.betas;
    const step = ++this.steps[index];
    const g = this.withWeightDecay(param, grad, this.weightDecay);
    const m = this.decayed(this.getState('expAvg', index), g, beta1);
    const v = this.decayed(this.getState('expAvgSq', index), tf.square(g), beta2);
    this.setState('expAvg', index, m);
    this.setState('expAvgSq', index, v);
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    const denom = tf.add(tf.div(tf.sqrt(v), biasCorrection2Sqrt), this.constant(this.eps));
    const stepSize = this.lr / biasCorrection1;
    param.data.assign(tf.sub(param.data, tf.mul(tf.div(m, denom), stepSize)));
  }
}
