// tf.train.adam and tf.train.sgd with the one-pass steps on wasm must train exactly as
// tfjs's own do (same values, same state and weight names), leak nothing, and step aside
// where they do not apply.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerFastAdam, unregisterFastAdam } from '../../src/kernel/tf/fastAdam';
import { registerFastSgd, unregisterFastSgd } from '../../src/kernel/tf/fastSgd';

const SHAPES = [[37, 5], [5], [3, 4, 2], [1]];

/** Variables and per-step gradients, the same values for every call. */
function problem(seed: number) {
  const variables = SHAPES.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', seed + i)));
  const gradients = (step: number) =>
    SHAPES.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', seed * 100 + step * 10 + i));
  return { variables, gradients };
}

/** Trains `steps` steps and returns the variables' values and the optimizer's weights. */
async function train(fast: boolean, steps: number, asMap: boolean) {
  if (fast) registerFastAdam();
  else unregisterFastAdam();
  const { variables, gradients } = problem(7);
  const adam = tf.train.adam(0.05, 0.8, 0.95, 1e-6);
  for (let step = 0; step < steps; step++) {
    const grads = gradients(step);
    if (asMap) {
      const map: tf.NamedTensorMap = {};
      // The last variable has no gradient on odd steps: it must be left alone then.
      variables.forEach((v, i) => (i < 3 || step % 2 === 0 ? (map[v.name] = grads[i]) : undefined));
      adam.applyGradients(map as Parameters<typeof adam.applyGradients>[0]);
    } else {
      adam.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    }
    tf.dispose(grads);
  }
  const values = variables.map((v) => Array.from(v.dataSync()));
  const weights = await adam.getWeights();
  const state = weights.map((w) => ({
    name: w.name.replace(/^.*?(\/[mv])?$/, (_, s) => s ?? ''),
    values: Array.from(w.tensor.dataSync()),
  }));
  adam.dispose();
  tf.dispose(variables);
  registerFastAdam();
  return { values, state };
}

before(async () => {
  tf.enableProdMode();
  setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
});

