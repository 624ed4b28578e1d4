// The side panel's host half without VS Code: the rows each view shows for a snapshot,
// the panel model against a fake kernel, and the coalesced refresh.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { KernelState, Unsubscribe } from '../../src/kernel-client/types';
import type { LossRun, PanelSnapshot, ParamNode } from '../../src/shared/protocol';
import { Coalescer } from '../../src/host/panel/coalescer';
import { kernelItems } from '../../src/host/panel/kernelTree';
import { curveChart, downsample, wantsLogScale } from '../../src/host/panel/lossChartSpec';
import { lossItems, seriesDescription } from '../../src/host/panel/lossTree';
import { formatNumber } from '../../src/host/panel/panelFormat';
import { PanelModel, type PanelKernel } from '../../src/host/panel/panelModel';
import { parameterCount, parameterItem, parameterItems } from '../../src/host/panel/parameterTree';

const moduleNode: ParamNode = {
  id: 'model',
  label: 'model',
  kind: 'module',
  children: [
    {
      id: 'model/weight',
      label: 'weight',
      kind: 'variable',
      shape: [1, 1],
      dtype: 'float32',
      stats: { mean: 1.9987, std: 0, min: 1.9987, max: 1.9987 },
      values: [1.9987],
    },
    {
      id: 'model/bias',
      label: 'bias',
      kind: 'variable',
      shape: [2],
      dtype: 'float32',
      stats: { mean: 0.5, std: 0.25, min: 0.25, max: 0.75 },
      values: [0.25, 0.75],
    },
  ],
};

const run: LossRun = {
  id: 'run-1',
  name: 'SGD',
  source: 'optimizer',
  loss: { name: 'loss', steps: 3000, last: 0.0613, best: 0.0612 },
  metrics: [{ name: 'val_loss', steps: 10, last: 0.07, best: 0.065 }],
};

function snapshot(overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return {
    kernel: { backend: 'wasm', numTensors: 4, numBytes: 2048, leaks: [] },
    parameters: [moduleNode],
    runs: [run],
    ...overrides,
  };
}

describe('Parameters rows', () => {
  it('shows a module with its parameters: the shape and what fits of the values, all statistics on hover', () => {
    const [root] = parameterItems([moduleNode]);
    assert.equal(root.label, 'model');
    assert.equal(root.description, '3 params');
    assert.equal(root.collapsible, 'expanded');
    const [weight, bias] = root.children!;
    assert.equal(weight.label, 'weight');
    assert.equal(weight.description, '[1,1] = 1.999');
    assert.equal(bias.description, '[2] = [0.25, 0.75]');
    assert.match(bias.tooltip!, /values: 0\.25, 0\.75/);
    assert.match(bias.tooltip!, /mean 0\.5 · std 0\.25 · min 0\.25 · max 0\.75/);
    const many = parameterItem({
      id: 'w',
      label: 'w',
      kind: 'tensor',
      shape: [256, 1],
      dtype: 'float32',
      stats: { mean: 4.97912, std: 1, min: 0, max: 9 },
    });
    assert.equal(many.description, '[256,1] · mean 4.979', 'short enough for the default side-bar width');
    const ints = parameterItem({
      id: 'i',
      label: 'i',
      kind: 'tensor',
      shape: [10],
      dtype: 'int32',
      stats: { mean: 4.5, std: 3, min: 0, max: 9 },
    });
    assert.equal(ints.description, '[10] int32 · mean 4.5');
    assert.match(weight.contextValue!, /tensor/, 'Show/Copy Values apply to tensors');
    assert.doesNotMatch(root.contextValue!, /tensor/, '... and not to groups');
    assert.equal(weight.target, 'model/weight');
    assert.equal(weight.collapsible, 'none');
  });

  it('counts a model’s layers and parameters, and marks layers without weights', () => {
    const model: ParamNode = {
      id: 'net',
      label: 'net',
      kind: 'model',
      children: [
        {
          id: 'net/d',
          label: 'd',
          kind: 'layer',
          children: [
            { id: 'net/d/kernel', label: 'kernel', kind: 'variable', shape: [784, 32], dtype: 'float32' },
            { id: 'net/d/bias', label: 'bias', kind: 'variable', shape: [32], dtype: 'float32' },
          ],
        },
        { id: 'net/drop', label: 'drop', kind: 'layer', children: [] },
      ],
    };
    assert.equal(parameterCount(model), 784 * 32 + 32);
    const [root] = parameterItems([model]);
    assert.equal(root.description, '2 layers · 25,120 params');
    assert.equal(root.children![0].collapsible, 'collapsed');
    assert.equal(root.children![1].description, 'no weights');
    assert.equal(root.children![1].collapsible, 'none');
    const kernel = root.children![0].children![0];
    assert.equal(kernel.description, '[784,32]', 'no statistics yet: the shape only');
    assert.equal(kernel.id, 'param:net/d/kernel');
  });
});

