// What cells see as globals: `tf`, `dl`, `plot`, `display`, `history`, and the two hooks
// the compiled code calls (`__dlnb_import`, `__dlnb_tick`).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { createLearningKit } from '../dl';
import type { KernelIO } from '../kernelIO';
import type { LossHistory } from '../panel/lossHistory';
import type { CellGlobals } from '../types/cellGlobals';
import { createPlotApi } from '../plot';
import { cellTf as tf } from './cellTf';
import { toMimeBundle } from './display';
import { createImporter } from './imports';

export interface CellGlobalsDeps {
  io: KernelIO;
  history: LossHistory;
  notebookDir: string;
  chartMaxPoints: number;
  /** Called at the top of every loop body in cell code. */
  tick: () => void;
}

export function installCellGlobals(deps: CellGlobalsDeps): void {
  const history = {
    log: (name: string, value: number, metrics?: Record<string, number>) => deps.history.log(name, value, metrics),
  };
  const dl = createLearningKit({ history: deps.history });
  const plot = createPlotApi({ io: deps.io, maxPoints: deps.chartMaxPoints });
  const display = (value: unknown): void => {
    const bundle = toMimeBundle(value);
    if (bundle) deps.io.display(bundle);
  };
  // Typed as the editor's declarations describe them (types/cellGlobals.ts).
  const globals: CellGlobals = { tf, dl, plot, display, history };
  const dlnb = Object.freeze(globals);
  const importModule = createImporter(deps.notebookDir, {
    '@tensorflow/tfjs': tf,
    '@tensorflow/tfjs-core': tf,
    '@tensorflow/tfjs-layers': tf,
    dlnb,
  });
  // `require` too, for cells written as CommonJS snippets; it resolves like imports do.
  const requireFromNotebook = createRequire(path.join(deps.notebookDir, '/'));
  Object.assign(globalThis, {
    ...globals,
    require: requireFromNotebook,
    __dlnb_import: importModule,
    __dlnb_tick: deps.tick,
  });
}
