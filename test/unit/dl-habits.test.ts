// PyTorch habits in the learning kit: modules and losses called like functions, classes
// called without `new`, options spelled the PyTorch way, and Loss History runs named for
// people. (The same messages through the shipped bundle: test/package/kitMessages.test.ts.)
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createLearningKit, type LearningKit } from '../../src/kernel/dl';
import { nearestKey } from '../../src/kernel/dl/options';
import { walkParameters } from '../../src/kernel/panel/paramWalk';
import { LossHistory } from '../../src/kernel/panel/lossHistory';
import { heldTensors } from '../../src/kernel/runtime/heldTensors';

let dl: LearningKit;
let history: LossHistory;

before(async () => {
  await tf.setBackend('cpu');
  history = new LossHistory();
  dl = createLearningKit({ history });
});

describe('callable modules', () => {
  it('gives model(x) and criterion(pred, y) the values of forward', () => {
    const model = new dl.nn.Sequential(new dl.nn.Linear(3, 4), new dl.nn.ReLU(), new dl.nn.Linear(4, 1));
    const criterion = new dl.nn.MSELoss();
    const x = dl.rand(5, 3);
    const y = dl.rand(5, 1);
    // Typed like forward: a Tensor, and the loss takes (input, target).
    const called: tf.Tensor = model(x);
    assert.deepEqual(Array.from(called.dataSync()), Array.from(model.forward(x).dataSync()));
    assert.equal(criterion(called, y).dataSync()[0], criterion.forward(model.forward(x), y).dataSync()[0]);
    assert.ok(model instanceof dl.nn.Module && model instanceof dl.nn.Sequential);
    assert.equal(model.length, 3, "Sequential's length is its module count, not a function's arity");
    model.dispose();
    tf.dispose([x, y]);
  });

  it('keeps user subclasses, their fields and the panel walk working', () => {
    class Net extends dl.nn.Module {
      label = 'my net';
      fc = new dl.nn.Linear(2, 1);
      override forward(x: tf.Tensor): tf.Tensor {
        return this.fc(x);
      }
    }
    const net = new Net();
    assert.equal(net.label, 'my net');
    Object.assign(net, { name: 'renamed', length: 2 }); // a function's own name and length would refuse this
    assert.deepEqual([Reflect.get(net, 'name'), Reflect.get(net, 'length')], ['renamed', 2]);
    assert.deepEqual(
      net.namedParameters().map(([n]) => n),
      ['fc.weight', 'fc.bias'],
    );
    assert.equal(String(net), 'Net(\n  (fc): Linear(in_features=2, out_features=1, bias=true)\n)');
    const y = tf.tidy(() => net(tf.ones([3, 2])));
    assert.deepEqual(y.shape, [3, 1]);
    const tree = walkParameters([['net', net]]);
    assert.equal(tree.roots.length, 1, 'the Parameters view shows a callable module');
    assert.equal(heldTensors([['net', net]]).count, 2, 'its weight and bias count as held, not leaked');
    // @ts-expect-error forward takes one tensor, and so does the call
    assert.throws(() => net(1, 2, 3));
    net.dispose();
    y.dispose();
  });
});

describe('PyTorch spellings', () => {
  it('says what to write when a class is called without new', () => {
    const Linear = dl.nn.Linear as unknown as (...args: unknown[]) => unknown;
    assert.throws(() => Linear(1, 1), { message: 'dl.nn.Linear is a class: create it with new, as in new dl.nn.Linear(1, 1)' });
  });

  it('names the nearest known option, and PyTorch options the kit does not have', () => {
    assert.equal(nearestKey('weight_decay', ['lr', 'weightDecay']), 'weightDecay');
    assert.equal(nearestKey('momentun', ['lr', 'momentum']), 'momentum');
    assert.equal(nearestKey('xyz', ['lr', 'momentum']), undefined);
    const params = () => new dl.nn.Linear(1, 1).parameters();
    const bad = (make: () => unknown, message: RegExp) => assert.throws(make, message);
    bad(
      () => new dl.optim.SGD(params(), { lr: 0.1, weight_decay: 0.1 } as never),
      /unknown option 'weight_decay': did you mean 'weightDecay'\?/,
    );
    bad(() => new dl.optim.Adam(params(), { amsgrad: true } as never), /PyTorch's option 'amsgrad' is not supported/);
    bad(() => new dl.optim.Adam(params(), { lr: 0.1, xyz: 1 } as never), /unknown option 'xyz': the options are 'lr', 'betas'/);
    bad(() => new dl.nn.CrossEntropyLoss({ ignore_index: 0 } as never), /'ignore_index' is not supported/);
    bad(() => new dl.nn.Softmax({ axis: 1 } as never), /Softmax\(options\): unknown option 'axis'/);
    bad(() => new dl.optim.SGD(params(), 0.1 as never), /options must be an object such as \{ lr: \.\.\. \}, got 0.1/);
  });
});

describe('Loss History run names', () => {
  it('includes the settings that differ from the defaults, or the name given', () => {
    const fresh = new LossHistory();
    const kit = createLearningKit({ history: fresh });
    const p = new kit.nn.Linear(1, 1).parameters();
    new kit.optim.SGD(p, { lr: 0.1, momentum: 0.9 });
    new kit.optim.SGD(p, { lr: 0.01, weightDecay: 0.01, nesterov: false });
    new kit.optim.Adam(p, { lr: 0.1, betas: [0.8, 0.99] });
    new kit.optim.Adam(p, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8 });
    new kit.optim.RMSprop(p, { lr: 0.01, alpha: 0.9, centered: true });
    new kit.optim.SGD(p, { lr: 0.1, name: 'mini-batches of 32' });
    new kit.optim.SGD(p, { lr: 0.1, name: 'mini-batches of 32' });
    assert.deepEqual(
      fresh.runs().map((r) => r.name),
      [
        'SGD (lr 0.1, momentum 0.9) #1',
        'SGD (lr 0.01, weight decay 0.01) #1',
        'Adam (lr 0.1, betas 0.8/0.99) #1',
        'Adam (lr 0.001) #1',
        'RMSprop (lr 0.01, alpha 0.9, centered) #1',
        'mini-batches of 32',
        'mini-batches of 32 #2',
      ],
    );
    assert.throws(() => new kit.optim.Adam(p, { name: '' }), /name must be a non-empty string/);
  });
});
