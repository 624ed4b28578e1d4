// Summary statistics of a tensor for the Parameters view, computed with one read of the
// tensor's data. A tensor's data never changes under the same data id (a variable gets
// a new one on each `assign`), so results are cached per data id: an unchanged weight is
// read once, however many snapshots show it.
import type { ParamNode, TensorStats } from '../../shared/protocol';
import type { TensorLike } from './tensorLike';

/** Tensors this small also carry their values. */
export const MAX_INLINE_VALUES = 10;

export interface TensorSummary {
  stats?: TensorStats;
  values?: number[];
}

const NUMERIC_DTYPES = new Set(['float32', 'int32', 'bool']);

/** Mean, population std, min and max; NaN throughout when any element is NaN. */
export function computeStats(data: ArrayLike<number>): TensorStats | undefined {
  const n = data.length;
  if (n === 0) return undefined;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  if (Number.isNaN(mean)) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  // Two passes: the textbook one-pass formula loses precision on large, offset data.
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean;
    squares += d * d;
  }
  return { mean, std: Math.sqrt(squares / n), min, max };
}

/**
 * Caps the data read for one snapshot: so many elements, and reading stops at a deadline,
 * so a model with big weights that change every step costs a bounded slice of training time.
 */
export class ReadBudget {
  constructor(
    public elements: number,
    private readonly deadline = Infinity,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes `size` elements if they fit; `anyTime` reads past the deadline (a tensor never summarised yet). */
  take(size: number, anyTime = false): boolean {
    if (size > this.elements) return false;
    if (!anyTime && this.deadline !== Infinity && this.now() >= this.deadline) return false;
    this.elements -= size;
    return true;
  }
}

interface Shown {
  summary: TensorSummary;
  /** The snapshot that last read it: the stalest are read first when the budget is short. */
  readAt: number;
}

export interface SummaryTarget {
  node: ParamNode;
  tensor: TensorLike;
}

export class StatsCache {
  private readonly byData = new WeakMap<object, TensorSummary>();
  private shown = new Map<string, Shown>();
  private snapshots = 0;

  /**
   * The tensor's summary: from the cache when its data is unchanged, else read now if the
   * budget allows, else undefined.
   */
  summarize(tensor: TensorLike, budget: ReadBudget, anyTime = false): TensorSummary | undefined {
    const cached = this.byData.get(tensor.dataId);
    if (cached) return cached;
    if (!NUMERIC_DTYPES.has(tensor.dtype)) return {};
    if (!budget.take(tensor.size, anyTime)) return undefined;
    const data = tensor.dataSync() as ArrayLike<number>;
    const summary: TensorSummary = { stats: computeStats(data) };
    if (tensor.size <= MAX_INLINE_VALUES) summary.values = Array.from(data, Number);
    this.byData.set(tensor.dataId, summary);
    return summary;
  }

  /**
   * Fills in the stats (and small values) of one snapshot's tensors. Unchanged tensors cost
   * nothing; changed ones are read stalest first while the budget lasts, and the rest show
   * their previous summary until a later snapshot reaches them.
   */
  summarizeAll(targets: SummaryTarget[], budget: ReadBudget): void {
    const snapshot = ++this.snapshots;
    const previous = this.shown;
    this.shown = new Map();
    const changed: SummaryTarget[] = [];
    for (const target of targets) {
      const cached = this.byData.get(target.tensor.dataId);
      if (cached) this.show(target, cached, snapshot);
      else changed.push(target);
    }
    const readAt = (t: SummaryTarget) => previous.get(t.node.id)?.readAt ?? -1;
    changed.sort((a, b) => readAt(a) - readAt(b));
    for (const target of changed) {
      const before = previous.get(target.node.id);
      const summary = this.summarize(target.tensor, budget, before === undefined);
      if (summary) this.show(target, summary, snapshot);
      else if (before) this.show(target, before.summary, before.readAt);
    }
  }

  private show({ node }: SummaryTarget, summary: TensorSummary, readAt: number): void {
    if (summary.stats) node.stats = summary.stats;
    if (summary.values) node.values = summary.values;
    this.shown.set(node.id, { summary, readAt });
  }
}
