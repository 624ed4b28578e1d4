// The plot API of notebook cells: the Vega-Lite specs it builds from each kind of input,
// its options, the statistics behind lmplot and hist, loss curves, live charts (with a
// fake clock) and downsampling.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { MIME, type MimeBundle } from '../../src/shared/protocol';
import { ALREADY_SHOWN, MIME_BUNDLE, hasMimeBundle } from '../../src/kernel/richValue';
import { createPlotApi } from '../../src/kernel/plot/index';
import type { Clock } from '../../src/kernel/plot/live';
import { PALETTE } from '../../src/kernel/plot/spec';
import { studentTQuantile } from '../../src/kernel/plot/stats';
import { findDataUrls, gridIndices, strideIndices } from '../../src/shared/chartData';

tf.enableProdMode();

type Spec = Record<string, any>;

class FakeIO {
  displays: { bundle: MimeBundle; displayId?: string }[] = [];
  updates: { displayId: string; bundle: MimeBundle }[] = [];
  cellEnd: (() => void)[] = [];
  display(bundle: MimeBundle, displayId?: string) {
    this.displays.push({ bundle, displayId });
  }
  updateDisplay(displayId: string, bundle: MimeBundle) {
    this.updates.push({ displayId, bundle });
  }
  onCellEnd(callback: () => void) {
    this.cellEnd.push(callback);
  }
  endCell() {
    const callbacks = this.cellEnd.splice(0);
    for (const callback of callbacks) callback();
  }
  get lastSpec(): Spec {
    return this.displays[this.displays.length - 1].bundle[MIME.vegaLite] as Spec;
  }
}

class FakeClock implements Clock {
  time = 0;
  timers = new Map<number, { at: number; callback: () => void }>();
  private next = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as number);
  /** Moves time on, firing timers that fall due, as the event loop would between pushes. */
  advance(ms: number) {
    this.time += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.time) {
        this.timers.delete(id);
        timer.callback();
      }
    }
  }
}

function setup(maxPoints = 5000) {
  const io = new FakeIO();
  const clock = new FakeClock();
  return { io, clock, plot: createPlotApi({ io, maxPoints, clock }) };
}

/** The rows of each data layer (layers that have their own data). */
const layerRows = (spec: Spec): Spec[][] => spec.layer.map((l: Spec) => l.data.values);
const xy = (rows: Spec[]) => rows.map((r) => [r.x, r.y]);

