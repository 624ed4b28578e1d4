// The layers of the lesson: Linear and Sequential. Activations are in activations.ts.
import * as tf from '@tensorflow/tfjs';
import { affine } from './kernels/affine';
import { describeShape, toFloatTensor, type TensorInput } from './inputs';
import { Module } from './module';
import { checkOptions } from './options';
import { Parameter } from './parameter';
import type { SeededRandom } from './random';

export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
}

/**
 * y = x W^T + b, like torch.nn.Linear: `weight` is [out, in], `bias` is [out]. Both start
 * uniform in ±1/sqrt(in), which is what PyTorch's kaiming-uniform init with a = sqrt(5)
 * gives for the weight and its fan-in rule gives for the bias.
 */
export class LinearLayer extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions,
    random: SeededRandom,
  ) {
    super();
    checkOptions('Linear(inFeatures, outFeatures, options)', options, ['bias']);
    for (const [name, value] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new TypeError(`Linear(inFeatures, outFeatures): ${name} must be a positive integer, got ${value}`);
      }
    }
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = parameterFrom(random.uniformTensor([outFeatures, inFeatures], -bound, bound));
    this.bias = options?.bias === false ? null : parameterFrom(random.uniformTensor([outFeatures], -bound, bound));
  }

  override forward(input: TensorInput): tf.Tensor {
    if (!(input instanceof tf.Tensor) || input.dtype !== 'float32') {
      return tf.tidy(() => this.forward(toFloatTensor(input, 'Linear.forward(input)')));
    }
    const inFeatures = input.shape[input.rank - 1];
    if (input.rank === 0 || inFeatures !== this.inFeatures) {
      throw new Error(
        `${this.toString()}: the input's last dimension must be ${this.inFeatures}, ` +
          `but the input has shape ${describeShape(input.shape)}`,
      );
    }
    if (input.rank === 2) return this.affine(input);
    // [in] and [..., in] inputs: flatten to a matrix and restore the leading dimensions.
    return tf.tidy(() => {
      const rows = this.affine(tf.reshape(input, [-1, this.inFeatures]));
      return tf.reshape(rows, [...input.shape.slice(0, -1), this.outFeatures]);
    });
  }

  private affine(matrix: tf.Tensor): tf.Tensor {
    return affine(matrix, this.weight.data, this.bias?.data ?? null);
  }

  protected override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** A parameter holding `initial`'s values; `initial` itself is released. */
function parameterFrom(initial: tf.Tensor): Parameter {
  const parameter = new Parameter(initial);
  initial.dispose();
  return parameter;
}

/** Runs modules one after another, like torch.nn.Sequential; children are named 0, 1, ... */
export class Sequential extends Module {
  // Children live in fields named "0", "1", ... so parameters are named `0.weight`.
  [index: number]: Module;
  declare readonly length: number;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((module, i) => {
      if (!(module instanceof Module)) {
        throw new TypeError(`Sequential: argument ${i} is not a dl.nn module`);
      }
      this[i] = module;
    });
    Object.defineProperty(this, 'length', { value: modules.length, enumerable: false });
  }

  override forward(input: TensorInput): tf.Tensor {
    let output = input as tf.Tensor;
    for (let i = 0; i < this.length; i++) output = this[i].forward(output);
    return output;
  }
}
