// What every workload gets: the repository root, the PyTorch figures, and the run size.
import type { PyTorchResult } from './pytorch';
import type { Row } from './table';

export interface BenchContext {
  root: string;
  pytorch: PyTorchResult;
  /** `--quick`: fewer runs, for checking the harness itself. */
  quick: boolean;
  /** Progress lines, printed as the bench goes. */
  log(message: string): void;
}

export interface Workload {
  name: string;
  run(context: BenchContext): Promise<Row[]>;
}

type Figures = Extract<PyTorchResult, { available: true }>['figures'];

/** PyTorch's wall-clock and CPU-time figure for one workload, when PyTorch ran. */
export function pytorchFigure(
  context: BenchContext,
  pick: (figures: Figures) => number,
): { pytorch?: number; pytorchCpu?: number } {
  if (!context.pytorch.available) return {};
  return { pytorch: pick(context.pytorch.figures), pytorchCpu: pick(context.pytorch.cpuFigures) };
}
