// Training runs recorded in the worker for the Loss History view: each learning-kit
// optimizer, each `model.fit` call, each `history.log` series. Values are kept as plain
// numbers per step; the panel gets only summaries, a chart asks for one run's curve.
import type { CurvePoint, LossRun, LossSeries } from '../../shared/protocol';

class Series {
  private values: Float64Array = new Float64Array(256);
  /** Explicit steps, for series recorded less often than the loss (e.g. val_loss per epoch). */
  private stepsAt: Float64Array | undefined;
  private count = 0;
  private best = Infinity;

  constructor(readonly name: string) {}

  push(value: number, step?: number): void {
    if (this.count === this.values.length) {
      this.values = grow(this.values);
      if (this.stepsAt) this.stepsAt = grow(this.stepsAt);
    }
    if (step !== undefined && !this.stepsAt) {
      this.stepsAt = new Float64Array(this.values.length);
      for (let i = 0; i < this.count; i++) this.stepsAt[i] = i + 1;
    }
    if (this.stepsAt) this.stepsAt[this.count] = step ?? (this.count ? this.stepsAt[this.count - 1] + 1 : 1);
    this.values[this.count++] = value;
    if (value < this.best) this.best = value;
  }

  summary(): LossSeries {
    return {
      name: this.name,
      steps: this.count,
      last: this.count ? this.values[this.count - 1] : NaN,
      best: this.count ? this.best : NaN,
    };
  }

  points(): CurvePoint[] {
    const points: CurvePoint[] = [];
    for (let i = 0; i < this.count; i++) {
      points.push({ series: this.name, step: this.stepsAt ? this.stepsAt[i] : i + 1, value: this.values[i] });
    }
    return points;
  }
}

function grow(array: Float64Array): Float64Array {
  const grown = new Float64Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** One training run: a loss series and the metrics logged beside it. */
export class RunRecorder {
  private readonly loss = new Series('loss');
  private readonly metrics = new Map<string, Series>();

  constructor(
    readonly id: string,
    readonly name: string,
    readonly source: LossRun['source'],
    private readonly onChange: () => void = () => {},
  ) {}

  /** Records one step's loss and, optionally, metrics measured at the same step. */
  record(loss: number, metrics?: Record<string, number>): void {
    this.loss.push(loss);
    for (const [name, value] of Object.entries(metrics ?? {})) this.metric(name).push(value);
    this.onChange();
  }

  /** Records a metric measured at a given step of the loss, e.g. `val_loss` after an epoch's batches. */
  recordMetric(name: string, value: number, step: number): void {
    this.metric(name).push(value, step);
    this.onChange();
  }

  private metric(name: string): Series {
    let series = this.metrics.get(name);
    if (!series) this.metrics.set(name, (series = new Series(name)));
    return series;
  }

  get steps(): number {
    return this.loss.summary().steps;
  }

  summary(): LossRun {
    return {
      id: this.id,
      name: this.name,
      source: this.source,
      loss: this.loss.summary(),
      metrics: [...this.metrics.values()].map((s) => s.summary()),
    };
  }

  curve(): CurvePoint[] {
    return [this.loss, ...this.metrics.values()].flatMap((s) => s.points());
  }
}

export class LossHistory {
  private readonly runsById = new Map<string, RunRecorder>();
  private readonly logRuns = new Map<string, RunRecorder>();
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  /** Bumped on every change, so the panel can skip unchanged snapshots. */
  version = 0;

  /** Calls `listener` after every change; the live panel uses it to refresh during synchronous loops. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  /** Starts a new run, e.g. for a new optimizer or a `fit` call. */
  startRun(name: string, source: LossRun['source']): RunRecorder {
    const run = new RunRecorder(`run-${this.nextId++}`, name, source, () => this.changed());
    this.runsById.set(run.id, run);
    this.changed();
    return run;
  }

  /** `history.log(name, value)`: appends to the run of that name, creating it on first use. */
  log(name: string, value: number, metrics?: Record<string, number>): void {
    if (typeof value !== 'number') {
      throw new TypeError(`history.log("${name}", value): value must be a number`);
    }
    let run = this.logRuns.get(name);
    if (!run) this.logRuns.set(name, (run = this.startRun(name, 'log')));
    run.record(value, metrics);
  }

  runs(): LossRun[] {
    return [...this.runsById.values()].map((r) => r.summary());
  }

  curve(runId: string): CurvePoint[] {
    return this.runsById.get(runId)?.curve() ?? [];
  }

  clear(): void {
    this.runsById.clear();
    this.logRuns.clear();
    this.changed();
  }
}
