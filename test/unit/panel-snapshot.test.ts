// The side panel's worker half on the real tfjs (cpu backend): the parameter tree, the
// summaries, the loss runs from each source, full values by id, and the cost bounds.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { fitRecordingCallback, registerFitRecording } from '../../src/kernel/panel/fitRecording';
import { addFitCallbackFactory, installFitHooks } from '../../src/kernel/runtime/fitHooks';
import { LossHistory } from '../../src/kernel/panel/lossHistory';
import { takeSnapshot, tensorValues } from '../../src/kernel/panel/snapshot';
import { ReadBudget, StatsCache, computeStats } from '../../src/kernel/panel/tensorStats';
import type { TensorLike } from '../../src/kernel/panel/tensorLike';
import { float32Text, formatValues } from '../../src/kernel/panel/valuesText';
import type { ParamNode, PanelSnapshot } from '../../src/shared/protocol';

before(async () => {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
});

function snapshotOf(globals: Record<string, unknown>, history = new LossHistory()): PanelSnapshot {
  return takeSnapshot({ userGlobals: Object.entries(globals), history, backend: 'cpu', leaks: [], cache: new StatsCache() });
}

function find(nodes: ParamNode[], id: string): ParamNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const inChild = find(node.children ?? [], id);
    if (inChild) return inChild;
  }
  return undefined;
}

function assertClose(actual: number | undefined, expected: number, what: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}

