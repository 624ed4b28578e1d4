// The `plot` global of notebook cells. Every call builds a Vega-Lite spec as plain data,
// shows it at once in the running cell and returns a Chart (not shown a second time when
// it is the cell's last expression; `display(chart)` shows it again).
//
//   plot.line(ys)                            y against its index
//   plot.line(xs, ys, { title, xLabel, yLabel, color, opacity, name, width, height })
//   plot.scatter(points, { x: 'sqft', y: 'price', by: 'city' })   object rows / [n,2] / pairs
//   plot.lmplot(xs, ys)                      scatter + least-squares line + 95% band
//   plot.hist(values, { bins: 30 })
//   plot.loss(history)                       a model.fit History, named arrays or one array
//   plot.lines({ Adam: a, RMSprop: b }, { xLabel: 'step', yLabel: 'loss' })
//   plot.chart({ title }, [plot.series.scatter(x, y, { name: 'data', color: 'green', opacity: 0.3 }),
//                          plot.series.line(x, pred, { name: 'predicted' })])
//   plot.vega(spec)                          any Vega-Lite spec with inline data
//   const live = plot.live({ x: 'epoch', y: ['loss'] }); live.push({ epoch, loss })
import { describeDataUrls, findDataUrls } from '../../shared/chartData';
import type { KernelIO } from '../kernelIO';
import { MIME_BUNDLE } from '../richValue';
import { Chart, describeChart } from './chart';
import {
  isDataLike,
  isTensorLike,
  toColumns,
  toGroups,
  toNumbers,
  toXY,
  type FieldNames,
  type NumbersLike,
  type PlotData,
  type TensorLike,
} from './data';
import { downsampleSpec, withDownsampleNote } from '../../shared/specDownsample';
import { LiveChart, systemClock, type Clock, type LiveOptions } from './live';
import { regressionBand, histogram, type LinearFit } from './stats';
import {
  PALETTE,
  VEGA_LITE_SCHEMA,
  bandLayer,
  fitLayer,
  histSpec,
  xySpec,
  type ChartOptions,
  type Series,
  type SeriesKind,
  type SeriesOptions,
} from './spec';

export type { ChartOptions, SeriesOptions, Series, LiveOptions, LinearFit, PlotData, NumbersLike, TensorLike };
export { Chart, LiveChart };

export interface PlotDeps {
  io: KernelIO;
  /** Charts with more points than this are downsampled, with a note. */
  maxPoints: number;
  /** Time source for live-chart throttling (tests pass a fake one). */
  clock?: Clock;
}

/** Options of one series: how it looks, which fields of object rows hold x and y, and how to split it. */
export interface SeriesArgs extends SeriesOptions, FieldNames {
  /** Split into one series per label: a field of object rows, or one label per point (array or tensor). */
  by?: string | ArrayLike<unknown> | TensorLike;
}

/** Options of `plot.line` / `plot.scatter` / `plot.lmplot`: the chart's and the series'. */
export type XYOptions = ChartOptions & SeriesArgs;

export interface HistOptions extends ChartOptions, SeriesOptions {
  /** Number of equal-width bins (default: Sturges' rule). */
  bins?: number;
}

export interface LinesOptions extends ChartOptions {
  /** Shared x values; by default 1, 2, 3, ... (steps or epochs). */
  x?: NumbersLike;
  /** Colours by series name. */
  colors?: Record<string, string>;
}

export interface LossOptions extends LinesOptions {
  /** History keys to draw; by default every key containing "loss" (`loss`, `val_loss`). */
  metrics?: string[];
}

/** A tfjs `History` as `model.fit` resolves it. */
export interface HistoryLike {
  history: Record<string, ArrayLike<number | TensorLike>>;
}

const CHART_KEYS = ['title', 'subtitle', 'xLabel', 'yLabel', 'width', 'height', 'xScale', 'yScale', 'legend'];
const SERIES_KEYS = ['name', 'color', 'opacity', 'size', 'strokeWidth', 'x', 'y', 'by'];

/** Catches typos such as `xlabel` instead of quietly ignoring them. */
function checkOptions(where: string, options: unknown, allowed: string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const near = allowed.find((k) => k.toLowerCase() === key.toLowerCase());
    throw new TypeError(
      `${where}: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ''}; options are ${allowed.join(', ')}`,
    );
  }
}

/** `(data, opts?)` or `(x, y, opts?)`. */
function readXY(where: string, args: unknown[], allowed: string[]): { series: Series['columns']; options: XYOptions } {
  if (args.length === 0) throw new TypeError(`${where}: pass data, e.g. ${where}(xs, ys) or ${where}(points)`);
  const twoColumns = args.length >= 2 && isDataLike(args[1]);
  const options = (twoColumns ? args[2] : args[1]) as XYOptions | undefined;
  checkOptions(where, options, allowed);
  const opts = options ?? {};
  const columns = twoColumns ? toXY(args[0], args[1], where) : toColumns(args[0], opts, where);
  const groups = toGroups(opts.by, args[0], columns.xs.length, where);
  return { series: { ...columns, groups }, options: opts };
}

