// A chart that grows while a cell runs: `push` appends a row to plain arrays (cheap) and
// the spec is rebuilt only when a redraw is due, at most once per interval, plus a final
// redraw when the cell ends so the last points always show.
import type { KernelIO } from '../kernelIO';
import { MIME, type MimeBundle } from '../../shared/protocol';
import { ALREADY_SHOWN, MIME_BUNDLE, type HasMimeBundle } from '../richValue';
import { describeChart } from './chart';
import { isTensorLike } from './data';
import { xySpec, type ChartOptions, type Series } from './spec';

/** Time source for redraw throttling; tests pass a fake one. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface LiveOptions extends ChartOptions {
  /** Field of each pushed row used as x; by default rows are numbered 1, 2, 3, ... */
  x?: string;
  /** Field(s) drawn as lines, one series each. */
  y: string | string[];
  /** Colours by field name. */
  colors?: Record<string, string>;
  /** Least time between redraws, in ms (default 100). */
  intervalMs?: number;
}

export interface LiveDeps {
  io: KernelIO;
  maxPoints: number;
  clock: Clock;
  displayId: string;
}

function toValue(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (value === undefined || value === null) return NaN;
  if (isTensorLike(value)) return Number(value.dataSync()[0]);
  throw new TypeError(`chart.push: ${field} must be a number or a scalar tensor, got ${typeof value}`);
}

export class LiveChart implements HasMimeBundle {
  readonly [ALREADY_SHOWN] = true;
  private readonly xs: number[] = [];
  private readonly ys: Map<string, number[]>;
  private readonly interval: number;
  private lastDraw: number;
  private dirty = false;
  private timer: unknown;
  private cellEndArmed = false;
  /** Redraws sent so far (the first display not counted). */
  redraws = 0;

  constructor(
    private readonly options: LiveOptions,
    private readonly deps: LiveDeps,
  ) {
    const fields = Array.isArray(options.y) ? options.y : [options.y];
    if (fields.length === 0 || fields.some((f) => typeof f !== 'string')) {
      throw new TypeError("plot.live: y must name the field(s) to draw, e.g. { x: 'epoch', y: ['loss'] }");
    }
    this.ys = new Map(fields.map((f) => [f, []]));
    this.interval = options.intervalMs ?? 100;
    this.lastDraw = deps.clock.now();
    deps.io.display(this[MIME_BUNDLE](), deps.displayId);
  }

  /** Appends one row, e.g. `{ epoch, loss }`; the chart redraws at most every ~100 ms. */
  push(row: Record<string, unknown>): void {
    if (typeof row !== 'object' || row === null) throw new TypeError('chart.push: pass a row object, e.g. { epoch, loss }');
    const { x } = this.options;
    this.xs.push(x === undefined ? this.xs.length + 1 : toValue(row[x], x));
    for (const [field, values] of this.ys) values.push(toValue(row[field], field));
    this.dirty = true;
    this.armCellEnd();
    const since = this.deps.clock.now() - this.lastDraw;
    if (since >= this.interval) this.redraw();
    else if (this.timer === undefined) {
      this.timer = this.deps.clock.setTimeout(() => {
        this.timer = undefined;
        if (this.dirty) this.redraw();
      }, this.interval - since);
    }
  }

  /** Rows pushed so far. */
  get length(): number {
    return this.xs.length;
  }

  [MIME_BUNDLE](): MimeBundle {
    const { options } = this;
    const fields = [...this.ys.keys()];
    const xs = Float64Array.from(this.xs);
    const series: Series[] = fields.map((field) => ({
      kind: 'line',
      name: field,
      color: options.colors?.[field],
      columns: { xs, ys: Float64Array.from(this.ys.get(field) ?? []) },
    }));
    const chartOptions: ChartOptions = {
      ...options,
      xLabel: options.xLabel ?? options.x ?? 'step',
      yLabel: options.yLabel ?? (fields.length === 1 ? fields[0] : 'value'),
      legend: options.legend ?? fields.length > 1,
    };
    const built = xySpec(series, chartOptions, this.deps.maxPoints);
    const summary = describeChart(options.title, ['live line'], built.total, built.shown);
    return { [MIME.vegaLite]: built.spec, [MIME.text]: summary };
  }

  private redraw(): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
    this.lastDraw = this.deps.clock.now();
    this.redraws++;
    this.deps.io.updateDisplay(this.deps.displayId, this[MIME_BUNDLE]());
  }

  /** Pushes from a later cell redraw at that cell's end too. */
  private armCellEnd(): void {
    if (this.cellEndArmed) return;
    this.cellEndArmed = true;
    this.deps.io.onCellEnd(() => {
      this.cellEndArmed = false;
      if (this.dirty) this.redraw();
      else if (this.timer !== undefined) {
        this.deps.clock.clearTimeout(this.timer);
        this.timer = undefined;
      }
    });
  }
}
