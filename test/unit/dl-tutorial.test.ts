// The seed lesson's regression, end to end through the learning kit: 256 points of
// y = 5x + 7 + N(0, 1)/4, Linear(1, 1), MSELoss, SGD lr 0.01, 3000 full-batch epochs.
// The published PyTorch run ends at w = 4.92, b = 7.02, loss 0.0613; the noise variance
// (1/16) is the floor, and other random data lands within about 0.15 of 5 and 7.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createLearningKit } from '../../src/kernel/dl';
import { LossHistory } from '../../src/kernel/panel/lossHistory';

before(async () => {
  tf.enableProdMode();
  setWasmPaths(path.resolve(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
});

it('fits y = 5x + 7 with Linear(1, 1), MSELoss and SGD as the tutorial does', () => {
  const history = new LossHistory();
  const dl = createLearningKit({ history });
  dl.manualSeed(42);
  const xTrain = dl.rand(256, 1);
  const yTrain = tf.tidy(() => tf.add(tf.add(tf.mul(xTrain, 5), 7), tf.div(dl.randn(256, 1), 4)));

  const model = new dl.nn.Linear(1, 1);
  const criterion = new dl.nn.MSELoss();
  const optimizer = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
  const printed: number[] = [];
  let loss = NaN;
  for (let epoch = 0; epoch < 3000; epoch++) {
    optimizer.zeroGrad();
    loss = dl.backward(() => criterion.forward(model.forward(xTrain), yTrain));
    optimizer.step();
    if (epoch % 100 === 0) printed.push(loss);
  }
  const [w, b] = model.parameters();

  assert.ok(Math.abs(w.item() - 5) < 0.15, `w = ${w.item()}, expected within 0.15 of 5`);
  assert.ok(Math.abs(b.item() - 7) < 0.15, `b = ${b.item()}, expected within 0.15 of 7`);
  assert.ok(loss < 0.07, `final loss ${loss}, expected below 0.07`);
  // The loss falls from the start, as in the published run (epoch 0 far above epoch 200).
  assert.ok(printed[0] > 10 * printed[2], `loss at epochs 0, 100, 200: ${printed.slice(0, 3).join(', ')}`);
  // The optimizer's Loss History run holds every epoch's loss.
  const [run] = history.runs();
  assert.equal(run.name, 'SGD (lr 0.01) #1');
  assert.equal(run.loss.steps, 3000);
  assert.equal(run.loss.last, loss);

  optimizer.zeroGrad();
  optimizer.dispose();
  model.dispose();
  tf.dispose([xTrain, yTrain]);
});
