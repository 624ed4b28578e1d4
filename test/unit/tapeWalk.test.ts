// The engine's gradients with the tape walked on Maps and Sets (src/kernel/tf/tapeWalk.ts)
// must give exactly tfjs's gradients, errors and memory, nested gradients included.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { filterTape, registerTapeWalk, unregisterTapeWalk } from '../../src/kernel/tf/tapeWalk';
import { startWasmWithFastKernels } from './wasmTestBackend';

/** `work` with tfjs's own gradients, then with ours. */
async function bothWays<T>(work: () => T | Promise<T>): Promise<{ stock: T; ours: T }> {
  unregisterTapeWalk();
  try {
    const stock = await work();
    registerTapeWalk();
    return { stock, ours: await work() };
  } finally {
    registerTapeWalk();
  }
}

const values = (tensors: (tf.Tensor | undefined)[]) => tensors.map((t) => (t ? Array.from(t.dataSync()) : t));
/** The message of what `work` throws. */
function thrown(work: () => unknown): string {
  try {
    tf.tidy(() => void work());
  } catch (error) {
    return (error as Error).message;
  }
  return 'nothing thrown';
}

before(startWasmWithFastKernels);

describe('gradient tape walked with Maps', () => {
  it('gives the same gradients for a network with shared and broadcast inputs', async () => {
    const a = tf.randomNormal([6, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
    const c = tf.randomNormal([3], 0, 1, 'float32', 3);
    const f = (x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => {
      const h = tf.relu(tf.add(tf.matMul(x, w), bias));
      // x is used twice (two paths add up), bias broadcasts.
      return tf.add(tf.sum(tf.mul(h, h)), tf.mean(tf.sigmoid(x))).add(tf.sum(bias)) as tf.Scalar;
    };
    const { stock, ours } = await bothWays(() => tf.tidy(() => values(tf.grads(f)([a, b, c]))));
    assert.deepEqual(ours, stock);
    tf.dispose([a, b, c]);
  });

  it('gives the same gradients through a long tape, with branches that lead nowhere', async () => {
    // Hundreds of ids: past the few that filterTape scans, it keeps them in a Set.
    const { stock, ours } = await bothWays(() =>
      tf.tidy(() => {
        const x = tf.tensor1d([0.5, -1, 2]);
        const w = tf.tensor1d([1.5, 0.25, -0.5]);
        const f = (u: tf.Tensor, v: tf.Tensor) => {
          let h = u;
          for (let i = 0; i < 120; i++) {
            h = tf.add(tf.mul(h, i % 3 === 0 ? v : tf.scalar(0.99)), tf.sin(u));
            if (i % 10 === 0) tf.exp(h); // from x, but not on the way to y
          }
          return tf.sum(h) as tf.Scalar;
        };
        return values(tf.grads(f)([x, w]));
      }),
    );
    assert.deepEqual(ours, stock);
    assert.ok((ours as number[][]).flat().every(Number.isFinite));
  });

  it('gives the same second and third derivatives', async () => {
    const { stock, ours } = await bothWays(() =>
      tf.tidy(() => {
        const x = tf.tensor1d([0.5, -1.5, 2]);
        const g = (v: tf.Tensor) =>
          tf
            .grad((u: tf.Tensor) => u.pow(3).add(u.sin()).sum())(v)
            .sum();
        const second = tf.grad(g)(x);
        const third = tf.grad((v: tf.Tensor) => tf.grad(g)(v).sum())(x);
        return values([second, third]);
      }),
    );
    assert.deepEqual(ours, stock);
  });

  it('gives the same with a given dy, custom gradients, and variables some of which are unused', async () => {
    const { stock, ours } = await bothWays(() => {
      // y = x², with a deliberately wrong gradient (3·x·dy) to tell it from the built-in one.
      const square = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
        save([x]);
        return { value: x.square(), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => dy.mul(saved[0]).mul(3) };
      }) as unknown as Parameters<typeof tf.customGrad>[0]);
      const v1 = tf.variable(tf.tensor1d([1, 2, 3]), true, 'tape-walk-v1');
      const v2 = tf.variable(tf.tensor1d([4]), true, 'tape-walk-v2');
      const withDy = tf.tidy(() =>
        values([tf.grad((x: tf.Tensor) => square(x) as tf.Tensor)(tf.tensor1d([1, -2]), tf.tensor1d([5, 7]))]),
      );
      const { value, grads } = tf.variableGrads(() => v1.mul(v1).sum() as tf.Scalar, [v1, v2]);
      const result = { withDy, value: value.dataSync()[0], names: Object.keys(grads), grads: values(Object.values(grads)) };
      tf.dispose([value, ...Object.values(grads), v1, v2]);
      return result;
    });
    assert.deepEqual(ours, stock);
    assert.deepEqual(ours.names, ['tape-walk-v1']);
  });

  it('throws the same errors', async () => {
    const { stock, ours } = await bothWays(() => [
      thrown(() => tf.grad(() => tf.scalar(2).square())(tf.scalar(1))),
      thrown(() => tf.grads(() => tf.scalar(1))([])),
      thrown(() => tf.grad((x: tf.Tensor) => x.square())(tf.scalar(1), tf.scalar(1, 'int32'))),
    ]);
    assert.deepEqual(ours, stock);
    assert.match(ours[0], /Cannot compute gradient of y=f\(x\)/);
  });

  it('leaves the same tensors behind after training and after a failed gradient', async () => {
    const { stock, ours } = await bothWays(() => {
      const before = tf.memory().numTensors;
      const x = tf.tensor2d([[1], [2], [3]]);
      const w = tf.variable(tf.zeros([1, 1]), true, 'tape-walk-w');
      const optimizer = tf.train.adam(0.1);
      for (let i = 0; i < 5; i++) optimizer.minimize(() => x.matMul(w).sub(2).square().mean() as tf.Scalar, false, [w]);
      thrown(() => tf.grad(() => tf.scalar(2).square())(tf.scalar(1)));
      optimizer.dispose();
      tf.dispose([x, w]);
      return tf.memory().numTensors - before;
    });
    assert.equal(ours, stock);
  });

  it('keeps only the nodes between x and y, with inputs not from x dropped', () => {
    const t = (id: number) => ({ id }) as tf.Tensor;
    const node = (id: number, inputs: Record<string, tf.Tensor>, outputs: tf.Tensor[]) => ({
      id,
      kernelName: `k${id}`,
      inputs,
      outputs,
    });
    // x(1) -> n1 -> 2 ; 2 and c(9) -> n2 -> 3 (y) ; x -> n3 -> 4 (leads nowhere) ; c -> n4 -> 5 (not from x)
    const tape = [
      node(1, { a: t(1) }, [t(2)]),
      node(2, { a: t(2), b: t(9) }, [t(3)]),
      node(3, { a: t(1) }, [t(4)]),
      node(4, { a: t(9) }, [t(5)]),
    ];
    const filtered = filterTape(tape, [t(1)], t(3));
    assert.deepEqual(
      filtered.map((n) => [n.id, Object.keys(n.inputs)]),
      [
        [1, ['a']],
        [2, ['a']],
      ],
    );
  });
});
