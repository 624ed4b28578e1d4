// Activation modules, like torch.nn.ReLU / Sigmoid / Tanh / Softmax / LogSoftmax.
import * as tf from '@tensorflow/tfjs';
import { describeShape, toFloatTensor, type TensorInput } from './inputs';
import { Module } from './module';
import { checkOptions } from './options';

abstract class Activation extends Module {
  override forward(input: TensorInput): tf.Tensor {
    if (!(input instanceof tf.Tensor)) {
      return tf.tidy(() => this.activate(toFloatTensor(input, `${this.constructor.name}.forward(input)`)));
    }
    return this.activate(input);
  }

  protected abstract activate(input: tf.Tensor): tf.Tensor;
}

export class ReLU extends Activation {
  protected activate(input: tf.Tensor): tf.Tensor {
    return tf.relu(input);
  }
}

export class Sigmoid extends Activation {
  protected activate(input: tf.Tensor): tf.Tensor {
    return tf.sigmoid(input);
  }
}

export class Tanh extends Activation {
  protected activate(input: tf.Tensor): tf.Tensor {
    return tf.tanh(input);
  }
}

export interface DimOptions {
  /** The dimension that sums to one; negative counts from the end (default -1). */
  dim?: number;
}

/** log(softmax(x)) along `dim`, computed stably as x - logSumExp(x). */
export function logSoftmax(input: tf.Tensor, dim: number, what: string): tf.Tensor {
  const axis = checkedAxis(input, dim, what);
  // tf.logSoftmax (last axis only) has a hand-written gradient: far fewer kernels.
  if (axis === input.rank - 1) return tf.logSoftmax(input, axis);
  return tf.tidy(() => tf.sub(input, tf.logSumExp(input, axis, true)));
}

/** An activation applied along one dimension (`dim`, default the last). */
abstract class DimActivation extends Activation {
  readonly dim: number;

  constructor(options: DimOptions = {}) {
    super();
    checkOptions(`${this.constructor.name}(options)`, options, ['dim']);
    this.dim = options.dim ?? -1;
  }

  protected override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends DimActivation {
  protected activate(input: tf.Tensor): tf.Tensor {
    return logSoftmax(input, this.dim, 'LogSoftmax');
  }
}

export class Softmax extends DimActivation {
  protected activate(input: tf.Tensor): tf.Tensor {
    const axis = checkedAxis(input, this.dim, 'Softmax');
    // tf.softmax handles only the last axis.
    return axis === input.rank - 1 ? tf.softmax(input) : tf.tidy(() => tf.exp(logSoftmax(input, axis, 'Softmax')));
  }
}

function checkedAxis(input: tf.Tensor, dim: number, what: string): number {
  const rank = Math.max(input.rank, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new RangeError(
      `${what}: dim ${dim} is out of range for an input of shape ${describeShape(input.shape)} ` +
        `(expected ${-rank} to ${rank - 1})`,
    );
  }
  return dim < 0 ? dim + input.rank : dim;
}
