// The Vega-Lite spec of one run's curve, built on the host from the kernel's points; the
// chart webview only draws it. Pure.
import type { CurvePoint } from '../../shared/protocol';

/** Name of the data set the webview fills (and refills as the run grows). */
export const CURVE_DATA = 'curve';

/**
 * At most `maxPoints` points in all: each series keeps evenly spaced points and always its
 * last, so the curve's shape and its latest value survive.
 */
export function downsample(points: CurvePoint[], maxPoints: number): { points: CurvePoint[]; downsampled: boolean } {
  if (points.length <= maxPoints) return { points, downsampled: false };
  const bySeries = new Map<string, CurvePoint[]>();
  for (const point of points) {
    let series = bySeries.get(point.series);
    if (!series) bySeries.set(point.series, (series = []));
    series.push(point);
  }
  const perSeries = Math.max(2, Math.floor(maxPoints / bySeries.size));
  const kept: CurvePoint[] = [];
  for (const series of bySeries.values()) {
    if (series.length <= perSeries) {
      kept.push(...series);
      continue;
    }
    const stride = (series.length - 1) / (perSeries - 1);
    for (let i = 0; i < perSeries - 1; i++) kept.push(series[Math.round(i * stride)]);
    kept.push(series[series.length - 1]);
  }
  return { points: kept, downsampled: true };
}

/**
 * Losses often fall by orders of magnitude, which flattens a linear axis into an L: a log
 * axis then shows the whole run. Only for positive values, which a log axis can draw.
 */
export function wantsLogScale(points: CurvePoint[]): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (const { value } of points) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min > 0 && max / min >= 100;
}

export function lossChartSpec(title: string, seriesCount: number, note?: string, logScale = false): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: note ? { text: title, subtitle: note } : title,
    width: 'container',
    height: 'container',
    autosize: { type: 'fit', contains: 'padding' },
    data: { name: CURVE_DATA },
    mark: { type: 'line', tooltip: true, point: false, interpolate: 'linear' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: logScale ? 'value (log scale)' : 'value',
        scale: logScale ? { type: 'log' } : { zero: false },
      },
      ...(seriesCount > 1 ? { color: { field: 'series', type: 'nominal', title: null } } : {}),
    },
    params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
  };
}

export function curveChart(
  title: string,
  points: CurvePoint[],
  maxPoints: number,
): { spec: Record<string, unknown>; values: CurvePoint[] } {
  const sampled = downsample(points, maxPoints);
  const seriesCount = new Set(points.map((p) => p.series)).size;
  const note = sampled.downsampled ? `${points.length} points, ${sampled.points.length} drawn` : undefined;
  return { spec: lossChartSpec(title, seriesCount, note, wantsLogScale(points)), values: sampled.points };
}
