// torch.optim.SGD (1.13): weight decay, momentum with dampening (the first step's buffer is
// the gradient itself), Nesterov momentum. On wasm and cpu each parameter's update is one
// pass of the kit's own (kernels/sgdStep.ts); other backends use tf's ops.
import * as tf from '@tensorflow/tfjs';
import type { ParameterSource } from '../autograd';
import { sgdStep } from '../kernels/sgdStep';
import type { Parameter } from '../parameter';
import { checkOptions } from '../options';
import { checkNonNegative, Optimizer, runLabel, type OptimizerContext } from './optimizer';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  /** The run's name in Loss History; by default the settings, e.g. "SGD (lr 0.1, momentum 0.9)". */
  name?: string;
}

const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'name'] as const;

export class SGDOptimizer extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;

  constructor(context: OptimizerContext, params: ParameterSource, options: SGDOptions) {
    checkOptions('SGD(params, options)', options, SGD_OPTIONS);
    if (options == null || options.lr === undefined) {
      throw new TypeError('SGD(params, { lr }): the learning rate lr is required, e.g. { lr: 0.01 }');
    }
    const { momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = options;
    const label = runLabel('SGD', options.lr, [
      ['momentum', momentum, 0],
      ['dampening', dampening, 0],
      ['nesterov', nesterov, false],
      ['weight decay', weightDecay, 0],
    ]);
    super(context, params, options.lr, label, options.name);
    checkNonNegative('SGD', 'momentum', momentum);
    checkNonNegative('SGD', 'weightDecay', weightDecay);
    checkNonNegative('SGD', 'dampening', dampening);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new Error('SGD: Nesterov momentum requires a momentum > 0 and zero dampening');
    }
    this.momentum = momentum;
    this.dampening = dampening;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
  }

  protected update(param: Parameter, grad: tf.Tensor, index: number): void {
    const { momentum, dampening, weightDecay, nesterov } = this;
    const buffer = this.getState('momentumBuffer', index);
    const stepped = sgdStep(param.data, grad, buffer, { lr: this.lr, momentum, dampening, weightDecay, nesterov });
    if (stepped === undefined) this.updateByOps(param, grad, index);
    else if (stepped.buffer) this.setState('momentumBuffer', index, stepped.buffer);
  }

  private updateByOps(param: Parameter, grad: tf.Tensor, index: number): void {
    let direction = this.withWeightDecay(param, grad, this.weightDecay);
    if (this.momentum !== 0) {
      // Made on the first step though used from the second, so later steps allocate nothing.
      const momentum = this.constant(this.momentum);
      const take = this.constant(1 - this.dampening);
      const previous = this.getState('momentumBuffer', index);
      const buffer = previous
        ? tf.add(tf.mul(previous, momentum), this.dampening !== 0 ? tf.mul(direction, take) : direction)
        : tf.clone(direction);
      this.setState('momentumBuffer', index, buffer);
      direction = this.nesterov ? tf.add(direction, tf.mul(buffer, momentum)) : buffer;
    }
    param.data.assign(tf.sub(param.data, tf.mul(direction, this.lrScalar())));
  }
}
