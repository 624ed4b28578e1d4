// Builds Vega-Lite specs as plain data from number columns: one layer per series, a
// legend when series are named, inline data only, downsampled above the point budget
// with a note in the subtitle. The renderer only draws what this produces.
import { downsampleNote, gridIndices, strideIndices } from '../../shared/chartData';
import type { Columns } from './data';
import type { BandPoint, HistogramBin } from './stats';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Vega's default categorical colours (tableau10), used for series without a colour. */
export const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];

/** Options for the whole chart. */
export interface ChartOptions {
  title?: string;
  subtitle?: string;
  /** Axis titles (default `x` / `y`, or `epoch`/`step` and `loss` for loss curves). */
  xLabel?: string;
  yLabel?: string;
  /** Pixels; by default the chart fills the editor's width. */
  width?: number;
  /** Pixels; default 300. */
  height?: number;
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  /** Show the legend; by default shown when there are several series or any is named. */
  legend?: boolean;
}

/** Options for one series (a set of points drawn with one mark and one colour). */
export interface SeriesOptions {
  /** Legend entry. */
  name?: string;
  /** Any CSS colour: `'green'`, `'#e45756'`. */
  color?: string;
  /** 0..1; scatters default to 0.7, lines to 1. */
  opacity?: number;
  /** Scatter point area in square pixels (default 30). */
  size?: number;
  /** Line width in pixels (default 2). */
  strokeWidth?: number;
}

export type SeriesKind = 'line' | 'scatter';

/** One series, ready to chart. Build with `plot.series.line` / `plot.series.scatter`. */
export interface Series extends SeriesOptions {
  kind: SeriesKind;
  columns: Columns;
}

type Spec = Record<string, unknown>;
type Row = Record<string, number | string | null>;

export interface BuiltSpec {
  spec: Spec;
  /** Points in the data given. */
  total: number;
  /** Points in the spec (fewer when downsampled). */
  shown: number;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** One series per group label, for series built with `by`. */
export function splitGroups(series: Series[]): Series[] {
  return series.flatMap((s) => {
    const { groups } = s.columns;
    if (!groups) return [s];
    const order = [...new Set(groups)];
    if (order.every((g) => g !== '' && Number.isFinite(Number(g)))) order.sort((a, b) => Number(a) - Number(b));
    return order.map((label) => {
      const xs: number[] = [];
      const ys: number[] = [];
      groups.forEach((g, i) => g === label && (xs.push(s.columns.xs[i]), ys.push(s.columns.ys[i])));
      const name = s.name ? `${s.name}: ${label}` : label;
      return { ...s, name, color: undefined, columns: { xs: Float64Array.from(xs), ys: Float64Array.from(ys) } };
    });
  });
}

/** Which points of each series to keep so that the chart stays within `maxPoints`. */
function keptIndices(series: Series[], maxPoints: number): number[][] {
  const total = series.reduce((sum, s) => sum + s.columns.xs.length, 0);
  return series.map(({ kind, columns: { xs, ys } }) => {
    if (total <= maxPoints) return strideIndices(xs.length, xs.length);
    const budget = Math.max(2, Math.floor((maxPoints * xs.length) / total));
    return kind === 'scatter'
      ? gridIndices(
          xs.length,
          budget,
          (i) => xs[i],
          (i) => ys[i],
        )
      : strideIndices(xs.length, budget);
  });
}

function uniqueNames(series: Series[]): string[] {
  const used = new Map<string, number>();
  return series.map((s, i) => {
    const base = s.name ?? `series ${i + 1}`;
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    return seen ? `${base} (${seen + 1})` : base;
  });
}

function axis(field: string, label: string, scale?: 'linear' | 'log', integers = false): Spec {
  // Axes fit the data rather than stretch to zero; a log scale has no zero to drop.
  const spec: Spec = { field, type: 'quantitative', title: label, scale: scale === 'log' ? { type: 'log' } : { zero: false } };
  // Indexes, steps and epochs are whole numbers: ticks at 0.1 apart would name points that do not exist.
  if (integers) spec.axis = { tickMinStep: 1, format: 'd' };
  return spec;
}

/** Whether every x of every series is a whole number (an index, a step, an epoch). */
function wholeNumberXs(series: Series[]): boolean {
  return series.every((s) => s.columns.xs.every((x) => Number.isInteger(x)));
}

function title(opts: ChartOptions, note?: string): Spec | undefined {
  const subtitle = [opts.subtitle, note].filter((s): s is string => Boolean(s));
  if (!opts.title && subtitle.length === 0) return undefined;
  // Vega draws no subtitle under an empty title, so an untitled chart shows its note as the title.
  if (!opts.title) return { text: subtitle.length === 1 ? subtitle[0] : subtitle, fontSize: 11, fontWeight: 'normal' };
  return { text: opts.title ?? '', ...(subtitle.length ? { subtitle: subtitle.length === 1 ? subtitle[0] : subtitle } : {}) };
}

/** The top-level frame every dlnb chart shares. */
export function frame(opts: ChartOptions, maxPoints: number, body: Spec, note?: string): Spec {
  const heading = title(opts, note);
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(heading ? { title: heading } : {}),
    width: opts.width ?? 'container',
    height: opts.height ?? 300,
    usermeta: { dlnb: { maxPoints } },
    ...body,
  };
}

