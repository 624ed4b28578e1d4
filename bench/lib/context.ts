// What every workload gets: the repository root, the PyTorch figures, the run size, and
// the one tfjs backend its process runs on.
import type { BenchBackend } from './backend';
import type { PyTorchResult } from './pytorch';
import type { Row } from './table';

export interface BenchContext {
  root: string;
  pytorch: PyTorchResult;
  /** `--quick`: fewer runs, for checking the harness itself. */
  quick: boolean;
  /** The backend this process was started on; it never runs kernels on another one. */
  backend: BenchBackend;
  /** Progress lines, printed as the bench goes. */
  log(message: string): void;
}

export interface Workload {
  name: string;
  /**
   * The backends to measure on, each in a fresh process of its own, in this order
   * (default: wasm with the fast kernels). `run` is called once per backend.
   */
  backends?: readonly BenchBackend[];
  run(context: BenchContext): Promise<Row[]>;
}

/** Progress lines on stderr, so stdout keeps only the table. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
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
