// The learning kit `dl`: PyTorch's names for the lesson's pieces on TensorFlow.js. One kit
// per kernel: its random generator and its optimizers' Loss History runs belong to it.
//
//   dl.manualSeed(n)  dl.rand(...shape)  dl.randn(...shape)  dl.randperm(n)
//   dl.backward(() => loss, params?) -> number     dl.l1Penalty(params)  dl.l2Penalty(params)
//   dl.nn: Module, Parameter, Linear, Sequential, ReLU, Sigmoid, Tanh, Softmax, LogSoftmax,
//          L1Loss, MSELoss, NLLLoss, CrossEntropyLoss, BCELoss
//   dl.optim: SGD, RMSprop, Adam (zeroGrad, step, lr, dispose; a `name` option names the run)
// Modules are callable (`model(x)`), options are checked (options.ts), and calling a
// class without `new` says what to write (kitClass.ts).
import type * as tf from '@tensorflow/tfjs';
import type { LossHistory } from '../panel/lossHistory';
import { LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './activations';
import { BackwardClock, createBackward, l1Penalty, l2Penalty, type ParameterSource } from './autograd';
import { LinearLayer, Sequential, type LinearOptions } from './layers';
import { BCELoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss } from './losses';
import { kitClass } from './kitClass';
import { Module } from './module';
import { AdamOptimizer, type AdamOptions } from './optim/adam';
import type { OptimizerContext } from './optim/optimizer';
import { RMSpropOptimizer, type RMSpropOptions } from './optim/rmsprop';
import { SGDOptimizer, type SGDOptions } from './optim/sgd';
import { Parameter } from './parameter';
import { SeededRandom, shapeFromArgs } from './random';

// The classes a kit binds to its random generator and Loss History are made inside
// createLearningKit; these names give them a public type the editor's declarations can
// spell (an anonymous class type with private members cannot be declared).
/** A fully connected layer, y = x·Wᵀ + b, as torch.nn.Linear. */
export interface Linear extends LinearLayer {}
/** Stochastic gradient descent, with momentum and weight decay, as torch.optim.SGD. */
export interface SGD extends SGDOptimizer {}
/** RMSprop, as torch.optim.RMSprop. */
export interface RMSprop extends RMSpropOptimizer {}
/** Adam, as torch.optim.Adam. */
export interface Adam extends AdamOptimizer {}

export interface KitConstructors {
  Linear: new (inFeatures: number, outFeatures: number, options?: LinearOptions) => Linear;
  SGD: new (params: ParameterSource, options: SGDOptions) => SGD;
  RMSprop: new (params: ParameterSource, options?: RMSpropOptions) => RMSprop;
  Adam: new (params: ParameterSource, options?: AdamOptions) => Adam;
}

export interface LearningKitDeps {
  history: LossHistory;
}

export function createLearningKit(deps: LearningKitDeps) {
  const random = new SeededRandom();
  const runNumbers = new Map<string, number>();
  const optimizerContext: OptimizerContext = {
    history: deps.history,
    runNumber(label) {
      const n = (runNumbers.get(label) ?? 0) + 1;
      runNumbers.set(label, n);
      return n;
    },
  };

  // The classes users construct, bound to this kit's random generator and Loss History.
  class Linear extends LinearLayer {
    constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
      super(inFeatures, outFeatures, options, random);
    }
  }
  class SGD extends SGDOptimizer {
    constructor(params: ParameterSource, options: SGDOptions) {
      super(optimizerContext, params, options);
    }
  }
  class RMSprop extends RMSpropOptimizer {
    constructor(params: ParameterSource, options: RMSpropOptions = {}) {
      super(optimizerContext, params, options);
    }
  }
  class Adam extends AdamOptimizer {
    constructor(params: ParameterSource, options: AdamOptions = {}) {
      super(optimizerContext, params, options);
    }
  }

  const bound: KitConstructors = { Linear, SGD, RMSprop, Adam };

  return {
    /** Seeds Linear's initialisation and dl.rand / dl.randn, like torch.manual_seed. */
    manualSeed(seed: number): void {
      random.seed(seed);
    },
    /** Uniform [0, 1) values: dl.rand(256, 1) or dl.rand([256, 1]). */
    rand(...shape: Array<number | number[]>): tf.Tensor {
      return random.uniformTensor(shapeFromArgs('dl.rand', shape));
    },
    /** Standard normal values: dl.randn(256, 1) or dl.randn([256, 1]). */
    randn(...shape: Array<number | number[]>): tf.Tensor {
      return random.normalTensor(shapeFromArgs('dl.randn', shape));
    },
    /** 0 to n-1 in a random order, for shuffling batches each epoch: dl.randperm(256). */
    randperm(n: number): tf.Tensor1D {
      if (!Number.isInteger(n) || n < 0) throw new TypeError(`dl.randperm(n): n must be a non-negative integer, got ${n}`);
      return random.permutationTensor(n);
    },
    backward: createBackward(new BackwardClock()),
    l1Penalty,
    l2Penalty,
    nn: {
      Module: kitClass('dl.nn.Module', Module),
      Parameter: kitClass('dl.nn.Parameter', Parameter),
      Linear: kitClass('dl.nn.Linear', bound.Linear),
      Sequential: kitClass('dl.nn.Sequential', Sequential),
      ReLU: kitClass('dl.nn.ReLU', ReLU),
      Sigmoid: kitClass('dl.nn.Sigmoid', Sigmoid),
      Tanh: kitClass('dl.nn.Tanh', Tanh),
      Softmax: kitClass('dl.nn.Softmax', Softmax),
      LogSoftmax: kitClass('dl.nn.LogSoftmax', LogSoftmax),
      L1Loss: kitClass('dl.nn.L1Loss', L1Loss),
      MSELoss: kitClass('dl.nn.MSELoss', MSELoss),
      NLLLoss: kitClass('dl.nn.NLLLoss', NLLLoss),
      CrossEntropyLoss: kitClass('dl.nn.CrossEntropyLoss', CrossEntropyLoss),
      BCELoss: kitClass('dl.nn.BCELoss', BCELoss),
    },
    optim: {
      SGD: kitClass('dl.optim.SGD', bound.SGD),
      RMSprop: kitClass('dl.optim.RMSprop', bound.RMSprop),
      Adam: kitClass('dl.optim.Adam', bound.Adam),
    },
  };
}

export type LearningKit = ReturnType<typeof createLearningKit>;