describe('parameter summaries', () => {
  it('gives shape, dtype, stats and the values of a small tensor', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const [node] = snapshotOf({ x }).parameters;
    assert.equal(node.id, 'x');
    assert.equal(node.kind, 'tensor');
    assert.deepEqual(node.shape, [2, 2]);
    assert.equal(node.dtype, 'float32');
    assertClose(node.stats?.mean, 2.5, 'mean');
    assertClose(node.stats?.std, Math.sqrt(1.25), 'std');
    assert.equal(node.stats?.min, 1);
    assert.equal(node.stats?.max, 4);
    assert.deepEqual(node.values, [1, 2, 3, 4]);
    x.dispose();
  });

  it('keeps values only for tensors of at most 10 elements', () => {
    const ten = tf.range(0, 10, 1, 'int32');
    const eleven = tf.range(0, 11, 1, 'int32');
    const nodes = snapshotOf({ ten, eleven }).parameters;
    assert.deepEqual(nodes[0].values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(nodes[0].dtype, 'int32');
    assert.equal(nodes[1].values, undefined);
    assertClose(nodes[1].stats?.mean, 5, 'mean of 0..10');
    assertClose(nodes[1].stats?.std, Math.sqrt(10), 'std of 0..10');
    tf.dispose([ten, eleven]);
  });

  it('marks variables, skips disposed tensors and values that hold no tensor', () => {
    const w = tf.variable(tf.tensor1d([-1, 1]));
    const gone = tf.scalar(3);
    gone.dispose();
    const nodes = snapshotOf({ w, gone, n: 3, text: 'hi', nothing: null, __dlnb_internal: tf.scalar(1) }).parameters;
    assert.deepEqual(
      nodes.map((n) => n.id),
      ['w'],
    );
    assert.equal(nodes[0].kind, 'variable');
    assertClose(nodes[0].stats?.std, 1, 'std');
    w.dispose();
  });

  it('follows a variable through assign instead of showing stale stats', () => {
    const w = tf.variable(tf.tensor1d([1, 1]));
    const cache = new StatsCache();
    // No deadline: a changed tensor is then always read again, however slow the machine.
    const take = () =>
      takeSnapshot({ userGlobals: [['w', w]], history: new LossHistory(), backend: 'cpu', leaks: [], cache, readMs: Infinity });
    assert.equal(take().parameters[0].stats?.mean, 1);
    w.assign(tf.tensor1d([5, 7]));
    assert.equal(take().parameters[0].stats?.mean, 6);
    w.dispose();
  });

  it('walks a Sequential model into its layers and their weights', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 3, inputShape: [2], name: 'hidden', biasInitializer: 'ones' }),
        tf.layers.dropout({ rate: 0.1, name: 'drop' }),
        tf.layers.dense({ units: 1, name: 'out' }),
      ],
    });
    const snapshot = snapshotOf({ model });
    const root = snapshot.parameters[0];
    assert.equal(root.kind, 'model');
    assert.deepEqual(
      root.children?.map((c) => [c.label, c.kind]),
      [
        ['hidden', 'layer'],
        ['drop', 'layer'],
        ['out', 'layer'],
      ],
    );
    assert.deepEqual(find(snapshot.parameters, 'model/drop')?.children, []);
    const kernel = find(snapshot.parameters, 'model/hidden/kernel');
    assert.equal(kernel?.label, 'kernel');
    assert.deepEqual(kernel?.shape, [2, 3]);
    assert.equal(kernel?.kind, 'variable');
    const expectedKernel = Array.from(model.layers[0].getWeights()[0].dataSync());
    assert.deepEqual(kernel?.values, expectedKernel);
    const bias = find(snapshot.parameters, 'model/hidden/bias');
    assert.deepEqual(bias?.values, [1, 1, 1]);
    assert.deepEqual(bias?.stats, { mean: 1, std: 0, min: 1, max: 1 });
    assert.deepEqual(find(snapshot.parameters, 'model/out/kernel')?.shape, [3, 1]);
    model.dispose();
  });

  it('shows a module by its namedParameters, grouped by dotted names', () => {
    const weight = tf.variable(tf.tensor2d([[0.5]]));
    const bias = tf.variable(tf.tensor1d([-0.25]));
    const inner = tf.variable(tf.tensor1d([1, 2, 3]));
    const model = {
      namedParameters: () => [
        ['weight', { data: weight }],
        ['bias', { data: bias }],
        ['0.weight', { data: inner }],
      ],
    };
    const [root] = snapshotOf({ model }).parameters;
    assert.equal(root.kind, 'module');
    assert.deepEqual(
      root.children?.map((c) => c.label),
      ['weight', 'bias', '0'],
    );
    assert.deepEqual(root.children?.[0].shape, [1, 1]);
    assert.deepEqual(root.children?.[0].values, [0.5]);
    assert.deepEqual(root.children?.[1].values, [-0.25]);
    const group = root.children?.[2];
    assert.equal(group?.kind, 'module');
    assert.equal(group?.children?.[0].id, 'model/0.weight');
    assert.equal(group?.children?.[0].label, 'weight');
    tf.dispose([weight, bias, inner]);
  });

  it('reports memory and leaks, and leaves no tensor behind', () => {
    const x = tf.ones([4, 4]);
    const before = tf.memory().numTensors;
    const snapshot = takeSnapshot({
      userGlobals: [['x', x]],
      history: new LossHistory(),
      backend: 'cpu',
      leaks: [{ cell: 3, tensors: 2, bytes: 64 }],
    });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(snapshot.kernel.numTensors, before);
    assert.equal(snapshot.kernel.backend, 'cpu');
    assert.deepEqual(snapshot.kernel.leaks, [{ cell: 3, tensors: 2, bytes: 64 }]);
    x.dispose();
  });

  it('summarises a 1,000,000-element tensor without putting its values in the message', () => {
    const big = tf.range(0, 1_000_000);
    const snapshot = snapshotOf({ big });
    const [node] = snapshot.parameters;
    assert.equal(node.values, undefined);
    assertClose(node.stats?.mean, 499_999.5, 'mean');
    assertClose(node.stats?.std, Math.sqrt((1e12 - 1) / 12), 'std');
    assert.equal(node.stats?.min, 0);
    assert.equal(node.stats?.max, 999_999);
    assert.ok(JSON.stringify(snapshot).length < 2000, 'the snapshot stays small');
    big.dispose();
  });
});

