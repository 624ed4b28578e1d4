// torch.optim.RMSprop (1.13): a running average of squared gradients (optionally centred
// by the running mean), eps added after the square root, optional momentum.
import * as tf from '@tensorflow/tfjs';
import type { ParameterSource } from '../autograd';
import type { Parameter } from '../parameter';
import { checkNonNegative, Optimizer, type OptimizerContext } from './optimizer';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

export class RMSpropOptimizer extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;

  constructor(context: OptimizerContext, params: ParameterSource, options: RMSpropOptions = {}) {
    super(context, params, options.lr ?? 0.01, 'RMSprop');
    const { alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false } = options;
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
