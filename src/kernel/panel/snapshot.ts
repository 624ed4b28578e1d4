// The side panel's data, computed in the worker: the parameter tree with summaries, the
// loss runs, and the kernel's memory. Small and plain: no tensor crosses to the host, and
// the data read per snapshot is capped (see ReadBudget).
import * as tf from '@tensorflow/tfjs';
import type { CellLeak, PanelSnapshot } from '../../shared/protocol';
import type { LossHistory } from './lossHistory';
import { walkParameters } from './paramWalk';
import { ReadBudget, StatsCache } from './tensorStats';
import { formatValues, MAX_TEXT_VALUES } from './valuesText';

/** Most tensor elements read per snapshot; changed tensors beyond it wait for a later one. */
export const SNAPSHOT_READ_BUDGET = 4_000_000;
/**
 * Most time one snapshot spends reading changed tensors. Live snapshots come every 500 ms
 * while a cell runs, so this keeps the panel's share of a training loop near 2%.
 */
export const SNAPSHOT_READ_MS = 10;

/** Summaries per data id outlive one snapshot; weak, so they never keep a tensor's data alive. */
const sharedCache = new StatsCache();

export interface SnapshotInput {
  userGlobals: Iterable<[string, unknown]>;
  history: LossHistory;
  backend: string;
  leaks: CellLeak[];
  /** Defaults to one cache shared by the worker's snapshots. */
  cache?: StatsCache;
  /** Time for reading changed tensors; defaults to SNAPSHOT_READ_MS. */
  readMs?: number;
}

export function takeSnapshot(input: SnapshotInput): PanelSnapshot {
  const cache = input.cache ?? sharedCache;
  const { roots, leaves } = walkParameters(input.userGlobals);
  const readMs = input.readMs ?? SNAPSHOT_READ_MS;
  cache.summarizeAll(leaves, new ReadBudget(SNAPSHOT_READ_BUDGET, performance.now() + readMs));
  const memory = tf.memory();
  return {
    kernel: {
      backend: input.backend,
      numTensors: memory.numTensors,
      numBytes: memory.numBytes,
      leaks: input.leaks.map((leak) => ({ ...leak })),
    },
    parameters: roots,
    runs: input.history.runs(),
  };
}

/** One parameter's full values, by its id in the tree; undefined when it is gone. */
export function tensorValues(
  userGlobals: Iterable<[string, unknown]>,
  paramId: string,
): { text: string; values: number[]; shape: number[] } | undefined {
  const leaf = walkParameters(userGlobals).leaves.find((l) => l.node.id === paramId);
  if (!leaf || leaf.tensor.isDisposed) return undefined;
  const { tensor } = leaf;
  const data = tensor.dataSync();
  const numeric = Array.from({ length: Math.min(data.length, MAX_TEXT_VALUES) }, (_, i) => Number(data[i]));
  const text =
    tensor.dtype === 'string'
      ? JSON.stringify(Array.from(data as ArrayLike<unknown>, String))
      : formatValues(numeric, tensor.shape, tensor.dtype);
  return { text, values: numeric, shape: [...tensor.shape] };
}

// The runtime wires fit recording from here, beside the snapshot it feeds.
export { registerFitRecording } from './fitRecording';