function seriesOf(kind: SeriesKind, columns: Series['columns'], o: SeriesArgs): Series {
  return { kind, columns, name: o.name, color: o.color, opacity: o.opacity, size: o.size, strokeWidth: o.strokeWidth };
}

export function createPlotApi(deps: PlotDeps) {
  const { io, maxPoints } = deps;
  const clock = deps.clock ?? systemClock;
  let liveCount = 0;

  const show = <C extends Chart>(chart: C): C => {
    io.display(chart[MIME_BUNDLE]());
    return chart;
  };

  const xyChart = (series: Series[], options: ChartOptions, extras?: Parameters<typeof xySpec>[3]): Chart => {
    const built = xySpec(series, options, maxPoints, extras);
    return show(
      new Chart(
        built.spec,
        describeChart(
          options.title,
          series.map((s) => s.kind),
          built.total,
          built.shown,
        ),
      ),
    );
  };

  const xyCall = (kind: SeriesKind) => (where: string, args: unknown[]) => {
    const { series, options } = readXY(where, args, [...CHART_KEYS, ...SERIES_KEYS]);
    return xyChart([seriesOf(kind, series, options)], options);
  };

  const namedLines = (where: string, record: Record<string, unknown>, options: LinesOptions, defaultX: string): Chart => {
    const names = Object.keys(record);
    if (names.length === 0) throw new TypeError(`${where}: pass at least one named series, e.g. { loss: [...] }`);
    const shared = options.x === undefined ? undefined : toNumbers(options.x, `${where}: x`);
    const series: Series[] = names.map((name) => {
      const ys = toNumbers(record[name], `${where}: ${name}`);
      if (shared && shared.length !== ys.length)
        throw new RangeError(`${where}: x has ${shared.length} values but ${name} has ${ys.length}`);
      const xs = shared ?? Float64Array.from(ys, (_, i) => i + 1);
      return { kind: 'line', name, color: options.colors?.[name], columns: { xs, ys } };
    });
    const { x: _x, colors: _colors, ...chart } = options;
    return xyChart(series, { xLabel: defaultX, yLabel: names.length === 1 ? names[0] : 'value', ...chart });
  };

  /** Series for `plot.chart`: the same arguments as `plot.line` / `plot.scatter`, without chart options. */
  const series = {
    line: (...args: [PlotData, SeriesArgs?] | [NumbersLike, NumbersLike, SeriesArgs?]): Series => {
      const { series: columns, options } = readXY('plot.series.line', args, SERIES_KEYS);
      return seriesOf('line', columns, options);
    },
    scatter: (...args: [PlotData, SeriesArgs?] | [NumbersLike, NumbersLike, SeriesArgs?]): Series => {
      const { series: columns, options } = readXY('plot.series.scatter', args, SERIES_KEYS);
      return seriesOf('scatter', columns, options);
    },
  };

  return {
    /** A line: `plot.line(ys)`, `plot.line(xs, ys, opts)` or `plot.line(points, opts)`. */
    line: (...args: [PlotData, XYOptions?] | [NumbersLike, NumbersLike, XYOptions?]): Chart => xyCall('line')('plot.line', args),

    /** Points: `plot.scatter(xs, ys, opts)`, `plot.scatter(points, { x, y, by })`. */
    scatter: (...args: [PlotData, XYOptions?] | [NumbersLike, NumbersLike, XYOptions?]): Chart =>
      xyCall('scatter')('plot.scatter', args),

    /**
     * Scatter with its least-squares line and the 95% confidence band of the mean, like
     * seaborn's lmplot. The returned chart carries the fit: `chart.fit.slope`, `.intercept`, `.r2`.
     */
    lmplot: (...args: [PlotData, XYOptions?] | [NumbersLike, NumbersLike, XYOptions?]): Chart & { fit: LinearFit } => {
      const { series: columns, options } = readXY('plot.lmplot', args, [...CHART_KEYS, ...SERIES_KEYS]);
      if (columns.groups) throw new TypeError('plot.lmplot: `by` is not supported; call lmplot once per group');
      const { fit, band } = regressionBand(columns.xs, columns.ys);
      const color = options.color ?? PALETTE[0];
      const points = seriesOf('scatter', columns, { ...options, color });
      const built = xySpec([points], options, maxPoints, {
        under: fit.n > 2 ? [bandLayer(band, color, options)] : [],
        over: [fitLayer(band, color, options)],
      });
      const summary = describeChart(options.title, ['scatter', 'least-squares line'], built.total, built.shown);
      const chart = Object.assign(new Chart(built.spec, summary), { fit });
      return show(chart);
    },

    /** A histogram of values (any array, typed array or tensor of any shape). */
    hist: (values: NumbersLike | ArrayLike<unknown>, options: HistOptions = {}): Chart => {
      checkOptions('plot.hist', options, [...CHART_KEYS, 'name', 'color', 'opacity', 'bins']);
      const numbers = toNumbers(values, 'plot.hist', true);
      const bins = histogram(numbers, options.bins);
      const summary = describeChart(options.title, [`histogram of ${bins.length} bins`], numbers.length);
      return show(new Chart(histSpec(bins, options, maxPoints), summary));
    },

    /** Several named lines in one chart, e.g. loss curves: `plot.lines({ Adam: a, SGD: b })`. */
    lines: (record: Record<string, NumbersLike>, options: LinesOptions = {}): Chart => {
      checkOptions('plot.lines', options, [...CHART_KEYS, 'x', 'colors']);
      if (typeof record !== 'object' || record === null || isDataLike(record)) {
        throw new TypeError('plot.lines: pass named series, e.g. plot.lines({ Adam: lossesA, SGD: lossesB })');
      }
      return namedLines('plot.lines', record, options, 'step');
    },

    /**
     * Loss curves: a `History` from `model.fit` (draws `loss` and `val_loss` per epoch),
     * named arrays (`{ train: [...], test: [...] }`) or one array of losses.
     */
    loss: (history: HistoryLike | Record<string, NumbersLike> | NumbersLike, options: LossOptions = {}): Chart => {
      checkOptions('plot.loss', options, [...CHART_KEYS, 'x', 'colors', 'metrics']);
      const { metrics, ...rest } = options;
      const fromFit = typeof history === 'object' && history !== null && !isDataLike(history) && 'history' in history;
      const record: Record<string, unknown> = isDataLike(history)
        ? { loss: history }
        : fromFit
          ? (history as HistoryLike).history
          : (history as Record<string, unknown>);
      if (typeof record !== 'object' || record === null)
        throw new TypeError('plot.loss: pass a History, named arrays or an array');
      const lossKeys = Object.keys(record).filter((k) => k.toLowerCase().includes('loss'));
      const keys = metrics ?? (lossKeys.length ? lossKeys : Object.keys(record));
      const missing = keys.filter((k) => !(k in record));
      if (missing.length)
        throw new TypeError(`plot.loss: no series '${missing.join("', '")}' (there are: ${Object.keys(record).join(', ')})`);
      const picked = Object.fromEntries(keys.map((k) => [k, record[k]]));
      return namedLines('plot.loss', picked, { yLabel: 'loss', ...rest }, fromFit ? 'epoch' : 'step');
    },

    /** Several series in one chart: `plot.chart({ title }, [plot.series.scatter(...), plot.series.line(...)])`. */
    chart: (...args: [ChartOptions, Series[]] | [Series[], ChartOptions?]): Chart => {
      const [options, list] = (Array.isArray(args[0]) ? [args[1] ?? {}, args[0]] : [args[0], args[1]]) as [
        ChartOptions,
        Series[],
      ];
      checkOptions('plot.chart', options, CHART_KEYS);
      if (!Array.isArray(list) || list.some((s) => !s || !('columns' in s))) {
        throw new TypeError('plot.chart: pass series made with plot.series.line(...) / plot.series.scatter(...)');
      }
      return xyChart(list, options);
    },

    series,

    /** Shows any Vega-Lite spec. Its data must be inline (`data: { values }`): charts draw offline. */
    vega: (spec: object): Chart => {
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
        throw new TypeError('plot.vega: pass a Vega-Lite spec object');
      const urls = findDataUrls(spec);
      if (urls.length) throw new Error(`plot.vega: ${describeDataUrls(urls)}`);
      const given = spec as Record<string, unknown>;
      const usermeta = (given.usermeta ?? {}) as Record<string, unknown>;
      const full = {
        $schema: VEGA_LITE_SCHEMA,
        ...given,
        usermeta: { ...usermeta, dlnb: { maxPoints, ...(usermeta.dlnb as object | undefined) } },
      };
      const title = typeof given.title === 'string' ? given.title : undefined;
      // Thinned here, like every other plot, so a saved notebook or exported SVG stays small.
      const sampled = downsampleSpec(full, maxPoints);
      const drawn = sampled.shown < sampled.total ? withDownsampleNote(sampled.spec, sampled.shown, sampled.total) : full;
      return show(new Chart(drawn, describeChart(title, ['vega-lite'])));
    },

    /**
     * A chart that grows while a loop runs: `const c = plot.live({ x: 'epoch', y: ['loss'] })`,
     * then `c.push({ epoch, loss })` each step. Redraws at most every ~100 ms and at cell end.
     */
    live: (options: LiveOptions): LiveChart => {
      checkOptions('plot.live', options, [...CHART_KEYS, 'x', 'y', 'colors', 'intervalMs']);
      if (options === undefined) throw new TypeError("plot.live: say what to draw, e.g. plot.live({ x: 'epoch', y: ['loss'] })");
      const displayId = `dlnb-live-${++liveCount}-${Date.now().toString(36)}`;
      return new LiveChart(options, { io, maxPoints, clock, displayId });
    },
  };
}

export type PlotApi = ReturnType<typeof createPlotApi>;

export { isTensorLike };