describe('model summaries on hover', () => {
  it('shows a model row’s layers, output shapes and parameter counts as a table', () => {
    const summary = {
      title: 'Sequential',
      layers: [
        { name: '0', type: 'Linear', depth: 1, outputShape: '[batch, 3]', params: 9, trainable: 9 },
        { name: '0.a', type: 'ReLU', depth: 2, outputShape: '[batch, 3]', params: 0, trainable: 0 },
      ],
      totalParams: 9,
      trainableParams: 9,
      nonTrainableParams: 0,
    };
    const [root] = parameterItems([{ ...moduleNode, summary }]);
    assert.equal(
      root.tooltip,
      '**model**: Sequential\n\n| Layer | Type | Output shape | Params |\n|---|---|---|---:|\n' +
        '| 0 | Linear | [batch, 3] | 9 |\n| &nbsp;&nbsp;0.a | ReLU | [batch, 3] | 0 |\n\n9 parameters: 9 trainable, 0 not trainable',
    );
  });
});

describe('Loss History rows', () => {
  it('describes a run by its last and best loss and its steps, metrics as children', () => {
    const [item] = lossItems([run]);
    assert.equal(item.label, 'SGD');
    assert.equal(item.description, 'last 0.0613 · best 0.0612 · 3,000 steps');
    assert.equal(item.contextValue, 'lossRun');
    assert.equal(item.command?.command, 'dlnb.lossHistory.openChart');
    assert.equal(item.target, 'run-1');
    assert.equal(item.collapsible, 'collapsed');
    assert.deepEqual(
      item.children!.map((c) => [c.label, c.description]),
      [['val_loss', 'last 0.07 · best 0.065 · 10 steps']],
    );
  });

  it('says so when a run has no steps yet', () => {
    assert.equal(seriesDescription({ name: 'loss', steps: 0, last: NaN, best: NaN }), 'no steps yet');
    assert.equal(seriesDescription({ name: 'loss', steps: 1, last: 2, best: 2 }), 'last 2 · best 2 · 1 step');
  });
});

describe('Kernel rows', () => {
  it('lists state, backend, memory and the cells that leaked', () => {
    const items = kernelItems('busy', {
      backend: 'wasm',
      numTensors: 12,
      numBytes: 4096,
      leaks: [
        { cell: 7, tensors: 3, bytes: 1536 },
        { cell: 2, tensors: 1, bytes: 4 },
      ],
    });
    assert.deepEqual(
      items.map((i) => [i.label, i.description]),
      [
        ['State', 'running a cell'],
        ['Backend', 'wasm'],
        ['Tensors', '12 tensors · 4.0 KB'],
        ['Leaked tensors', '2 cells'],
      ],
    );
    const leaks = items[3].children!;
    assert.deepEqual(
      leaks.map((l) => [l.label, l.description]),
      [
        ['Cell 2', '1 tensor · 4 B'],
        ['Cell 7', '3 tensors · 1.5 KB'],
      ],
    );
    assert.equal(items[3].collapsible, 'expanded');
  });

  it('shows only the state before the kernel has sent anything', () => {
    const items = kernelItems('none', undefined);
    assert.equal(items.length, 1);
    assert.match(items[0].description!, /not started/);
    assert.equal(kernelItems('idle', { backend: 'cpu', numTensors: 0, numBytes: 0, leaks: [] })[3].description, 'none');
  });
});

