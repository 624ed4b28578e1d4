// SGD's one-pass update (kernels/sgdStep.ts) must give what tf's ops give for every
// setting, on cpu and on wasm; write new tensors (a clone, a reshape or an array read
// before the step keeps the old values, and no backend cache goes stale); leak nothing.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createLearningKit, type LearningKit } from '../../src/kernel/dl';
import type { SGDOptions } from '../../src/kernel/dl/optim/sgd';
import { LossHistory } from '../../src/kernel/panel/lossHistory';

let dl: LearningKit;

before(async () => {
  tf.enableProdMode();
  setWasmPaths(path.resolve(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
  dl = createLearningKit({ history: new LossHistory() });
});

const SETTINGS: SGDOptions[] = [
  { lr: 0.01 },
  { lr: 0.1, weightDecay: 0.05 },
  { lr: 0.05, momentum: 0.9 },
  { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01 },
  { lr: 0.02, momentum: 0.9, nesterov: true, weightDecay: 0.001 },
];

/** torch.optim.SGD's update written with tf's ops: the new parameter and buffer. */
function plainStep(p: tf.Tensor, g: tf.Tensor, buffer: tf.Tensor | null, o: SGDOptions): [tf.Tensor, tf.Tensor | null] {
  const { param, next } = tf.tidy(() => {
    const [stepped, buffered] = plainStepOps(p, g, buffer, o);
    return buffered ? { param: stepped, next: buffered } : { param: stepped };
  }) as { param: tf.Tensor; next?: tf.Tensor };
  return [param, next ?? null];
}

function plainStepOps(p: tf.Tensor, g: tf.Tensor, buffer: tf.Tensor | null, o: SGDOptions): [tf.Tensor, tf.Tensor | null] {
  let d = tf.add(g, tf.mul(p, o.weightDecay ?? 0));
  let next: tf.Tensor | null = null;
  if (o.momentum) {
    next = buffer ? tf.add(tf.mul(buffer, o.momentum), tf.mul(d, 1 - (o.dampening ?? 0))) : d;
    d = o.nesterov ? tf.add(d, tf.mul(next, o.momentum)) : next;
  }
  return [tf.sub(p, tf.mul(d, o.lr)), next];
}

function gradient(shape: number[], step: number): tf.Tensor {
  return tf.keep(tf.tidy(() => tf.sin(tf.mul(tf.range(1, shape.reduce((n, d) => n * d, 1) + 1).reshape(shape), 0.7 + step))));
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`SGD's update on ${backend}`, () => {
    before(async () => assert.ok(await tf.setBackend(backend)));

    it("matches tf's ops for weight decay, momentum, dampening and Nesterov, small and large", () => {
      for (const shape of [
        [1, 1],
        [3, 4],
        [256, 300],
      ]) {
        for (const options of SETTINGS) {
          const label = `${JSON.stringify(shape)} ${JSON.stringify(options)}`;
          const numTensors = tf.memory().numTensors;
          const start = tf.tidy(() => tf.cos(tf.range(0, shape[0] * shape[1]).reshape(shape)));
          const param = new dl.nn.Parameter(start);
          start.dispose(); // the parameter holds a copy
          const optimizer = new dl.optim.SGD([param], options);
          let expected: tf.Tensor = tf.keep(param.data.clone());
          let buffer: tf.Tensor | null = null;
          for (let step = 0; step < 3; step++) {
            param.grad = gradient(shape, step);
            const [p, b] = plainStep(expected, param.grad!, buffer, options);
            tf.dispose([expected, ...(buffer && buffer !== b ? [buffer] : [])]);
            [expected, buffer] = [p, b];
            optimizer.step();
            optimizer.zeroGrad();
          }
          const [got, want] = [param.data.dataSync(), expected.dataSync()];
          want.forEach((w, i) =>
            assert.ok(Math.abs(got[i] - w) <= 1e-5 * Math.max(1, Math.abs(w)), `${label} [${i}]: ${got[i]} vs ${w}`),
          );
          tf.dispose(buffer ? [expected, buffer] : [expected]);
          optimizer.dispose();
          param.dispose();
          assert.equal(tf.memory().numTensors, numTensors, `${label}: tensors leaked`);
        }
      }
    });

    it('keeps the old values in a clone, a reshape and an array read before the step', () => {
      for (const options of SETTINGS) {
        const param = new dl.nn.Parameter([
          [1, 2],
          [3, 4],
        ]);
        const optimizer = new dl.optim.SGD([param], options);
        param.grad = gradient([2, 2], 0);
        optimizer.step(); // the first step makes the momentum buffer
        const clone = param.data.clone();
        const reshaped = tf.reshape(param.data, [4]);
        const read = param.data.dataSync();
        const old = Array.from(read);
        optimizer.step();
        assert.deepEqual(Array.from(clone.dataSync()), old, `${JSON.stringify(options)}: the clone changed`);
        assert.deepEqual(Array.from(reshaped.dataSync()), old, `${JSON.stringify(options)}: the reshape changed`);
        assert.deepEqual(Array.from(read), old, `${JSON.stringify(options)}: the array read before changed`);
        assert.notDeepEqual(param.values(), old, 'the parameter did not step');
        tf.dispose([clone, reshaped]);
        optimizer.dispose();
        param.dispose();
      }
    });

    it('writes a new tensor each step, leaking nothing', () => {
      const param = new dl.nn.Parameter([[1, 2, 3]]);
      const optimizer = new dl.optim.SGD([param], { lr: 0.5, momentum: 0.5 });
      param.grad = gradient([1, 3], 0);
      optimizer.step();
      const dataId = param.data.dataId;
      const numDataIds = tf.engine().backend.numDataIds();
      optimizer.step();
      assert.notEqual(param.data.dataId, dataId);
      assert.equal(tf.engine().backend.numDataIds(), numDataIds, 'backend memory leaked');
      optimizer.dispose();
      param.dispose();
    });

    it('leaves no stale copy in the backend: a convolution sees the stepped filter', () => {
      // The wasm backend keeps XNNPACK's packed copy of a filter per tensor: a parameter
      // rewritten in place would keep convolving with its old values.
      const image = tf.ones([1, 4, 4, 1]);
      // From plain values, so that the parameter alone holds its memory.
      const filter = new dl.nn.Parameter([
        [[[1]], [[1]]],
        [[[1]], [[1]]],
      ]);
      const optimizer = new dl.optim.SGD([filter], { lr: 0.25 });
      const convolve = () =>
        tf.tidy(() => Array.from(tf.conv2d(image as tf.Tensor4D, filter.data as tf.Tensor4D, 1, 'valid').dataSync()));
      assert.deepEqual(convolve().slice(0, 1), [4]);
      filter.grad = tf.ones([2, 2, 1, 1]);
      optimizer.step();
      assert.deepEqual(filter.values(), [0.75, 0.75, 0.75, 0.75]);
      assert.deepEqual(convolve().slice(0, 1), [3], 'the convolution used the old filter');
      tf.dispose(image);
      optimizer.dispose();
      filter.dispose();
    });
  });
}
