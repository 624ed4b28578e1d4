// Records each `model.fit` / `model.fitDataset` call as a Loss History run: the loss and
// metrics of every batch, and the validation metrics (`val_*`) at the end of each epoch,
// placed at the batch step they were measured after.
import type * as tf from '@tensorflow/tfjs';
import type { LossHistory, RunRecorder } from './lossHistory';

type Logs = Record<string, unknown> | undefined;

/** Batch bookkeeping in tfjs's logs; not metrics. */
const NOT_METRICS = new Set(['batch', 'size', 'loss']);

function numbers(logs: Logs, keep: (name: string) => boolean): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, value] of Object.entries(logs ?? {})) {
    if (typeof value === 'number' && keep(name)) result[name] = value;
  }
  return result;
}

function nextFitNumber(history: LossHistory): number {
  return history.runs().filter((run) => run.source === 'fit').length + 1;
}

/**
 * Callbacks for one fit call that record into a new run named `model.fit #k`
 * (`<modelName>.fit #k` when a name is given). The run starts when training does.
 */
export function fitRecordingCallback(history: LossHistory, modelName = 'model'): tf.CustomCallbackArgs {
  let run: RunRecorder | undefined;
  let step = 0;
  const start = () => (run ??= history.startRun(`${modelName}.fit #${nextFitNumber(history)}`, 'fit'));
  return {
    onTrainBegin: async () => {
      start();
    },
    onBatchEnd: async (_batch, logs) => {
      const loss = logs?.loss;
      if (typeof loss !== 'number') return;
      step++;
      start().record(
        loss,
        numbers(logs, (name) => !NOT_METRICS.has(name)),
      );
    },
    onEpochEnd: async (_epoch, logs) => {
      const recorder = start();
      for (const [name, value] of Object.entries(numbers(logs, (n) => n.startsWith('val_')))) {
        recorder.recordMetric(name, value, Math.max(step, 1));
      }
    },
  };
}

/** What the runtime's fit hooks (src/kernel/runtime/fitHooks.ts) offer. */
export interface FitHookRegistry {
  history: LossHistory;
  addFitCallbackFactory(factory: (model: tf.LayersModel, method: 'fit' | 'fitDataset') => tf.CustomCallbackArgs): () => void;
}

/** Records every later fit call; returns a function that stops recording. */
export function registerFitRecording({ history, addFitCallbackFactory }: FitHookRegistry): () => void {
  return addFitCallbackFactory(() => fitRecordingCallback(history));
}