describe('formatting and the curve chart', () => {
  it('writes four significant digits', () => {
    assert.deepEqual([0.0612345, 3, 123456, -0.00012346, 0, NaN].map(formatNumber), [
      '0.06123',
      '3',
      '123500',
      '-0.0001235',
      '0',
      'NaN',
    ]);
  });

  it('downsamples each series evenly and keeps its last point', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ series: 'loss', step: i + 1, value: 1 / (i + 1) }));
    const val = Array.from({ length: 10 }, (_, i) => ({ series: 'val_loss', step: (i + 1) * 100, value: 1 }));
    const { points: kept, downsampled } = downsample([...points, ...val], 110);
    assert.ok(downsampled);
    const loss = kept.filter((p) => p.series === 'loss');
    assert.equal(loss.length, 55);
    assert.equal(loss[0].step, 1);
    assert.equal(loss[loss.length - 1].step, 1000);
    assert.equal(kept.filter((p) => p.series === 'val_loss').length, 10);
    assert.equal(downsample(points, 5000).points, points);
  });

  it('draws losses that fall by orders of magnitude on a log axis', () => {
    const falling = [1, 0.1, 0.001].map((value, i) => ({ series: 'loss', step: i + 1, value }));
    assert.equal(wantsLogScale(falling), true);
    assert.equal(wantsLogScale(falling.slice(0, 2)), false, 'a tenfold fall reads well on a linear axis');
    assert.equal(wantsLogScale([...falling, { series: 'loss', step: 4, value: 0 }]), false, 'zero has no log');
    const { spec } = curveChart('SGD', falling, 100);
    assert.deepEqual((spec.encoding as Record<string, { scale: unknown }>).y.scale, { type: 'log' });
  });

  it('builds a Vega-Lite line chart over named data, coloured by series when there are several', () => {
    const { spec, values } = curveChart(
      'SGD',
      [
        { series: 'loss', step: 1, value: 2 },
        { series: 'val_loss', step: 1, value: 3 },
      ],
      100,
    );
    assert.equal(values.length, 2);
    assert.deepEqual(spec.data, { name: 'curve' });
    assert.equal((spec.encoding as Record<string, { field: string }>).color.field, 'series');
    assert.equal(spec.title, 'SGD');
    const single = curveChart('fit', [{ series: 'loss', step: 1, value: 2 }], 100).spec;
    assert.equal((single.encoding as Record<string, unknown>).color, undefined);
  });
});

class FakeKernel implements PanelKernel {
  state: KernelState = 'idle';
  snapshots = 0;
  next: PanelSnapshot = snapshot();
  private panelListeners = new Set<(s: PanelSnapshot) => void>();
  private stateListeners = new Set<(s: KernelState) => void>();

