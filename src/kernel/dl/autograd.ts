// `dl.backward`: PyTorch's `loss.backward()` on TensorFlow.js. tf records the forward
// pass inside the closure, differentiates it, and each parameter's gradient is added to
// its `.grad` (accumulated until `zeroGrad`, as in PyTorch). Everything else the step
// made is released; the loss comes back as a plain number.
import * as tf from '@tensorflow/tfjs';
import { asBackwardForward } from './fusedOps';
import { describeShape, typeName } from './inputs';
import type { Module } from './module';
import { Parameter, parameterList, parameterOf } from './parameter';

export type ParameterSource = Iterable<Parameter> | Module;

/** Counts `dl.backward` calls, so an optimizer can tell whether a loss is new. */
export class BackwardClock {
  private last = 0;

  next(): number {
    return ++this.last;
  }
}

export function createBackward(clock: BackwardClock) {
  /**
   * Runs `lossFn` (the forward pass and the loss), computes the gradient of the loss
   * with respect to `params` (default: every trainable parameter the loss uses), adds
   * it to each parameter's `.grad`, and returns the loss value.
   */
  return function backward(lossFn: () => tf.Tensor, params?: ParameterSource): number {
    if (typeof lossFn !== 'function') {
      // Unlike PyTorch, tf records the operations only inside a function it runs.
      throw new TypeError(
        `dl.backward needs a function that computes the loss, got ${typeName(lossFn)}: ` +
          'write dl.backward(() => criterion.forward(model.forward(x), y))',
      );
    }
    const targets =
      params === undefined ? allTrainableParameters() : parameterList('dl.backward', params).filter((p) => p.requiresGrad);
    if (targets.length === 0) {
      throw new Error('dl.backward: there are no trainable parameters to compute gradients for');
    }
    // An error inside lossFn (a shape mismatch, say) is held and rethrown after tf has
    // finished: thrown through tf.engine().gradients it would strand the tape's tensors.
    let failure: unknown = null;
    const guardedLoss = (): tf.Scalar => {
      try {
        return asBackwardForward(() => checkedLoss(lossFn));
      } catch (error) {
        failure = error;
        return tf.scalar(0);
      }
    };
    const { value, grads } = tf.engine().gradients(
      guardedLoss,
      targets.map((p) => p.data),
      undefined,
      true,
    );
    let loss: number;
    try {
      if (failure !== null) throw failure;
      if (grads.every((g) => g == null)) {
        throw new Error(
          'dl.backward: the loss does not depend on any parameter; compute it from the model inside the function you pass',
        );
      }
      loss = value.dataSync()[0];
    } catch (error) {
      tf.dispose([value, ...grads.filter((g): g is tf.Tensor => g != null)]);
      throw error;
    }
    value.dispose();
    const tick = clock.next();
    targets.forEach((param, i) => {
      const grad = grads[i];
      if (grad == null) return;
      accumulate(param, grad);
      param.lastLoss = loss;
      param.lastLossTick = tick;
    });
    return loss;
  };
}

function checkedLoss(lossFn: () => tf.Tensor): tf.Scalar {
  const loss = lossFn();
  if (!(loss instanceof tf.Tensor)) {
    throw new TypeError(`dl.backward: the function must return the loss as a tf.Tensor, got ${typeName(loss)}`);
  }
  if (loss.rank !== 0) {
    throw new Error(
      `dl.backward: the loss must be a scalar, got shape ${describeShape(loss.shape)} ` +
        "(use reduction 'mean' or 'sum', or tf.sum(...))",
    );
  }
  return loss as tf.Scalar;
}

function accumulate(param: Parameter, grad: tf.Tensor): void {
  if (param.grad === null || param.grad.isDisposed) {
    // Kept, so a surrounding tf.tidy does not release it.
    param.grad = tf.keep(grad);
    return;
  }
  const sum = tf.keep(tf.add(param.grad, grad));
  param.grad.dispose();
  grad.dispose();
  param.grad = sum;
}

function allTrainableParameters(): Parameter[] {
  const found: Parameter[] = [];
  const variables = tf.engine().registeredVariables;
  for (const name in variables) {
    const variable = variables[name];
    const param = variable.trainable ? parameterOf(variable) : undefined;
    if (param) found.push(param);
  }
  return found;
}

/** sum |w| over the parameters: add `lambda * dl.l1Penalty(...)` to a loss for L1 regularisation. */
export function l1Penalty(params: ParameterSource): tf.Scalar {
  return penalty('dl.l1Penalty', params, (w) => tf.sum(tf.abs(w)));
}

/** sum w^2 over the parameters: add `lambda * dl.l2Penalty(...)` to a loss for L2 regularisation. */
export function l2Penalty(params: ParameterSource): tf.Scalar {
  return penalty('dl.l2Penalty', params, (w) => tf.sum(tf.square(w)));
}

function penalty(what: string, params: ParameterSource, term: (w: tf.Tensor) => tf.Tensor): tf.Scalar {
  const list = parameterList(what, params);
  if (list.length === 0) throw new Error(`${what}: no parameters given`);
  return tf.tidy(() => tf.addN(list.map((p) => term(p.data))) as tf.Scalar);
}
