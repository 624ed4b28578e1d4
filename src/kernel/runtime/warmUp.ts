// What the first run of a training cell pays and later runs do not: V8 compiling, then
// optimizing, tfjs's engine, the learning kit and dlnb's kernels. The tutorial's 3000-step
// loop took 3x as long on its first run as warm, and V8 keeps no optimized code between
// processes. So while the kernel sits idle after its start (the user reading, or between
// cells run one by one), it trains a few tiny models the ways cells do, in slices of a few
// milliseconds, and stops for as long as any cell runs or waits, or has just run.
//
// It never changes a cell's results: its tasks (warmUpTasks.ts) keep to their own kit,
// data and variables and dispose everything, and tfjs's id counters are swapped for the
// warm-up's own while it runs (EngineIds below).
//
// A step may hand back a promise (`model.fit` is async): the warm-up then takes no other
// step, and keeps its id counters, until it settles, and a cell sent meanwhile waits for
// it (`settled()`), so no cell ever runs between an async step's awaits.
import * as tf from '@tensorflow/tfjs';
import type { WarmUpReport } from '../../shared/protocol';
import { warmUpTasks, type WarmUpStep, type WarmUpTask } from './warmUpTasks';

/** Longest a slice runs before yielding: the most a cell sent meanwhile waits. */
const SLICE_MS = 4;

export interface IdleWarmUpOptions {
  /** False while a cell runs or waits to run: the warm-up waits too. */
  isIdle(): boolean;
  /** Called once when every task has run, or one failed; not after `stop()`. */
  onDone(report: WarmUpReport): void;
  /** What to run (tests give their own); by default the tasks below. */
  tasks?: WarmUpTask[];
  /** Schedules the next slice (tests pass a fake); by default setImmediate, or a timer while busy. */
  schedule?: (next: () => void, busy: boolean) => void;
  now?: () => number;
}

/** How long the kernel must have had no cell before the warm-up runs: Run All never waits on it. */
export const QUIET_MS = 150;

/**
 * Whether the kernel is idle: no cell running or waiting, and none for QUIET_MS. Cells that
 * follow each other (Run All, `dlnb run`) leave gaps of well under a millisecond, so the
 * warm-up never takes a slice between them; a person reading between cells leaves seconds.
 */
export class IdleTracker {
  private pending = 0;
  private lastEnd: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.lastEnd = now();
  }

  cellQueued(): void {
    this.pending++;
  }

  cellEnded(): void {
    this.pending--;
    this.lastEnd = this.now();
  }

  isIdle(): boolean {
    return this.pending === 0 && this.now() - this.lastEnd >= QUIET_MS;
  }
}

/** Runs `tasks` step by step in short slices, only while `isIdle()`. */
export class IdleWarmUp {
  private readonly tasks: WarmUpTask[];
  private current: Generator<WarmUpStep, void, void> | undefined;
  private stopped = false;
  /** The async step in progress, if any: cells wait for it. */
  private pending: Promise<void> | undefined;
  private readonly report: WarmUpReport = { steps: 0, busyMs: 0 };
  private readonly ids = new EngineIds();
  private readonly now: () => number;

  constructor(private readonly options: IdleWarmUpOptions) {
    this.tasks = [...(options.tasks ?? warmUpTasks())];
    this.now = options.now ?? (() => performance.now());
    this.next();
  }

  /** Ends the warm-up, disposing what the task in progress holds (after its async step, if one runs). */
  stop(): void {
    this.stopped = true;
    if (this.pending) return;
    this.current?.return();
    this.current = undefined;
  }

  /** Resolves once no async step is in progress: what a cell waits for before it runs. */
  settled(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }

  private next(): void {
    const schedule = this.options.schedule ?? defaultSchedule;
    const busy = !this.options.isIdle();
    schedule(() => this.slice(), busy);
  }

  private slice(): void {
    if (this.stopped) return;
    if (!this.options.isIdle()) return this.next();
    const start = this.now();
    const userIds = this.ids.swapIn();
    let asyncStep: Promise<unknown> | undefined;
    try {
      while (!asyncStep && this.now() - start < SLICE_MS) {
        this.current ??= this.tasks.shift()?.();
        if (!this.current) return this.finish();
        const step = this.current.next();
        if (step.done) this.current = undefined;
        else {
          this.report.steps++;
          asyncStep = step.value ?? undefined;
        }
      }
    } catch (error) {
      return this.fail(error);
    } finally {
      if (!asyncStep) this.endSlice(userIds, start);
    }
    if (!asyncStep) return this.next();
    // The task's own code (and its `finally`, if the warm-up stopped meanwhile) runs with
    // the warm-up's ids; the cells' come back only after it.
    this.pending = asyncStep.then(
      () => this.endAsyncStep(userIds, start, () => (this.stopped ? this.stop() : undefined)),
      (error: unknown) => this.endAsyncStep(userIds, start, () => this.fail(error)),
    );
  }

  private endSlice(userIds: EngineCounters, start: number): void {
    this.ids.swapOut(userIds);
    this.report.busyMs += this.now() - start;
  }

  private endAsyncStep(userIds: EngineCounters, start: number, then: () => void): void {
    this.pending = undefined;
    try {
      then();
    } finally {
      this.endSlice(userIds, start);
    }
    if (!this.stopped) this.next();
  }

  /** A warm-up that fails (say, out of wasm memory) only leaves the first run slower. */
  private fail(error: unknown): void {
    const reported = !this.stopped;
    this.stop();
    this.report.failed = error instanceof Error ? error.message : String(error);
    if (reported) this.options.onDone({ ...this.report });
  }

  private finish(): void {
    this.stopped = true;
    this.options.onDone({ ...this.report });
  }
}

interface EngineCounters {
  nextTensorId: number;
  nextVariableId: number;
}

/**
 * tfjs numbers tensors and unnamed variables (the kit's parameters, `tf.variable(t)`) from
 * counters of its own, and names like `4/m` show in a cell's output. The warm-up counts in
 * a range of its own, far above any a notebook reaches, so the cells' numbering goes on
 * as if it had never run.
 */
class EngineIds {
  private warmUp: EngineCounters = { nextTensorId: 2 ** 40, nextVariableId: 2 ** 40 };

  private get counters(): EngineCounters {
    return tf.engine().constructor as unknown as EngineCounters;
  }

  /** Switches tfjs to the warm-up's counters; returns the cells' counters. */
  swapIn(): EngineCounters {
    const { nextTensorId, nextVariableId } = this.counters;
    Object.assign(this.counters, this.warmUp);
    return { nextTensorId, nextVariableId };
  }

  /** Puts the cells' counters back, keeping where the warm-up's got to. */
  swapOut(cells: EngineCounters): void {
    const { nextTensorId, nextVariableId } = this.counters;
    this.warmUp = { nextTensorId, nextVariableId };
    Object.assign(this.counters, cells);
  }
}

/** Straight away when idle; otherwise look again a little later. */
function defaultSchedule(next: () => void, busy: boolean): void {
  if (busy) setTimeout(next, QUIET_MS / 3);
  else setImmediate(next);
}
