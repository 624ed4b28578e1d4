// The engine's per-op methods without their redundant work (src/kernel/tf/leanEngine.ts)
// must keep tfjs's behaviour: the same messages for a missing kernel and a failing op,
// and the same tensors disposed and kept by ops and tidies.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerLeanEngine, unregisterLeanEngine } from '../../src/kernel/tf/leanEngine';
import { oursAndStock, startWasmWithFastKernels } from './wasmTestBackend';

const LEAN_ENGINE = { off: unregisterLeanEngine, on: registerLeanEngine };

/** What an error says, or 'no error'. */
function messageOf(work: () => unknown): string {
  try {
    work();
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Scopes within scopes, results of every kind, kept tensors and variables: live tensor counts after each. */
function scopeStory(): number[] {
  const counts: number[] = [];
  const start = tf.memory().numTensors;
  const live = () => counts.push(tf.memory().numTensors - start);
  const outside = tf.ones([3]);
  const one = tf.tidy(() => outside.add(1).mul(2));
  live();
  const same = tf.tidy(() => outside);
  assert.equal(same, outside);
  live();
  const pair = tf.tidy(() => [outside.mul(3), { sum: outside.sum() }] as tf.TensorContainer);
  live();
  const kept = tf.tidy(() => {
    const inner = tf.tidy(() => tf.keep(outside.neg()));
    outside.square();
    return inner.abs();
  });
  live();
  const initial = tf.zeros([2]);
  const variable = tf.variable(initial);
  const fromVariable = tf.tidy(() => variable);
  assert.equal(fromVariable, variable);
  live();
  tf.tidy(() => void outside.exp());
  live();
  tf.dispose([outside, one, pair as tf.Tensor[], kept, variable, initial]);
  live();
  return counts;
}

/** Gradients through ops with one and several outputs, and the live tensors after. */
function gradientStory(): { grads: number[][]; value: number; live: number } {
  const start = tf.memory().numTensors;
  const initial = tf.tensor2d([0.5, -1, 2, 0.25, -0.75, 1.5], [3, 2]);
  const w = tf.variable(initial);
  const x = tf.tensor2d([1, 2, 3, -1, 0, 4], [2, 3]);
  const { value, grads } = tf.variableGrads(() => {
    const [left, right] = tf.split(tf.relu(tf.matMul(x, w)), 2, 1);
    return tf.sum(tf.add(tf.mul(left, right), tf.square(right)));
  });
  const result = { grads: [Array.from(grads[w.name].dataSync())], value: value.dataSync()[0], live: 0 };
  tf.dispose([value, grads[w.name], w, x, initial]);
  result.live = tf.memory().numTensors - start;
  return result;
}

before(startWasmWithFastKernels);

describe("the engine's per-op methods, lean", () => {
  it("says a kernel is missing in tfjs's words", () => {
    const { ours, stock } = oursAndStock(LEAN_ENGINE, () => messageOf(() => tf.engine().runKernel('NoSuchKernel', {}, {})));
    assert.equal(ours, stock);
    assert.equal(ours, "Kernel 'NoSuchKernel' not registered for backend 'wasm'");
  });

  it('finds a kernel registered after it was switched on, and not once unregistered', () => {
    const run = () => messageOf(() => (tf.engine().runKernel('DlnbLateKernel', { x: tf.ones([2]) }) as tf.Tensor).dataSync());
    tf.registerKernel({
      kernelName: 'DlnbLateKernel',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => {
        const x = inputs.x as tf.Tensor;
        const dataId = (backend as tf.KernelBackend).write(new Float32Array([7, 8]), x.shape, 'float32');
        return { dataId, shape: x.shape, dtype: 'float32' };
      },
    });
    assert.equal(run(), 'no error');
    tf.unregisterKernel('DlnbLateKernel', 'wasm');
    assert.equal(run(), "Kernel 'DlnbLateKernel' not registered for backend 'wasm'");
  });

  it("passes an op's own error through", () => {
    const { ours, stock } = oursAndStock(LEAN_ENGINE, () => messageOf(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]))));
    assert.equal(ours, stock);
    assert.match(ours, /inner shapes/);
  });

  it('disposes and keeps the same tensors as tfjs, scope by scope', () => {
    const { ours, stock } = oursAndStock(LEAN_ENGINE, scopeStory);
    assert.deepEqual(ours, stock);
  });

  it('takes the same gradients as tfjs and leaves the same tensors', () => {
    const { ours, stock } = oursAndStock(LEAN_ENGINE, gradientStory);
    assert.deepEqual(ours, stock);
    assert.equal(ours.live, 0);
    assert.ok(ours.grads[0].some((g) => g !== 0));
  });

  it('still records the tape after an op threw inside a gradient', () => {
    const initial = tf.tensor1d([1, 2]);
    const w = tf.variable(initial);
    assert.throws(() => tf.variableGrads(() => tf.sum(tf.matMul(w.reshape([1, 2]), tf.ones([3, 3])))));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(w)));
    assert.deepEqual(Array.from(grads[w.name].dataSync()), [2, 4]);
    tf.dispose([value, grads[w.name], w, initial]);
  });

  it("leaves profiling to tfjs's own, which lists every kernel", async () => {
    const x = tf.ones([4]);
    const profile = await tf.profile(() => tf.tidy(() => void x.add(1).mul(2)));
    assert.deepEqual(
      profile.kernels.map((k) => k.name),
      ['Add', 'Multiply'],
    );
    x.dispose();
  });

  it('leaves no tensor of an op behind when an op inside throws', () => {
    const before = tf.memory().numTensors;
    const a = tf.ones([2, 2]);
    assert.throws(() => tf.tidy(() => tf.matMul(a.add(1), tf.ones([3, 3]))));
    a.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