describe('plot inputs', () => {
  it('plots plain arrays: y against its index, or x against y', () => {
    const { plot, io } = setup();
    plot.line([3, 1, 2]);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [0, 3],
      [1, 1],
      [2, 2],
    ]);
    plot.line([10, 20, 30], [3, 1, 2]);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [10, 3],
      [20, 1],
      [30, 2],
    ]);
  });

  it('gives index, step and epoch axes whole-number ticks only', () => {
    const { plot, io } = setup();
    plot.line([1, 3, 2, 5]);
    assert.deepEqual(io.lastSpec.layer[0].encoding.x.axis, { tickMinStep: 1, format: 'd' });
    plot.line([0.5, 1.5], [1, 2]);
    assert.equal(io.lastSpec.layer[0].encoding.x.axis, undefined, 'fractional xs keep fractional ticks');
    plot.line([1, 10, 100], [1, 2, 3], { xScale: 'log' });
    assert.equal(io.lastSpec.layer[0].encoding.x.axis, undefined, 'a log axis keeps its own ticks');
  });

  it('plots typed arrays', () => {
    const { plot, io } = setup();
    plot.scatter(Float32Array.from([0.5, 1.5]), Int32Array.from([4, 5]));
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [0.5, 4],
      [1.5, 5],
    ]);
  });

  it('plots tensors of shape [n], [n,1] and [n,2]', () => {
    const { plot, io } = setup();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.tensor2d([[4], [5], [6]]);
    const points = tf.tensor2d([
      [7, 8],
      [9, 10],
    ]);
    plot.scatter(x, y);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    plot.line(y);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [0, 4],
      [1, 5],
      [2, 6],
    ]);
    plot.scatter(points);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [7, 8],
      [9, 10],
    ]);
    assert.throws(() => plot.scatter(tf.zeros([2, 3])), /shape \[n\], \[n,1\] or \[n,2\], got \[2,3\]/);
    assert.throws(() => plot.line(tf.zeros([2, 2]), tf.zeros([2])), /1-D tensor or shape \[n,1\], got shape \[2,2\]/);
    tf.dispose([x, y, points]);
  });

  it('plots [x, y] pairs and object rows with named fields', () => {
    const { plot, io } = setup();
    plot.scatter([
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [1, 2],
      [3, 4],
    ]);
    plot.scatter([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [1, 2],
      [3, 4],
    ]);
    plot.line(
      [
        { sqft: 50, price: 100 },
        { sqft: 70, price: 150 },
      ],
      { x: 'sqft', y: 'price' },
    );
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [50, 100],
      [70, 150],
    ]);
    assert.throws(() => plot.line([{ a: 1 }], { x: 'a' }), /no field 'y' \(they have: a\)/);
  });

  it('splits points into series by a field or by labels', () => {
    const { plot, io } = setup();
    plot.scatter(
      [
        { x: 1, y: 1, kind: 'a' },
        { x: 2, y: 2, kind: 'b' },
        { x: 3, y: 3, kind: 'a' },
      ],
      { by: 'kind' },
    );
    const spec = io.lastSpec;
    assert.equal(spec.layer.length, 2);
    assert.deepEqual(spec.layer[0].encoding.color.scale.domain, ['a', 'b']);
    assert.deepEqual(xy(layerRows(spec)[0]), [
      [1, 1],
      [3, 3],
    ]);
    plot.scatter(
      tf.tensor2d([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
      { by: tf.tensor1d([1, 0, 1], 'int32') },
    );
    assert.deepEqual(io.lastSpec.layer[0].encoding.color.scale.domain, ['0', '1']);
    assert.throws(() => plot.scatter([1, 2], [3, 4], { by: ['a'] }), /by has 1 labels for 2 points/);
  });

  it('refuses bad input with a clear message', () => {
    const { plot } = setup();
    assert.throws(() => plot.line([1, 2], [1, 2, 3]), /x has 2 values but y has 3/);
    assert.throws(() => plot.line('abc' as any), /expected an array, a typed array or a tensor, got string/);
    assert.throws(() => plot.line([1, 'a' as any]), /expected numbers, got string/);
    assert.throws(() => plot.line([1, 2], { xlabel: 'x' } as any), /unknown option 'xlabel' \(did you mean 'xLabel'\?\)/);
    assert.throws(() => (plot.line as any)(), /pass data/);
  });
});