  async snapshot(): Promise<PanelSnapshot> {
    this.snapshots++;
    return this.next;
  }
  onPanel(listener: (s: PanelSnapshot) => void): Unsubscribe {
    this.panelListeners.add(listener);
    return { dispose: () => this.panelListeners.delete(listener) };
  }
  onStateChange(listener: (s: KernelState) => void): Unsubscribe {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }
  sendPanel(s: PanelSnapshot): void {
    this.panelListeners.forEach((l) => l(s));
  }
  setState(state: KernelState): void {
    this.state = state;
    this.stateListeners.forEach((l) => l(state));
  }
  get listeners(): number {
    return this.panelListeners.size + this.stateListeners.size;
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('panel model', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  function watched(model: PanelModel): { count: () => number } {
    let changes = 0;
    model.onDidChange(() => changes++);
    return { count: () => changes };
  }

  it('coalesces a burst of live snapshots into one refresh showing the latest', () => {
    const model = new PanelModel(() => assert.fail('no error expected'), 150);
    const kernel = new FakeKernel();
    const changes = watched(model);
    model.follow(true, kernel);
    for (let i = 1; i <= 5; i++) kernel.sendPanel(snapshot({ runs: [{ ...run, loss: { ...run.loss, steps: i } }] }));
    assert.equal(changes.count(), 0, 'nothing before the delay');
    mock.timers.tick(149);
    assert.equal(changes.count(), 0);
    mock.timers.tick(1);
    assert.equal(changes.count(), 1);
    assert.equal(model.view.snapshot?.runs[0].loss.steps, 5);
    kernel.sendPanel(snapshot());
    mock.timers.tick(150);
    assert.equal(changes.count(), 2, 'a later snapshot refreshes again');
    kernel.sendPanel(snapshot());
    mock.timers.tick(150);
    assert.equal(changes.count(), 2, '... but not one equal to what is shown');
    model.dispose();
  });

  it('asks for snapshots only while visible, and one at a time', async () => {
    const model = new PanelModel(() => assert.fail('no error expected'));
    const kernel = new FakeKernel();
    model.follow(true, kernel);
    await settle();
    assert.equal(kernel.snapshots, 0, 'hidden: no request');
    model.setVisible(true);
    model.requestSnapshot();
    model.requestSnapshot();
    assert.equal(kernel.snapshots, 1, 'the second ask waits for the first answer');
    await settle();
    await settle();
    assert.equal(kernel.snapshots, 2, '... then runs once');
    assert.deepEqual(model.view.snapshot, kernel.next);
    model.dispose();
  });

  it('clears on restart and follows a new kernel from an empty panel', async () => {
    const model = new PanelModel(() => assert.fail('no error expected'));
    const kernel = new FakeKernel();
    model.setVisible(true);
    model.follow(true, kernel);
    await settle();
    assert.ok(model.view.snapshot);
    kernel.setState('starting');
    assert.equal(model.view.snapshot, undefined);
    assert.equal(model.view.state, 'starting');
    const other = new FakeKernel();
    other.state = 'busy';
    model.follow(true, other);
    assert.equal(kernel.listeners, 0, 'the old kernel is no longer heard');
    assert.equal(model.view.snapshot, undefined);
    model.follow(false, undefined);
    assert.deepEqual(model.view, { hasNotebook: false, state: 'none', snapshot: undefined });
    model.dispose();
  });

  it('drops a late answer from a kernel it no longer follows', async () => {
    const model = new PanelModel(() => assert.fail('no error expected'));
    let answer: (s: PanelSnapshot) => void = () => {};
    const slow = new FakeKernel();
    slow.snapshot = () => new Promise((resolve) => (answer = resolve));
    model.setVisible(true);
    model.follow(true, slow);
    model.follow(true, undefined);
    answer(snapshot());
    await settle();
    assert.equal(model.view.snapshot, undefined);
    model.dispose();
  });

  it('reports a failed snapshot request', async () => {
    const errors: string[] = [];
    const model = new PanelModel((message) => errors.push(message));
    const kernel = new FakeKernel();
    kernel.snapshot = async () => {
      throw new Error('worker gone');
    };
    model.setVisible(true);
    model.follow(true, kernel);
    await settle();
    assert.equal(errors.length, 1);
    model.dispose();
  });
});

describe('coalescer', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('runs once per burst, and not at all once disposed', () => {
    let runs = 0;
    const coalescer = new Coalescer(() => runs++, 100);
    coalescer.schedule();
    mock.timers.tick(60);
    coalescer.schedule();
    mock.timers.tick(40);
    assert.equal(runs, 1, 'the first request sets the pace');
    coalescer.schedule();
    coalescer.dispose();
    mock.timers.tick(500);
    assert.equal(runs, 1);
  });
});
