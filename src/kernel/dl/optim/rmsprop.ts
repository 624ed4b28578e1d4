// torch.optim.RMSprop (1.13): a running average of squared gradients (optionally centred
// by the running mean), eps added after the square root, optional momentum.
import * as tf from '@tensorflow/tfjs';
import type { ParameterSource } from '../autograd';
import type { Parameter } from '../parameter';
import { checkOptions } from '../options';
import { checkNonNegative, Optimizer, runLabel, type OptimizerContext } from './optimizer';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  /** The run's name in Loss History; by default the settings, e.g. "RMSprop (lr 0.01, momentum 0.9)". */
  name?: string;
}

const RMSPROP_OPTIONS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'name'] as const;

export class RMSpropOptimizer extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;

  constructor(context: OptimizerContext, params: ParameterSource, options: RMSpropOptions = {}) {
    checkOptions('RMSprop(params, options)', options, RMSPROP_OPTIONS);
    const { lr = 0.01, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false } = options;
    const label = runLabel('RMSprop', lr, [
      ['alpha', alpha, 0.99],
      ['eps', eps, 1e-8],
      ['momentum', momentum, 0],
      ['centered', centered, false],
      ['weight decay', weightDecay, 0],
    ]);
    super(context, params, lr, label, options.name);
    checkNonNegative('RMSprop', 'alpha', alpha);
    checkNonNegative('RMSprop', 'eps', eps);
    checkNonNegative('RMSprop', 'weightDecay', weightDecay);
    checkNonNegative('RMSprop', 'momentum', momentum);
    this.alpha = alpha;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.momentum = momentum;
    this.centered = centered;
  }

  protected update(param: Parameter, grad: tf.Tensor, index: number): void {
    const g = this.withWeightDecay(param, grad, this.weightDecay);
    const squareAvg = this.decayed(this.getState('squareAvg', index), tf.square(g), this.alpha);
    this.setState('squareAvg', index, squareAvg);
    let variance = squareAvg;
    if (this.centered) {
      const gradAvg = this.decayed(this.getState('gradAvg', index), g, this.alpha);
      this.setState('gradAvg', index, gradAvg);
      variance = tf.sub(squareAvg, tf.square(gradAvg));
    }
    const avg = tf.add(tf.sqrt(variance), this.constant(this.eps));
    if (this.momentum > 0) {
      const previous = this.getState('momentumBuffer', index);
      const ratio = tf.div(g, avg);
      const momentum = this.constant(this.momentum);
      const buffer = previous ? tf.add(tf.mul(previous, momentum), ratio) : ratio;
      this.setState('momentumBuffer', index, buffer);
      param.data.assign(tf.sub(param.data, tf.mul(buffer, this.lrScalar())));
    } else {
      param.data.assign(tf.sub(param.data, tf.mul(tf.div(g, avg), this.lrScalar())));
    }
  }
}