describe('plot options and specs', () => {
  it('builds inline-data Vega-Lite v5 specs that fill the editor width', () => {
    const { plot, io } = setup(1234);
    const chart = plot.line([1, 2, 3]);
    const spec = io.lastSpec;
    assert.equal(spec.$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
    assert.equal(spec.width, 'container');
    assert.deepEqual(spec.usermeta, { dlnb: { maxPoints: 1234 } });
    assert.deepEqual(findDataUrls(spec), []);
    assert.equal(chart.spec, spec);
  });

  it('applies each chart and series option', () => {
    const { plot, io } = setup();
    plot.line([1, 2], [3, 4], {
      title: 'T',
      subtitle: 'S',
      xLabel: 'epoch',
      yLabel: 'loss',
      width: 400,
      height: 200,
      xScale: 'log',
      yScale: 'log',
      color: 'red',
      opacity: 0.5,
      strokeWidth: 3,
    });
    let spec = io.lastSpec;
    assert.deepEqual(spec.title, { text: 'T', subtitle: 'S' });
    assert.equal(spec.width, 400);
    assert.equal(spec.height, 200);
    const [layer] = spec.layer;
    assert.deepEqual(layer.mark, { type: 'line', strokeWidth: 3, opacity: 0.5, color: 'red' });
    assert.equal(layer.encoding.x.title, 'epoch');
    assert.equal(layer.encoding.y.title, 'loss');
    assert.equal(layer.encoding.x.scale.type, 'log');
    assert.deepEqual(layer.encoding.y.scale, { type: 'log' }, 'no zero: false, which a log scale rejects');
    assert.equal(layer.encoding.color, undefined, 'one unnamed series has no legend');
    plot.scatter([1, 2], [3, 4], { name: 'data', size: 60, opacity: 0.3 });
    spec = io.lastSpec;
    assert.equal(spec.layer[0].mark.size, 60);
    assert.equal(spec.layer[0].mark.opacity, 0.3);
    assert.deepEqual(spec.layer[0].encoding.color.scale.domain, ['data'], 'a named series has a legend');
    plot.scatter([1, 2], [3, 4], { name: 'data', legend: false });
    assert.equal(io.lastSpec.layer[0].encoding.color, undefined);
  });

  it('draws several series in one chart with a legend', () => {
    const { plot, io } = setup();
    const x = [0, 1, 2, 3];
    const chart = plot.chart({ title: 'Fit' }, [
      plot.series.scatter(x, [1, 3, 5, 7.5], { name: 'data', color: 'green', opacity: 0.3 }),
      plot.series.line(x, [1, 3, 5, 7], { name: 'predicted' }),
    ]);
    const spec = io.lastSpec;
    assert.equal(spec.layer.length, 2);
    assert.deepEqual(
      spec.layer.map((l: Spec) => l.mark.type),
      ['point', 'line'],
    );
    assert.equal(spec.layer[0].mark.opacity, 0.3);
    for (const layer of spec.layer) {
      assert.deepEqual(layer.encoding.color.scale, { domain: ['data', 'predicted'], range: ['green', PALETTE[1]] });
    }
    assert.deepEqual(
      layerRows(spec)[1].map((r) => r.series),
      ['predicted', 'predicted', 'predicted', 'predicted'],
    );
    assert.equal(chart.summary, '<chart "Fit": scatter + line, 8 points>');
    // Series first, options second, works too.
    plot.chart([plot.series.line([1, 2])]);
    assert.equal(io.lastSpec.layer.length, 1);
    assert.throws(() => plot.chart({}, [{} as any]), /series made with plot\.series/);
  });

  it('draws named curves in one chart: plot.lines', () => {
    const { plot, io } = setup();
    plot.lines(
      { 'SGD momentum': [3, 2, 1], RMSprop: [2, 1.5], Adam: tf.tensor1d([1, 0.5, 0.2]) },
      { xLabel: 'step', yLabel: 'loss' },
    );
    const spec = io.lastSpec;
    assert.deepEqual(spec.layer[0].encoding.color.scale.domain, ['SGD momentum', 'RMSprop', 'Adam']);
    assert.deepEqual(
      xy(layerRows(spec)[1]),
      [
        [1, 2],
        [2, 1.5],
      ],
      'x counts steps from 1',
    );
    assert.equal(spec.layer[2].encoding.x.title, 'step');
    plot.lines({ a: [5, 6] }, { x: [10, 20], colors: { a: 'purple' } });
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [10, 5],
      [20, 6],
    ]);
    assert.deepEqual(io.lastSpec.layer[0].encoding.color.scale.range, ['purple']);
  });

  it('shows each chart once, returns it marked as shown, and can show it again', () => {
    const { plot, io } = setup();
    const chart = plot.scatter([1, 2], [3, 4]);
    assert.equal(io.displays.length, 1);
    assert.equal(chart[ALREADY_SHOWN], true);
    assert.ok(hasMimeBundle(chart));
    const bundle = chart[MIME_BUNDLE]();
    assert.equal(bundle[MIME.vegaLite], io.lastSpec);
    assert.equal(bundle[MIME.text], '<chart: scatter, 2 points>');
  });

  it('shows any Vega-Lite spec with plot.vega, refusing data URLs', () => {
    const { plot, io } = setup(300);
    plot.vega({ mark: 'bar', data: { values: [{ a: 1 }] }, usermeta: { mine: true } });
    assert.equal(io.lastSpec.$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
    assert.equal(io.displays[0].bundle[MIME.text], '<chart: vega-lite>');
    assert.deepEqual(io.lastSpec.usermeta, { mine: true, dlnb: { maxPoints: 300 } });
    assert.throws(
      () => plot.vega({ layer: [{ data: { url: 'https://x.org/d.csv' } }] }),
      /https:\/\/x\.org\/d\.csv at layer\[0\]\.data\.url/,
    );
    assert.equal(io.displays.length, 1);
  });
});

