// Placeholder with the agreed factory signature; the plot API replaces it.
import type { KernelIO } from '../kernelIO';

export interface PlotDeps {
  io: KernelIO;
  /** Charts with more points than this are downsampled, with a note. */
  maxPoints: number;
}

export function createPlotApi(deps: PlotDeps) {
  return { vega: (spec: object) => deps.io.display({ 'application/vnd.vegalite.v5+json': spec }) };
}

export type PlotApi = ReturnType<typeof createPlotApi>;