export interface XYExtras {
  /** Layers drawn under the series (e.g. a confidence band). */
  under?: Spec[];
  /** Layers drawn over the series (e.g. a fitted line). */
  over?: Spec[];
}

/** A chart of line and scatter series sharing quantitative x and y axes. */
export function xySpec(input: Series[], opts: ChartOptions, maxPoints: number, extras: XYExtras = {}): BuiltSpec {
  const series = splitGroups(input);
  if (series.length === 0) throw new RangeError('a chart needs at least one series');
  const names = uniqueNames(series);
  const colors = series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  const legend = opts.legend ?? (series.length > 1 || series.some((s) => s.name !== undefined));
  const kept = keptIndices(series, maxPoints);
  const total = series.reduce((sum, s) => sum + s.columns.xs.length, 0);
  const shown = kept.reduce((sum, k) => sum + k.length, 0);
  const xLabel = opts.xLabel ?? 'x';
  const yLabel = opts.yLabel ?? 'y';
  const integerX = opts.xScale !== 'log' && wholeNumberXs(series);
  const colorEncoding = {
    field: 'series',
    type: 'nominal',
    scale: { domain: names, range: colors },
    legend: { title: null, symbolOpacity: 1, labelLimit: 320 },
  };

  const layers = series.map((s, i) => {
    const values: Row[] = kept[i].map((k) => {
      const row: Row = { x: finite(s.columns.xs[k]), y: finite(s.columns.ys[k]) };
      if (legend) row.series = names[i];
      return row;
    });
    const mark =
      s.kind === 'line'
        ? { type: 'line', strokeWidth: s.strokeWidth ?? 2, opacity: s.opacity ?? 1 }
        : { type: 'point', filled: true, size: s.size ?? 30, opacity: s.opacity ?? 0.7, tooltip: true };
    return {
      data: { values },
      mark: legend ? mark : { ...mark, color: colors[i] },
      encoding: {
        x: axis('x', xLabel, opts.xScale, integerX),
        y: axis('y', yLabel, opts.yScale),
        ...(legend ? { color: colorEncoding } : {}),
      },
    };
  });
  const note = shown < total ? downsampleNote(shown, total) : undefined;
  const layer = [...(extras.under ?? []), ...layers, ...(extras.over ?? [])];
  return { spec: frame(opts, maxPoints, { layer }, note), total, shown };
}

/** The band layer of `lmplot`: the 95% confidence interval of the fitted mean. */
export function bandLayer(band: BandPoint[], color: string, opts: ChartOptions): Spec {
  return {
    data: { values: band.map((p) => ({ x: p.x, lo: p.lo, hi: p.hi })) },
    mark: { type: 'area', color, opacity: 0.2 },
    encoding: {
      x: axis('x', opts.xLabel ?? 'x', opts.xScale),
      y: { ...axis('lo', opts.yLabel ?? 'y', opts.yScale) },
      y2: { field: 'hi' },
    },
  };
}

/** The fitted line of `lmplot`. */
export function fitLayer(band: BandPoint[], color: string, opts: ChartOptions): Spec {
  return {
    data: { values: band.map((p) => ({ x: p.x, y: p.y })) },
    mark: { type: 'line', color, strokeWidth: 2 },
    encoding: { x: axis('x', opts.xLabel ?? 'x', opts.xScale), y: axis('y', opts.yLabel ?? 'y', opts.yScale) },
  };
}

/** A histogram from precomputed bins. */
export function histSpec(bins: HistogramBin[], opts: ChartOptions & SeriesOptions, maxPoints: number): Spec {
  const width = bins[0].end - bins[0].start;
  return frame(opts, maxPoints, {
    data: { values: bins.map((b) => ({ start: b.start, end: b.end, count: b.count })) },
    mark: { type: 'bar', color: opts.color ?? PALETTE[0], opacity: opts.opacity ?? 1, tooltip: true },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true, step: width }, title: opts.xLabel ?? 'value' },
      x2: { field: 'end' },
      y: {
        field: 'count',
        type: 'quantitative',
        title: opts.yLabel ?? 'count',
        ...(opts.yScale === 'log' ? { scale: { type: 'symlog' } } : {}),
      },
    },
  });
}
