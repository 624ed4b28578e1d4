// Tensor data and records kept on data ids instead of WeakMaps (src/kernel/tf/dataIdSlots.ts):
// the same results to the bit, the same memory counts, data still moved between backends.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { SlotMap, storeOnDataIds } from '../../src/kernel/tf/dataIdSlots';
import { registerFastWasmKernels } from '../../src/kernel/tf/fastKernels';

interface Counts {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  backendDataIds: number;
}

function counts(): Counts {
  const { numTensors, numDataBuffers, numBytes } = tf.memory();
  const backendDataIds = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  return { numTensors, numDataBuffers, numBytes, backendDataIds };
}

/** Twenty Adam steps of a small network: its weights' bits and the memory counts along the way. */
function trainingStory(): { bits: number[]; during: Counts; after: Counts } {
  const initial = [tf.randomNormal([4, 8], 0, 1, 'float32', 1), tf.randomNormal([8, 1], 0, 1, 'float32', 2)];
  const [w1, w2] = initial.map((t) => tf.variable(t));
  const x = tf.randomNormal([16, 4], 0, 1, 'float32', 3);
  const y = tf.randomNormal([16, 1], 0, 1, 'float32', 4);
  const optimizer = tf.train.adam(0.05);
  for (let step = 0; step < 20; step++) {
    optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.matMul(tf.relu(tf.matMul(x, w1)), w2)) as tf.Scalar);
  }
  const bits = [...new Int32Array(w1.dataSync().buffer), ...new Int32Array(w2.dataSync().buffer)];
  const during = counts();
  optimizer.dispose();
  tf.dispose([w1, w2, x, y, ...initial]);
  return { bits, during, after: counts() };
}

describe('tensor data kept on data ids', () => {
  before(async () => {
    tf.enableProdMode();
    setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
    assert.ok(await tf.setBackend('wasm'));
    registerFastWasmKernels();
  });

  it('behaves as a WeakMap: has, get, set and delete', () => {
    const map = new SlotMap<object, string>();
    const [a, b] = [{ id: 1 }, { id: 2 }];
    map.set(a, 'first');
    assert.equal(map.has(a), true);
    assert.equal(map.get(a), 'first');
    assert.equal(map.has(b), false);
    assert.equal(map.get(b), undefined);
    assert.equal(map.delete(b), false);
    assert.equal(map.delete(a), true);
    assert.equal(map.has(a), false);
    assert.equal(map.delete(a), false);
    assert.deepEqual(Object.keys(a), ['id'], 'no enumerable property added');
  });

  it('is not switched on while the backend holds data, whose entries a WeakMap cannot hand over', () => {
    const held = tf.ones([2]);
    assert.equal(storeOnDataIds(), false);
    held.dispose();
  });

  it('trains to the same bits with the same memory counts as the WeakMaps', () => {
    const stock = trainingStory();
    assert.equal(stock.after.numTensors, 0);
    assert.equal(storeOnDataIds(), true);
    const ours = trainingStory();
    assert.deepEqual(ours, stock);
    assert.ok(ours.during.numTensors > 0 && ours.during.backendDataIds > 0);
  });

  it('still moves a tensor made on another backend on its first use', async () => {
    assert.equal(storeOnDataIds(), true, 'already on');
    assert.ok(await tf.setBackend('cpu'));
    const fromCpu = tf.tensor1d([1, 2, 3]);
    assert.ok(await tf.setBackend('wasm'));
    const doubled = fromCpu.mul(2);
    assert.deepEqual(Array.from(doubled.dataSync()), [2, 4, 6]);
    tf.dispose([fromCpu, doubled]);
    assert.equal(tf.memory().numTensors, 0);
  });
});