describe('stats cache and read budget', () => {
  function fakeTensor(data: number[]): TensorLike & { reads: number } {
    return {
      shape: [data.length],
      dtype: 'float32',
      size: data.length,
      isDisposed: false,
      dataId: {},
      reads: 0,
      dataSync() {
        this.reads++;
        return Float32Array.from(data);
      },
    };
  }

  it('reads unchanged data once', () => {
    const t = fakeTensor([1, 2, 3]);
    const cache = new StatsCache();
    cache.summarize(t, new ReadBudget(100));
    cache.summarize(t, new ReadBudget(100));
    assert.equal(t.reads, 1);
  });

  it('skips tensors past the budget and charges the budget for what it reads', () => {
    const cache = new StatsCache();
    const budget = new ReadBudget(5);
    assert.deepEqual(cache.summarize(fakeTensor([1, 3]), budget)?.stats, { mean: 2, std: 1, min: 1, max: 3 });
    assert.equal(cache.summarize(fakeTensor([1, 2, 3, 4]), budget), undefined);
    assert.equal(budget.elements, 3);
  });

  it('past the deadline keeps showing the last summary of a changed tensor, but reads a new one', () => {
    const cache = new StatsCache();
    const node = (id: string): ParamNode => ({ id, label: id, kind: 'tensor' });
    const first = { node: node('w'), tensor: fakeTensor([1, 3]) };
    cache.summarizeAll([first], new ReadBudget(100));
    const changed = { node: node('w'), tensor: fakeTensor([10, 30]) };
    const fresh = { node: node('b'), tensor: fakeTensor([5]) };
    const expired = new ReadBudget(100, 0, () => 1);
    cache.summarizeAll([changed, fresh], expired);
    assert.equal(changed.tensor.reads, 0);
    assert.equal(changed.node.stats?.mean, 2, 'the last summary, until there is time to read');
    assert.equal(fresh.tensor.reads, 1, 'a tensor never summarised is read anyway');
    assert.deepEqual(fresh.node.values, [5]);
  });

  it('reads changed tensors stalest first when the budget is short', () => {
    const cache = new StatsCache();
    const node = (id: string): ParamNode => ({ id, label: id, kind: 'tensor' });
    const round = (values: number) => [
      { node: node('a'), tensor: fakeTensor([values, values]) },
      { node: node('b'), tensor: fakeTensor([values, values]) },
    ];
    cache.summarizeAll(round(1), new ReadBudget(100));
    const second = round(2);
    cache.summarizeAll(second, new ReadBudget(2));
    assert.deepEqual(
      second.map((t) => t.tensor.reads),
      [1, 0],
    );
    assert.deepEqual(
      second.map((t) => t.node.stats?.mean),
      [2, 1],
    );
    const third = round(3);
    cache.summarizeAll(third, new ReadBudget(2));
    assert.deepEqual(
      third.map((t) => t.tensor.reads),
      [0, 1],
      'b waited longest',
    );
    assert.deepEqual(
      third.map((t) => t.node.stats?.mean),
      [2, 3],
    );
  });

  it('computes NaN stats when data holds NaN, none for empty data', () => {
    assert.ok(Number.isNaN(computeStats([1, NaN])?.mean));
    assert.equal(computeStats([]), undefined);
  });
});