describe('one-pass Adam on wasm', () => {
  for (const asMap of [false, true]) {
    it(`trains as tfjs's Adam does (gradients as ${asMap ? 'a map, some missing' : 'a list'})`, async () => {
      const fast = await train(true, 6, asMap);
      const stock = await train(false, 6, asMap);
      assert.deepEqual(
        fast.state.map((s) => s.name),
        stock.state.map((s) => s.name),
      );
      const close = (a: number[], b: number[], what: string) =>
        a.forEach((x, i) =>
          assert.ok(Math.abs(x - b[i]) <= 1e-6 * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${x} vs ${b[i]}`),
        );
      fast.values.forEach((v, i) => close(v, stock.values[i], `variable ${i}`));
      fast.state.forEach((s, i) => close(s.values, stock.state[i].values, `state ${i}`));
      // Changing the variables at all: the test would pass on a step that does nothing.
      const { variables } = problem(7);
      assert.notDeepEqual(fast.values[0], Array.from(variables[0].dataSync()));
      tf.dispose(variables);
    });
  }

  it('runs as one DlnbAdamStep kernel per variable', async () => {
    registerFastAdam();
    const { variables, gradients } = problem(9);
    const adam = tf.train.adam(0.01);
    const grads = gradients(0);
    const profile = await tf.profile(() => adam.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] }))));
    const names = profile.kernels.map((kernel) => kernel.name);
    assert.equal(names.filter((name) => name === 'DlnbAdamStep').length, variables.length, names.join(' '));
    assert.ok(!names.includes('Sqrt'), `tfjs's own Adam ran: ${names.join(' ')}`);
    adam.dispose();
    tf.dispose([...variables, ...grads]);
  });

  it('leaks no tensors over many steps', () => {
    registerFastAdam();
    const { variables, gradients } = problem(3);
    const adam = tf.train.adam(0.01);
    const grads = gradients(0);
    const step = () => adam.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    assert.equal(tf.memory().numTensors, before);
    adam.dispose();
    tf.dispose([...variables, ...grads]);
  });

  it('trains a model with fit, and leaves the cpu backend to tfjs', async () => {
    registerFastAdam();
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
      model.compile({ optimizer: tf.train.adam(0.1), loss: 'meanSquaredError' });
      const x = tf.tensor2d([
        [0, 1],
        [1, 0],
        [1, 1],
        [2, 1],
      ]);
      const y = tf.tensor2d([[1], [2], [3], [5]]);
      const history = await model.fit(x, y, { epochs: 60, verbose: 0 });
      const losses = history.history.loss as number[];
      assert.ok(losses[losses.length - 1] < losses[0] / 4, `${backend}: loss ${losses[0]} -> ${losses[losses.length - 1]}`);
      model.dispose();
      tf.dispose([x, y]);
    }
    await tf.setBackend('wasm');
  });
});

describe('one-pass SGD on wasm', () => {
  /** Values after `steps` steps of tf.train.sgd, with the learning rate changed half way. */
  function trainSgd(fast: boolean, asMap: boolean): number[][] {
    if (fast) registerFastSgd();
    else unregisterFastSgd();
    const { variables, gradients } = problem(11);
    const sgd = tf.train.sgd(0.3);
    for (let step = 0; step < 5; step++) {
      if (step === 3) sgd.setLearningRate(0.05);
      const grads = gradients(step);
      if (asMap) {
        const map: tf.NamedTensorMap = {};
        variables.forEach((v, i) => (i !== 1 || step % 2 === 0 ? (map[v.name] = grads[i]) : undefined));
        sgd.applyGradients(map as Parameters<typeof sgd.applyGradients>[0]);
      } else {
        sgd.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
      }
      tf.dispose(grads);
    }
    const values = variables.map((v) => Array.from(v.dataSync()));
    sgd.dispose();
    tf.dispose(variables);
    registerFastSgd();
    return values;
  }

  for (const asMap of [false, true]) {
    it(`steps as tfjs's SGD does, honouring setLearningRate (gradients as ${asMap ? 'a map, some missing' : 'a list'})`, () => {
      const fast = trainSgd(true, asMap);
      const stock = trainSgd(false, asMap);
      // The same float32 operations in the same order: equal, not merely close.
      assert.deepEqual(fast, stock);
      const { variables } = problem(11);
      assert.notDeepEqual(fast[0], Array.from(variables[0].dataSync()), 'the variables did not move');
      tf.dispose(variables);
    });
  }

  it('runs as one DlnbSgdStep kernel per variable', async () => {
    registerFastSgd();
    const { variables, gradients } = problem(12);
    const sgd = tf.train.sgd(0.1);
    const grads = gradients(0);
    const profile = await tf.profile(() => sgd.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] }))));
    assert.deepEqual(
      profile.kernels.map((kernel) => kernel.name),
      variables.map(() => 'DlnbSgdStep'),
    );
    sgd.dispose();
    tf.dispose([...variables, ...grads]);
  });

  it("leaks no tensors, and leaves int32 variables to tfjs's own step", () => {
    registerFastSgd();
    const { variables, gradients } = problem(5);
    const sgd = tf.train.sgd(0.1);
    const grads = gradients(0);
    const step = () => sgd.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    assert.equal(tf.memory().numTensors, before);
    // tfjs's own step refuses an int32 variable; so must ours, with tfjs's message.
    const counter = tf.variable(tf.tensor1d([10, 20], 'int32'));
    const step1 = tf.tensor1d([1, 2], 'int32');
    assert.throws(
      () => sgd.applyGradients([{ name: counter.name, tensor: step1 }]),
      /dtype of the new value \(float32\) and previous value \(int32\)/,
    );
    sgd.dispose();
    tf.dispose([...variables, ...grads, counter, step1]);
  });
});
