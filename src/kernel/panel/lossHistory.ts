// Training runs recorded in the worker for the Loss History view: each learning-kit
// optimizer, each `model.fit` call, each `history.log` series. Values are kept as plain
// numbers per step; the panel gets only summaries, a chart asks for one run's curve.
import type { CurvePoint, LossRun, LossSeries } from '../../shared/protocol';

class Series {
  private values = new Float64Array(256);
  private count = 0;
  private best = Infinity;

  constructor(readonly name: string) {}

  push(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
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
    for (let i = 0; i < this.count; i++) points.push({ series: this.name, step: i + 1, value: this.values[i] });
    return points;
  }
}

/** One training run: a loss series and the metrics logged beside it. */
export class RunRecorder {
  private readonly loss = new Series('loss');
  private readonly metrics = new Map<string, Series>();

  constructor(
    readonly id: string,
    readonly name: string,
    readonly source: LossRun['source'],
  ) {}

  /** Records one step's loss and, optionally, metrics measured at the same step. */
  record(loss: number, metrics?: Record<string, number>): void {
    this.loss.push(loss);
    for (const [name, value] of Object.entries(metrics ?? {})) {
      let series = this.metrics.get(name);
      if (!series) this.metrics.set(name, (series = new Series(name)));
      series.push(value);
    }
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
  private nextId = 1;
  /** Bumped on every change, so the panel can skip unchanged snapshots. */
  version = 0;

  /** Starts a new run, e.g. for a new optimizer or a `fit` call. */
  startRun(name: string, source: LossRun['source']): RunRecorder {
    const run = new RunRecorder(`run-${this.nextId++}`, name, source);
    this.runsById.set(run.id, run);
    this.version++;
    const record = run.record.bind(run);
    run.record = (loss, metrics) => {
      record(loss, metrics);
      this.version++;
    };
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
    this.version++;
  }
}
