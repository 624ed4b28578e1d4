// The types of what every cell sees as a global, named for the editor. The language
// service and `dlnb check` get their declarations from this file at build time
// (scripts/build-declarations.mjs emits .d.ts from it and the modules it names, and turns
// each member of CellGlobals into a global with the member's doc comment), so the editor's
// `dl`, `plot`, `display` and `history` are the kernel's own, never a second description
// that could drift. runtime/cellGlobals.ts builds its globals as a CellGlobals, so a
// change on either side fails the type-check. Types only: nothing here runs.
import type * as tfModule from '@tensorflow/tfjs';
import type { LearningKit as LearningKitShape } from '../dl';
import type { PlotApi as PlotApiShape } from '../plot';

/**
 * The learning kit: PyTorch's names for a lesson's pieces (`dl.nn.Linear`, `dl.nn.MSELoss`,
 * `dl.optim.SGD`, `dl.manualSeed`...) on TensorFlow.js.
 */
export interface LearningKit extends LearningKitShape {}

/** Charts drawn inline: `plot.line`, `plot.scatter`, `plot.lmplot`, `plot.hist`, `plot.loss`, `plot.live`, `plot.vega`. */
export interface PlotApi extends PlotApiShape {}

/** Series logged by hand into the side panel's Loss History. */
export interface HistoryLog {
  /**
   * Adds one point to the Loss History series `name` (one series per name), with optional
   * extra metrics shown beside it.
   * @example history.log('train', loss, { accuracy })
   */
  log(name: string, value: number, metrics?: Record<string, number>): void;
}

/** The globals of every cell. */
export interface CellGlobals {
  /**
   * TensorFlow.js (`@tensorflow/tfjs`): tensors, ops, `tf.train` optimizers and `tf.layers`
   * models. `import * as tf from '@tensorflow/tfjs'` gives the same module.
   */
  tf: typeof tfModule;
  /**
   * The learning kit: PyTorch's names for a lesson's pieces (`dl.nn.Linear`,
   * `dl.nn.MSELoss`, `dl.optim.SGD`, `dl.manualSeed`...) on TensorFlow.js, with numbers that
   * match PyTorch's.
   */
  dl: LearningKit;
  /**
   * Charts drawn inline, offline, in the editor's theme: `plot.line`, `plot.scatter`,
   * `plot.lmplot`, `plot.hist`, `plot.loss`, `plot.lines`, `plot.chart`, `plot.live`, `plot.vega`.
   */
  plot: PlotApi;
  /**
   * Shows a value in the running cell's output, as a cell's last expression is shown: a
   * tensor, a chart, a model, or any other value as text.
   */
  display(value: unknown): void;
  /** The side panel's Loss History: `history.log(name, value)` adds a point to a series of your own. */
  history: HistoryLog;
}
