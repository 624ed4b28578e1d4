// The learning kit's training machinery on the wasm backend: backward's accumulation,
// the optimizers' Loss History runs, memory that stays flat over long loops, module
// naming, penalties, seeded random data, and clear errors for bad input.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createLearningKit, type LearningKit } from '../../src/kernel/dl';
import { affine } from '../../src/kernel/dl/kernels/affine';
import { squaredError } from '../../src/kernel/dl/kernels/squaredError';
import { LossHistory } from '../../src/kernel/panel/lossHistory';

let dl: LearningKit;
let history: LossHistory;

before(async () => {
  tf.enableProdMode();
  setWasmPaths(path.resolve(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
  history = new LossHistory();
  dl = createLearningKit({ history });
});

function close(actual: number, expected: number, label: string, tolerance = 1e-5): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${label}: got ${actual}, expected ${expected}`,
  );
}

/** Runs `body` and asserts it leaves tf's tensor count where it found it. */
function assertNoLeak(label: string, body: () => void): void {
  const before = tf.memory().numTensors;
  body();
  assert.equal(tf.memory().numTensors, before, `${label}: tensors leaked`);
}

describe('dl.backward', () => {
  it('fills .grad with the gradient of the loss and returns the loss as a number', () => {
    const w = new dl.nn.Parameter([[2, -1]]);
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const loss = dl.backward(() => tf.sum(tf.square(tf.matMul(x, tf.transpose(w.data)))));
    // y = x w^T = [0, 2, 4]; loss = sum y^2 = 20; dloss/dw = 2 y^T x = [2*(0+6+20), 2*(0+8+24)]
    assert.equal(typeof loss, 'number');
    close(loss, 20, 'loss');
    assert.deepEqual(Array.from(w.grad!.dataSync()), [52, 64]);
    w.dispose();
    x.dispose();
  });

  it('accumulates gradients until zeroGrad, as PyTorch does', () => {
    const w = new dl.nn.Parameter([1.5, -2]);
    const lossFn = () => tf.sum(tf.mul(w.data, w.data));
    dl.backward(lossFn);
    const once = Array.from(w.grad!.dataSync());
    dl.backward(lossFn);
    assert.deepEqual(
      Array.from(w.grad!.dataSync()),
      once.map((g) => 2 * g),
    );
    const optimizer = new dl.optim.SGD([w], { lr: 0.1 });
    optimizer.zeroGrad();
    assert.equal(w.grad, null);
    optimizer.dispose();
    w.dispose();
  });

  it('computes gradients only for the parameters it is given', () => {
    const a = new dl.nn.Parameter([1]);
    const b = new dl.nn.Parameter([2]);
    dl.backward(() => tf.sum(tf.mul(a.data, b.data)), [a]);
    assert.deepEqual(Array.from(a.grad!.dataSync()), [2]);
    assert.equal(b.grad, null);
    a.dispose();
    b.dispose();
  });

  it('leaves frozen parameters (requiresGrad = false) without a gradient', () => {
    const model = new dl.nn.Linear(2, 1);
    model.bias!.requiresGrad = false;
    dl.backward(() => tf.sum(model.forward(tf.ones([4, 2]))), model);
    assert.notEqual(model.weight.grad, null);
    assert.equal(model.bias!.grad, null);
    model.dispose();
  });

  it('works inside a tf.tidy without losing the gradients', () => {
    const w = new dl.nn.Parameter([3]);
    tf.tidy(() => {
      dl.backward(() => tf.sum(tf.square(w.data)));
    });
    assert.equal(w.grad!.isDisposed, false);
    assert.deepEqual(Array.from(w.grad!.dataSync()), [6]);
    w.dispose();
  });

  it('refuses a non-scalar loss, a non-tensor loss and a loss without parameters, without leaking', () => {
    const model = new dl.nn.Linear(2, 3);
    const x = tf.ones([4, 2]);
    assertNoLeak('errors', () => {
      assert.throws(() => dl.backward(() => model.forward(x)), /loss must be a scalar, got shape \[4, 3\]/);
      assert.throws(() => dl.backward((() => 3) as unknown as () => tf.Tensor), /must return the loss as a tf.Tensor/);
      assert.throws(() => dl.backward(x as unknown as () => tf.Tensor), /needs a function that computes the loss, got Tensor/);
      assert.throws(() => dl.backward(() => tf.sum(x), model), /does not depend on any parameter/);
    });
    model.dispose();
    x.dispose();
  });
});

describe('hand-written gradients of Linear and MSELoss', () => {
  /** Gradients of `f` with respect to each of `xs`, as plain arrays. */
  function gradients(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): number[][] {
    return tf.tidy(() =>
      tf
        .grads(f)(xs)
        .map((g) => Array.from(g.dataSync())),
    );
  }

  function assertAllClose(actual: number[][], expected: number[][], label: string): void {
    assert.equal(actual.length, expected.length, label);
    actual.forEach((values, i) => values.forEach((v, j) => close(v, expected[i][j], `${label} input ${i} [${j}]`)));
  }

  it("match tf's own gradients whether or not x, the bias or the target need one", () => {
    dl.manualSeed(3);
    const x = dl.randn(5, 3);
    const w = dl.randn(2, 3);
    const b = dl.randn(2);
    const target = dl.randn(5, 2);
    const plainAffine = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor | null) => {
      const product = tf.matMul(xx, tf.transpose(ww));
      return bb ? tf.add(product, bb) : product;
    };
    // Through a nonlinearity and a scale, so the upstream gradient is not all ones.
    const head = (out: tf.Tensor) => tf.mul(3, tf.sum(tf.sin(out)));
    for (const withBias of [true, false]) {
      // x needs a gradient (differentiated directly), or is constant data (only w, b).
      const fused = gradients((xx, ww, bb) => head(affine(xx, ww, withBias ? bb : null)), [x, w, b].slice(0, withBias ? 3 : 2));
      const plain = gradients(
        (xx, ww, bb) => head(plainAffine(xx, ww, withBias ? bb : null)),
        [x, w, b].slice(0, withBias ? 3 : 2),
      );
      assertAllClose(fused, plain, `affine, bias ${withBias}, x differentiated`);
      const fusedData = gradients((ww) => head(affine(x, ww, withBias ? b : null)), [w]);
      const plainData = gradients((ww) => head(plainAffine(x, ww, withBias ? b : null)), [w]);
      assertAllClose(fusedData, plainData, `affine, bias ${withBias}, x constant`);
    }
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const plainSquared = (p: tf.Tensor, t: tf.Tensor) => {
        const squares = tf.squaredDifference(p, t);
        return reduction === 'mean' ? tf.mean(squares) : reduction === 'sum' ? tf.sum(squares) : squares;
      };
      const scaled = (loss: tf.Tensor) => tf.sum(tf.mul(loss, tf.linspace(1, 2, loss.size).reshape(loss.shape)));
      const both = (fn: typeof squaredError | typeof plainSquared) =>
        gradients((p, t) => scaled(fn(tf.tanh(p), tf.sin(t), reduction)), [x, x.reverse(0)]);
      assertAllClose(both(squaredError), both(plainSquared), `squared error (${reduction}), target on the tape`);
      const inputOnly = (fn: typeof squaredError | typeof plainSquared) =>
        gradients((p) => scaled(fn(affine(x, p, b), target, reduction)), [w]);
      assertAllClose(inputOnly(squaredError), inputOnly(plainSquared), `squared error (${reduction}), constant target`);
    }
    tf.dispose([x, w, b, target]);
  });

  it('give dl.backward the same gradients when the target comes from parameters too', () => {
    dl.manualSeed(4);
    const x = dl.randn(6, 3);
    const student = new dl.nn.Linear(3, 2);
    const teacher = new dl.nn.Sequential(new dl.nn.Linear(3, 4), new dl.nn.Tanh(), new dl.nn.Linear(4, 2));
    const criterion = new dl.nn.MSELoss({ reduction: 'sum' });
    dl.backward(() => criterion.forward(student.forward(x), teacher.forward(x)));
    const params = [...student.parameters(), ...teacher.parameters()];
    const plain = tf.tidy(() =>
      tf
        .grads((sw: tf.Tensor, sb: tf.Tensor, w0: tf.Tensor, b0: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
          const linear = (xx: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(xx, tf.transpose(w)), b);
          return tf.sum(tf.squaredDifference(linear(x, sw, sb), linear(tf.tanh(linear(x, w0, b0)), w2, b2)));
        })(params.map((p) => p.data))
        .map((g) => Array.from(g.dataSync())),
    );
    assertAllClose(
      params.map((p) => Array.from(p.grad!.dataSync())),
      plain,
      'dl.backward vs tf.grads',
    );
    // A slice of the data taken inside the loss function is still data; a slice of a
    // parameter-dependent tensor is not.
    student.zeroGrad();
    teacher.zeroGrad();
    dl.backward(() => {
      const hidden = tf.slice(teacher[2].forward(tf.tanh(teacher[0].forward(tf.slice(x, [1, 0], [4, 3])))), [0, 0], [4, 2]);
      return criterion.forward(student.forward(tf.slice(x, [0, 0], [4, 3])), tf.mul(hidden, 2));
    });
    const sliced = tf.tidy(() =>
      tf
        .grads((sw: tf.Tensor, sb: tf.Tensor, w0: tf.Tensor, b0: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
          const linear = (xx: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(xx, tf.transpose(w)), b);
          const hidden = linear(tf.tanh(linear(tf.slice(x, [1, 0], [4, 3]), w0, b0)), w2, b2);
          return tf.sum(tf.squaredDifference(linear(tf.slice(x, [0, 0], [4, 3]), sw, sb), tf.mul(hidden, 2)));
        })(params.map((p) => p.data))
        .map((g) => Array.from(g.dataSync())),
    );
    assertAllClose(
      params.map((p) => Array.from(p.grad!.dataSync())),
      sliced,
      'sliced inputs',
    );
    student.dispose();
    teacher.dispose();
    x.dispose();
  });
});

describe('work skipped for plain data', () => {
  it('computes no gradient for a first layer input, even a slice taken inside the loss function', async () => {
    const x = tf.ones([8, 3]);
    const y = tf.zeros([4, 2]);
    const model = new dl.nn.Linear(3, 2);
    const criterion = new dl.nn.MSELoss();
    const profile = await tf.profile(() => {
      dl.backward(() => criterion.forward(model.forward(tf.slice(x, [0, 0], [4, 3])), y));
    });
    const names = profile.kernels.map((k) => k.name);
    assert.ok(names.includes('DlAffineOfData'), `the input is taken as data: ${names.join(' ')}`);
    const gradients = profile.kernels.filter((k) => k.name === 'DlAffineGrad').map((k) => k.outputShapes);
    assert.deepEqual(gradients, [[[2, 3], [2]]], 'the weight and bias gradients, none for the input');
    model.zeroGrad();
    model.dispose();
    tf.dispose([x, y]);
  });
});

describe('optimizers and the Loss History', () => {
  it('starts one named run per optimizer and records each step after a backward', () => {
    const fresh = new LossHistory();
    const kit = createLearningKit({ history: fresh });
    const model = new kit.nn.Linear(1, 1);
    const x = tf.tensor2d([[1], [2], [3]]);
    const y = tf.tensor2d([[2], [4], [6]]);
    const criterion = new kit.nn.MSELoss();
    const sgd = new kit.optim.SGD(model.parameters(), { lr: 0.01 });
    const sgdAgain = new kit.optim.SGD(model.parameters(), { lr: 0.01 });
    const adam = new kit.optim.Adam(model.parameters());
    const rmsprop = new kit.optim.RMSprop(model.parameters(), { lr: 0.05 });
    assert.deepEqual(
      fresh.runs().map((r) => [r.name, r.source]),
      [
        ['SGD (lr 0.01) #1', 'optimizer'],
        ['SGD (lr 0.01) #2', 'optimizer'],
        ['Adam (lr 0.001) #1', 'optimizer'],
        ['RMSprop (lr 0.05) #1', 'optimizer'],
      ],
    );
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      sgd.zeroGrad();
      losses.push(kit.backward(() => criterion.forward(model.forward(x), y)));
      sgd.step();
    }
    sgd.step(); // no new backward since the last step: nothing new to record
    const runId = fresh.runs()[0].id;
    assert.deepEqual(
      fresh.curve(runId).map((p) => p.value),
      losses,
    );
    assert.equal(fresh.runs()[1].loss.steps, 0);
    for (const optimizer of [sgd, sgdAgain, adam, rmsprop]) optimizer.dispose();
    sgd.zeroGrad();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('changes the learning rate for the following steps when lr is set', () => {
    const w = new dl.nn.Parameter([1]);
    const sgd = new dl.optim.SGD([w], { lr: 0.1 });
    dl.backward(() => tf.sum(w.data)); // gradient 1
    sgd.lr = 0.5;
    sgd.step();
    close(w.item(), 0.5, 'after one step at lr 0.5');
    sgd.zeroGrad();
    sgd.dispose();
    w.dispose();
  });

  it('rejects bad settings with a message naming the setting', () => {
    const w = new dl.nn.Parameter([1]);
    assert.throws(() => new dl.optim.SGD([w], {} as { lr: number }), /learning rate lr is required/);
    assert.throws(() => new dl.optim.SGD([w], { lr: -1 }), /lr must be a number >= 0/);
    assert.throws(() => new dl.optim.SGD([w], { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum/);
    assert.throws(() => new dl.optim.Adam([w], { betas: [1.2, 0.9] }), /betas\[0\] must be in \[0, 1\)/);
    assert.throws(() => new dl.optim.Adam([]), /empty parameter list/);
    assert.throws(() => new dl.optim.RMSprop([w.data] as never), /item 0 is not a dl.nn.Parameter/);
    w.dispose();
  });
});

describe('memory', () => {
  it('keeps the tensor count flat over 3000 SGD steps of the tutorial loop', () => {
    dl.manualSeed(1);
    const x = dl.rand(256, 1);
    const y = tf.tidy(() => tf.add(tf.mul(x, 5), 7));
    const model = new dl.nn.Linear(1, 1);
    const criterion = new dl.nn.MSELoss();
    const optimizer = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
    const epoch = () => {
      optimizer.zeroGrad();
      dl.backward(() => criterion.forward(model.forward(x), y));
      optimizer.step();
    };
    epoch(); // warm-up: the gradients and the kept learning rate exist from here on
    assertNoLeak('3000 SGD steps', () => {
      for (let i = 0; i < 3000; i++) epoch();
    });
    optimizer.zeroGrad();
    optimizer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('keeps it flat for every optimizer, loss and layer kind, and releases all on dispose', () => {
    const start = tf.memory().numTensors;
    const x = dl.randn(16, 4);
    const labels = tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 2, 2, 1, 0], 'int32');
    const net = new dl.nn.Sequential(new dl.nn.Linear(4, 8), new dl.nn.ReLU(), new dl.nn.Linear(8, 3));
    const nll = new dl.nn.NLLLoss();
    const logSoftmax = new dl.nn.LogSoftmax({ dim: 1 });
    const criteria = [
      new dl.nn.CrossEntropyLoss({ weight: [1, 2, 0.5] }),
      { forward: (out: tf.Tensor, t: tf.Tensor) => nll.forward(logSoftmax.forward(out), t) },
    ];
    const optimizers = [
      new dl.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
      new dl.optim.RMSprop(net.parameters(), { momentum: 0.5, centered: true, weightDecay: 1e-3 }),
      new dl.optim.Adam(net.parameters(), { weightDecay: 1e-3 }),
    ];
    for (const optimizer of optimizers) {
      for (const criterion of criteria) {
        const epoch = () => {
          optimizer.zeroGrad();
          dl.backward(() => tf.add(criterion.forward(net.forward(x), labels), tf.mul(1e-4, dl.l2Penalty(net))));
          optimizer.step();
        };
        epoch();
        assertNoLeak(`${optimizer}`, () => {
          for (let i = 0; i < 100; i++) epoch();
        });
      }
    }
    // Disposing the model releases the optimizers' state, the gradients and the kept scalars.
    net.dispose();
    tf.dispose([x, labels]);
    assert.equal(tf.memory().numTensors, start, 'tensors left after disposing the model');
    optimizers[0].dispose(); // harmless after the model went
  });
});

describe('modules', () => {
  it('names parameters by field, recursing into children with dotted names', () => {
    class Net extends dl.nn.Module {
      fc1 = new dl.nn.Linear(2, 4);
      act = new dl.nn.ReLU();
      fc2 = new dl.nn.Linear(4, 1, { bias: false });
      scale = new dl.nn.Parameter([1]);
      override forward(x: tf.Tensor): tf.Tensor {
        return tf.mul(this.fc2.forward(this.act.forward(this.fc1.forward(x))), this.scale.data);
      }
    }
    const net = new Net();
    assert.deepEqual(
      net.namedParameters().map(([name, p]) => [name, p.shape]),
      [
        ['scale', [1]],
        ['fc1.weight', [4, 2]],
        ['fc1.bias', [4]],
        ['fc2.weight', [1, 4]],
      ],
    );
    assert.equal(net.parameters().length, 4);
    assert.deepEqual(net.forward(tf.ones([3, 2])).shape, [3, 1]);
    assert.equal(net.eval().fc1.training, false);
    const seq = new dl.nn.Sequential(net.fc1, new dl.nn.Sigmoid(), new dl.nn.Linear(4, 2));
    assert.deepEqual(
      seq.namedParameters().map(([n]) => n),
      ['0.weight', '0.bias', '2.weight', '2.bias'],
    );
    assert.match(String(seq), /^Sequential\(\n  \(0\): Linear\(in_features=2, out_features=4, bias=true\)/);
    net.dispose();
    seq[2].dispose();
  });

  it('finds modules held in an array, named like a ModuleList', () => {
    class Stack extends dl.nn.Module {
      layers = [new dl.nn.Linear(2, 3), new dl.nn.ReLU(), new dl.nn.Linear(3, 1)];
      override forward(x: tf.Tensor): tf.Tensor {
        return this.layers.reduce((out, layer) => layer.forward(out), x);
      }
    }
    const stack = new Stack();
    assert.deepEqual(
      stack.namedParameters().map(([n]) => n),
      ['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias'],
    );
    stack.dispose();
  });

  it('accepts 1-D and batched inputs in Linear, and names the shape when it does not fit', () => {
    const layer = new dl.nn.Linear(3, 2);
    tf.tidy(() => {
      assert.deepEqual(layer.forward([1, 2, 3]).shape, [2]);
      assert.deepEqual(layer.forward(tf.ones([5, 4, 3])).shape, [5, 4, 2]);
      const flat = layer.forward(tf.ones([20, 3]));
      const batched = layer.forward(tf.ones([5, 4, 3]));
      assert.deepEqual(Array.from(batched.dataSync()), Array.from(flat.dataSync()));
    });
    assert.throws(() => layer.forward(tf.ones([5, 4])), /last dimension must be 3, but the input has shape \[5, 4\]/);
    layer.dispose();
  });

  it('computes softmax and log-softmax along any dim', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, 2, 3],
        [1, 5, -2],
      ]);
      const rows = new dl.nn.Softmax({ dim: 1 }).forward(x).arraySync() as number[][];
      for (const row of rows)
        close(
          row.reduce((a, b) => a + b),
          1,
          'row sum',
        );
      const cols = new dl.nn.Softmax({ dim: 0 }).forward(x).arraySync() as number[][];
      for (let j = 0; j < 3; j++) close(cols[0][j] + cols[1][j], 1, 'column sum');
      close(cols[0][0], 0.5, 'equal inputs share evenly');
      const logCols = new dl.nn.LogSoftmax({ dim: 0 }).forward(x).arraySync() as number[][];
      close(logCols[1][1], Math.log(cols[1][1]), 'log of softmax');
      assert.throws(() => new dl.nn.Softmax({ dim: 2 }).forward(x), /dim 2 is out of range/);
    });
  });
});

describe('losses: input errors', () => {
  it('refuses mismatched shapes, bad reductions and class indices out of range', () => {
    const column = tf.zeros([4, 1]);
    const row = tf.zeros([4]);
    const scores = tf.zeros([2, 3]);
    const probabilities = tf.fill([2, 3], 0.5);
    assertNoLeak('loss errors', () => {
      assert.throws(() => new dl.nn.MSELoss().forward(column, row), /input has shape \[4, 1\] but the target has shape \[4\]/);
      assert.throws(
        () => new dl.nn.L1Loss({ reduction: 'avg' as 'mean' }),
        /reduction must be 'mean', 'sum' or 'none', got "avg"/,
      );
      assert.throws(() => new dl.nn.NLLLoss().forward(scores, [0, 3]), /target class 3 is out of range for 3 classes/);
      assert.throws(() => new dl.nn.CrossEntropyLoss().forward(scores, [0, 1, 2]), /target must have shape \[2\]/);
      assert.throws(() => new dl.nn.CrossEntropyLoss().forward(scores, [0.5, 1]), /whole class indices, got 0.5/);
      assert.throws(
        () => new dl.nn.NLLLoss({ weight: [1, 2] }).forward(scores, [0, 1]),
        /weight has 2 values but the input has 3 classes/,
      );
      assert.throws(() => new dl.nn.BCELoss({ weight: [1, 2] }).forward(probabilities, scores), /does not broadcast/);
    });
    // Inside dl.backward too: the error comes through and tf's gradient tape is released.
    const model = new dl.nn.Linear(1, 1);
    assertNoLeak('loss error inside backward', () => {
      assert.throws(() => dl.backward(() => new dl.nn.MSELoss().forward(model.forward(column), row)), /must match/);
    });
    model.dispose();
    tf.dispose([column, row, scores, probabilities]);
  });

  it('accepts float tensors of whole numbers as class indices', () => {
    tf.tidy(() => {
      const logits = tf.tensor2d([
        [2, 0, 1],
        [0, 3, 0],
      ]);
      const loss = new dl.nn.CrossEntropyLoss();
      close(loss.forward(logits, tf.tensor1d([0, 1])).dataSync()[0], loss.forward(logits, [0, 1]).dataSync()[0], 'same loss');
    });
  });
});

describe('penalties and random data', () => {
  it('sums |w| and w^2 over the parameters, differentiably', () => {
    const a = new dl.nn.Parameter([
      [1, -2],
      [3, -4],
    ]);
    const b = new dl.nn.Parameter([0.5]);
    tf.tidy(() => {
      close(dl.l1Penalty([a, b]).dataSync()[0], 10.5, 'l1');
      close(dl.l2Penalty([a, b]).dataSync()[0], 30.25, 'l2');
    });
    dl.backward(() => dl.l2Penalty([a, b]));
    assert.deepEqual(Array.from(a.grad!.dataSync()), [2, -4, 6, -8]);
    a.dispose();
    b.dispose();
  });

  it('draws reproducible uniform and normal data from the seed', () => {
    dl.manualSeed(42);
    const u1 = dl.rand(1000);
    const n1 = dl.randn([100, 100]);
    dl.manualSeed(42);
    const u2 = dl.rand([1000]);
    const n2 = dl.randn(100, 100);
    assert.deepEqual(Array.from(u1.dataSync()), Array.from(u2.dataSync()));
    assert.deepEqual(Array.from(n1.dataSync()), Array.from(n2.dataSync()));
    assert.deepEqual(n1.shape, [100, 100]);
    const u = Array.from(u1.dataSync());
    assert.ok(
      u.every((v) => v >= 0 && v < 1),
      'uniform values in [0, 1)',
    );
    const n = Array.from(n1.dataSync());
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const std = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    assert.ok(Math.abs(mean) < 0.05 && Math.abs(std - 1) < 0.05, `normal: mean ${mean}, std ${std}`);
    dl.manualSeed(43);
    assert.notDeepEqual(Array.from(dl.rand(5).dataSync()), u.slice(0, 5));
    assert.throws(() => dl.rand(2, -1), /non-negative integers/);
    tf.dispose([u1, u2, n1, n2]);
  });
});