describe('lmplot', () => {
  const xs = [1, 2, 3, 4, 5, 6, 7, 8];
  const ys = [2.9, 5.2, 6.8, 9.1, 11.2, 12.8, 15.1, 17.0];

  it('draws the least-squares line of the data', () => {
    const { plot, io } = setup();
    const chart = plot.lmplot(xs, ys);
    // Least squares from the normal equations, independently of the implementation.
    const n = xs.length;
    const sx = xs.reduce((a, b) => a + b);
    const sy = ys.reduce((a, b) => a + b);
    const sxy = xs.reduce((a, x, i) => a + x * ys[i], 0);
    const sxx = xs.reduce((a, x) => a + x * x, 0);
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const intercept = (sy - slope * sx) / n;
    assert.ok(Math.abs(chart.fit.slope - slope) < 1e-12);
    assert.ok(Math.abs(chart.fit.intercept - intercept) < 1e-12);
    const layers = io.lastSpec.layer as Spec[];
    assert.deepEqual(
      layers.map((l) => l.mark.type),
      ['area', 'point', 'line'],
    );
    const line = layers[2].data.values as Spec[];
    assert.equal(line[0].x, 1);
    assert.equal(line[line.length - 1].x, 8);
    for (const p of line) assert.ok(Math.abs(p.y - (slope * p.x + intercept)) < 1e-9);
    assert.deepEqual(
      xy(layers[1].data.values),
      xs.map((x, i) => [x, ys[i]]),
    );
  });

  it('draws the 95% confidence band of the mean around the line', () => {
    const { plot, io } = setup();
    const { fit } = plot.lmplot(xs, ys);
    const band = io.lastSpec.layer[0].data.values as Spec[];
    const n = xs.length;
    const meanX = xs.reduce((a, b) => a + b) / n;
    const sxx = xs.reduce((a, x) => a + (x - meanX) ** 2, 0);
    const sse = xs.reduce((a, x, i) => a + (ys[i] - (fit.slope * x + fit.intercept)) ** 2, 0);
    const s = Math.sqrt(sse / (n - 2));
    const t = 2.446912; // t(0.975, 6) from tables
    for (const p of band) {
      const y = fit.slope * p.x + fit.intercept;
      const half = t * s * Math.sqrt(1 / n + (p.x - meanX) ** 2 / sxx);
      assert.ok(Math.abs(p.lo - (y - half)) < 1e-5 && Math.abs(p.hi - (y + half)) < 1e-5, `band at x=${p.x}`);
    }
    assert.throws(() => plot.lmplot([1], [2]), /at least 2 points/);
    assert.throws(() => plot.lmplot([1, 1], [2, 3]), /two different x values/);
  });

  it("matches Student's t quantiles from tables", () => {
    for (const [df, q] of [
      [1, 12.706205],
      [3, 3.182446],
      [10, 2.228139],
      [30, 2.042272],
    ]) {
      assert.ok(Math.abs(studentTQuantile(0.975, df) - q) < 1e-5, `df=${df}`);
    }
    assert.ok(Math.abs(studentTQuantile(0.025, 10) + 2.228139) < 1e-5);
  });
});

