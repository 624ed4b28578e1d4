// Summary statistics of a tensor for the Parameters view, computed with one read of the
// tensor's data. A tensor's data never changes under the same data id (a variable gets
// a new one on each `assign`), so results are cached per data id: an unchanged weight is
// read once, however many snapshots show it.
import type { TensorStats } from '../../shared/protocol';
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

/** Caps the elements read per snapshot, so a model with huge weights stays cheap. */
export class ReadBudget {
  constructor(public elements: number) {}

  take(size: number): boolean {
    if (size > this.elements) return false;
    this.elements -= size;
    return true;
  }
}

export class StatsCache {
  private readonly byData = new WeakMap<object, TensorSummary>();

  /**
   * The tensor's summary: from the cache when its data is unchanged, else read now if the
   * budget allows, else undefined (the caller may show an older summary).
   */
  summarize(tensor: TensorLike, budget: ReadBudget): TensorSummary | undefined {
    const cached = this.byData.get(tensor.dataId);
    if (cached) return cached;
    if (!NUMERIC_DTYPES.has(tensor.dtype)) return {};
    if (!budget.take(tensor.size)) return undefined;
    const data = tensor.dataSync() as ArrayLike<number>;
    const summary: TensorSummary = { stats: computeStats(data) };
    if (tensor.size <= MAX_INLINE_VALUES) summary.values = Array.from(data, Number);
    this.byData.set(tensor.dataId, summary);
    return summary;
  }
}