describe('loss runs', () => {
  it('summarises an optimizer run', () => {
    const history = new LossHistory();
    const run = history.startRun('SGD', 'optimizer');
    for (const loss of [0.5, 0.2, 0.3]) run.record(loss);
    const [summary] = snapshotOf({}, history).runs;
    assert.equal(summary.source, 'optimizer');
    assert.equal(summary.name, 'SGD');
    assert.deepEqual(summary.loss, { name: 'loss', steps: 3, last: 0.3, best: 0.2 });
  });

  it('records a real model.fit per batch, with validation metrics at epoch ends', async () => {
    const history = new LossHistory();
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mse'] });
    const xs = tf.tensor2d([[0], [1], [2], [3]]);
    const ys = tf.tensor2d([[1], [3], [5], [7]]);
    const fitted = await model.fit(xs, ys, {
      epochs: 2,
      batchSize: 2,
      validationData: [xs, ys],
      callbacks: fitRecordingCallback(history),
    });
    const [run] = history.runs();
    assert.equal(run.name, 'model.fit #1');
    assert.equal(run.source, 'fit');
    assert.equal(run.loss.steps, 4, 'two batches in each of two epochs');
    const metrics = Object.fromEntries(run.metrics.map((m) => [m.name, m]));
    assert.equal(metrics.mse.steps, 4);
    assert.equal(metrics.val_loss.steps, 2);
    const valLoss = fitted.history.val_loss as number[];
    assertClose(metrics.val_loss.last, valLoss[1], 'val_loss');
    const valPoints = history.curve(run.id).filter((p) => p.series === 'val_loss');
    assert.deepEqual(
      valPoints.map((p) => p.step),
      [2, 4],
    );

    await model.fit(xs, ys, { epochs: 1, callbacks: fitRecordingCallback(history, 'net') });
    assert.equal(history.runs()[1].name, 'net.fit #2');
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('records every fit once registered with the runtime’s fit hooks, until unregistered', async () => {
    installFitHooks();
    const history = new LossHistory();
    const stop = registerFitRecording({ history, addFitCallbackFactory });
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = tf.tensor2d([[0], [1]]);
    const ys = tf.tensor2d([[1], [3]]);
    await model.fit(xs, ys, { epochs: 3, batchSize: 2 });
    assert.deepEqual(
      history.runs().map((r) => [r.name, r.loss.steps]),
      [['model.fit #1', 3]],
    );
    stop();
    await model.fit(xs, ys, { epochs: 1 });
    assert.equal(history.runs().length, 1);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('keeps one run per history.log series', () => {
    const history = new LossHistory();
    history.log('accuracy', 0.5);
    history.log('accuracy', 0.75);
    history.log('loss', 2);
    const runs = history.runs();
    assert.deepEqual(
      runs.map((r) => [r.name, r.source, r.loss.steps, r.loss.last]),
      [
        ['accuracy', 'log', 2, 0.75],
        ['loss', 'log', 1, 2],
      ],
    );
    assert.deepEqual(history.curve(runs[0].id), [
      { series: 'loss', step: 1, value: 0.5 },
      { series: 'loss', step: 2, value: 0.75 },
    ]);
  });

  it('tells listeners about each change', () => {
    const history = new LossHistory();
    let changes = 0;
    const stop = history.onChange(() => changes++);
    const run = history.startRun('Adam', 'optimizer');
    run.record(1);
    run.recordMetric('val_loss', 2, 1);
    stop();
    run.record(0.5);
    assert.equal(changes, 3);
    assert.equal(history.version, 4);
  });
});

describe('full values', () => {
  it('finds a parameter by id and writes its values as nested arrays', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [3], name: 'd', kernelInitializer: 'ones' })],
    });
    const globals: [string, unknown][] = [['model', model]];
    const result = tensorValues(globals, 'model/d/kernel');
    assert.deepEqual(result?.shape, [3, 2]);
    assert.deepEqual(result?.values, [1, 1, 1, 1, 1, 1]);
    assert.equal(result?.text, '[[1, 1],\n [1, 1],\n [1, 1]]');
    assert.equal(tensorValues(globals, 'model/d/nope'), undefined);
    model.dispose();
    assert.equal(tensorValues(globals, 'model/d/kernel'), undefined, 'a disposed model has no values');
  });

  it('formats scalars, 3-d tensors and float32 values readably', () => {
    assert.equal(formatValues([0.5], [], 'float32'), '0.5');
    assert.equal(formatValues([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], 'int32'), '[[[1, 2],\n  [3, 4]],\n [[5, 6],\n  [7, 8]]]');
    assert.equal(formatValues([1, 0], [2], 'bool'), '[true, false]');
    assert.equal(formatValues([], [0, 3], 'float32'), '[[]]');
    assert.equal(float32Text(Math.fround(0.1)), '0.1');
    assert.equal(float32Text(Math.fround(1 / 3)), '0.33333334');
    assert.equal(Math.fround(Number(float32Text(Math.fround(Math.PI)))), Math.fround(Math.PI));
  });
});