describe('hist', () => {
  it('counts values into equal-width bins', () => {
    const { plot, io } = setup();
    plot.hist([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { bins: 5, title: 'h' });
    const rows = io.lastSpec.data.values as Spec[];
    assert.deepEqual(
      rows.map((r) => r.count),
      [2, 2, 2, 2, 2],
    );
    assert.equal(rows[0].start, 0);
    assert.equal(rows[4].end, 9);
    assert.equal(io.lastSpec.mark.type, 'bar');
  });

  it("takes tensors of any shape and defaults to Sturges' rule", () => {
    const { plot, io } = setup();
    const values = tf.randomNormal([16, 8], 0, 1, 'float32', 7);
    plot.hist(values);
    const rows = io.lastSpec.data.values as Spec[];
    assert.equal(rows.length, Math.ceil(Math.log2(128) + 1));
    assert.equal(
      rows.reduce((a, r) => a + r.count, 0),
      128,
    );
    values.dispose();
    assert.throws(() => plot.hist([1, 2], { bins: 0 }), /bins must be a positive integer/);
    assert.throws(() => plot.hist([NaN]), /no finite values/);
  });
});

describe('plot.loss', () => {
  it('draws loss and val_loss per epoch from a model.fit History', () => {
    const { plot, io } = setup();
    plot.loss({ history: { loss: [1, 0.5, 0.25], val_loss: [1.1, 0.7, 0.4], acc: [0.2, 0.6, 0.9] } });
    const spec = io.lastSpec;
    assert.deepEqual(spec.layer[0].encoding.color.scale.domain, ['loss', 'val_loss']);
    assert.deepEqual(xy(layerRows(spec)[0]), [
      [1, 1],
      [2, 0.5],
      [3, 0.25],
    ]);
    assert.equal(spec.layer[0].encoding.x.title, 'epoch');
    assert.equal(spec.layer[0].encoding.y.title, 'loss');
    plot.loss({ history: { loss: [1, 0.5], acc: [0.2, 0.6] } }, { metrics: ['acc'] });
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [1, 0.2],
      [2, 0.6],
    ]);
    assert.throws(
      () => plot.loss({ history: { loss: [1] } }, { metrics: ['val_loss'] }),
      /no series 'val_loss' \(there are: loss\)/,
    );
  });

  it('draws one array of losses, or named arrays, per step', () => {
    const { plot, io } = setup();
    plot.loss([3, 2, 1]);
    assert.deepEqual(xy(layerRows(io.lastSpec)[0]), [
      [1, 3],
      [2, 2],
      [3, 1],
    ]);
    assert.equal(io.lastSpec.layer[0].encoding.x.title, 'step');
    plot.loss({ 'full batch': [2, 1], 'mini-batch': Float32Array.from([2.5, 0.5]) });
    assert.deepEqual(io.lastSpec.layer[0].encoding.color.scale.domain, ['full batch', 'mini-batch']);
  });
});

describe('live charts', () => {
  it('redraws at most once per interval, and at cell end', () => {
    const { plot, io, clock } = setup();
    const chart = plot.live({ title: 'training', x: 'epoch', y: ['loss'] });
    assert.equal(io.displays.length, 1);
    const { displayId } = io.displays[0];
    assert.ok(displayId);
    // A synchronous loop: time passes only between pushes, and no timer can run.
    for (let epoch = 1; epoch <= 3000; epoch++) {
      chart.push({ epoch, loss: 1 / epoch });
      clock.time += 1;
    }
    const during = io.updates.length;
    assert.ok(during >= 29 && during <= 30, `${during} redraws for 3000 ms of pushes`);
    assert.ok(io.updates.every((u) => u.displayId === displayId));
    io.endCell();
    const last = io.updates[io.updates.length - 1].bundle[MIME.vegaLite] as Spec;
    assert.equal(layerRows(last)[0].length, 3000);
    assert.deepEqual(layerRows(last)[0][2999], { x: 3000, y: 1 / 3000 });
    assert.equal(chart.length, 3000);
  });

  it('flushes pending rows with a timer when pushes stop', () => {
    const { plot, io, clock } = setup();
    const chart = plot.live({ y: ['loss', 'val_loss'] });
    chart.push({ loss: 1, val_loss: tf.scalar(2) });
    assert.equal(io.updates.length, 0, 'the first push within 100 ms waits');
    clock.advance(50);
    chart.push({ loss: 0.5, val_loss: 1.5 });
    clock.advance(49);
    assert.equal(io.updates.length, 0);
    clock.advance(1);
    assert.equal(io.updates.length, 1);
    const spec = io.updates[0].bundle[MIME.vegaLite] as Spec;
    assert.deepEqual(
      layerRows(spec).map((rows) => rows.map((r) => [r.x, r.y])),
      [
        [
          [1, 1],
          [2, 0.5],
        ],
        [
          [1, 2],
          [2, 1.5],
        ],
      ],
    );
    io.endCell();
    assert.equal(io.updates.length, 1, 'nothing new to draw at cell end');
    assert.equal(clock.timers.size, 0);
    // Pushes from a later cell redraw at that cell's end.
    chart.push({ loss: 0.2, val_loss: 1 });
    io.endCell();
    assert.equal(io.updates.length, 2);
    assert.throws(() => chart.push({ loss: 'x' }), /loss must be a number or a scalar tensor/);
    assert.throws(() => plot.live({} as any), /y must name the field/);
  });
});

describe('downsampling', () => {
  it('strides long lines to the budget, keeping the ends, with a note', () => {
    const { plot, io } = setup(1000);
    const ys = Float64Array.from({ length: 20_000 }, (_, i) => Math.sin(i / 100));
    const chart = plot.line(ys, { title: 'long' });
    const rows = layerRows(io.lastSpec)[0];
    assert.equal(rows.length, 1000);
    assert.deepEqual(rows[0], { x: 0, y: 0 });
    assert.equal(rows[999].x, 19_999);
    assert.deepEqual(io.lastSpec.title, { text: 'long', subtitle: 'showing 1,000 of 20,000 points' });
    assert.equal(chart.summary, '<chart "long": line, 20,000 points (showing 1,000)>');
  });

  it('thins scatters on a grid, keeping outliers', () => {
    const { plot, io } = setup(1000);
    const n = 20_000;
    const xs = Float64Array.from({ length: n }, (_, i) => (i % 200) / 200);
    const ys = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 200) / 100);
    xs[12345] = 50; // one far outlier
    plot.scatter(xs, ys);
    const rows = layerRows(io.lastSpec)[0];
    assert.ok(rows.length <= 1000 && rows.length > 900, `${rows.length} points kept`);
    assert.ok(
      rows.some((r) => r.x === 50),
      'the outlier is kept',
    );
    assert.match(io.lastSpec.title.text, /^showing [\d,]+ of 20,000 points$/);
  });

  it('leaves charts within the budget alone', () => {
    const { plot, io } = setup(1000);
    plot.line(new Float64Array(1000));
    assert.equal(layerRows(io.lastSpec)[0].length, 1000);
    assert.equal(io.lastSpec.title, undefined);
  });

  it('index helpers: strides are even and grids respect the budget', () => {
    assert.deepEqual(strideIndices(10, 4), [0, 3, 6, 9]);
    assert.deepEqual(strideIndices(3, 10), [0, 1, 2]);
    const kept = gridIndices(
      10_000,
      500,
      (i) => i % 100,
      (i) => Math.floor(i / 100),
      (i) => i % 3,
    );
    assert.ok(kept.length <= 500 && new Set(kept).size === kept.length);
  });
});
