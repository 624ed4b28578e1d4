// Runs bench/pytorch_bench.py in a child process for the reference figures: one thread,
// with Debian's OpenBLAS loaded when it is installed so PyTorch is compared at its best.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runForJson } from './jsonChild';

export const PYTHON = '/usr/bin/python3';
/** Where Debian's libopenblas0-pthread / -openmp packages put their libblas.so.3. */
const OPENBLAS_DIRS = [
  '/usr/lib/x86_64-linux-gnu/openblas-pthread',
  '/usr/lib/x86_64-linux-gnu/openblas-openmp',
  '/usr/lib/aarch64-linux-gnu/openblas-pthread',
  '/usr/lib/aarch64-linux-gnu/openblas-openmp',
];

export interface PyTorchFigures {
  tutorial_3000_epochs_s: number;
  mlp_epoch_s: number;
  matmul512_gflops: number;
  matmul512_transposed_gflops: number;
}

export type PyTorchResult =
  | {
      available: true;
      torch: string;
      blas: string;
      figures: PyTorchFigures;
      /** The same figures from process CPU time instead of wall-clock time. */
      cpuFigures: PyTorchFigures;
      notes: string[];
    }
  | { available: false; notes: string[] };

export function findOpenBlasDir(): string | undefined {
  return OPENBLAS_DIRS.find((dir) => existsSync(path.join(dir, 'libblas.so.3')));
}

/**
 * PyTorch's environment, at its best: one thread, Debian's OpenBLAS when it is installed,
 * and glibc's malloc kept from returning memory to the system. With glibc's defaults every
 * large buffer of a training step is a fresh mmap, and an MLP epoch took anywhere from 155
 * to 630 ms from one process to the next; with these settings, 140-165 ms.
 */
export function pytorchEnv(threads = 1): NodeJS.ProcessEnv {
  const n = String(threads);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: n,
    OPENBLAS_NUM_THREADS: n,
    MKL_NUM_THREADS: n,
    MALLOC_MMAP_THRESHOLD_: String(2 ** 30),
    MALLOC_TRIM_THRESHOLD_: String(2 ** 30),
  };
  const openBlas = findOpenBlasDir();
  if (openBlas) env.LD_LIBRARY_PATH = [openBlas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return env;
}

export async function runPyTorch(scriptDir: string, quick: boolean): Promise<PyTorchResult> {
  if (!existsSync(PYTHON)) return { available: false, notes: [`PyTorch not available: ${PYTHON} is missing`] };
  const notes: string[] = [];
  if (!findOpenBlasDir()) {
    notes.push('OpenBLAS not found (apt-get install libopenblas0-pthread): PyTorch ran with the generic BLAS');
  }
  const env = pytorchEnv();
  const args = [path.join(scriptDir, 'pytorch_bench.py'), ...(quick ? ['--quick'] : [])];
  const { value: parsed, failure } = await runForJson<{
    error?: string;
    torch?: string;
    blas?: string;
    figures?: PyTorchFigures;
    cpu_figures?: PyTorchFigures;
  }>(PYTHON, args, env, 150_000);
  if (!parsed) return { available: false, notes: [...notes, `PyTorch not available: ${failure ?? 'unreadable output'}`] };
  if (parsed.figures && parsed.torch) {
    const cpuFigures = parsed.cpu_figures ?? parsed.figures;
    return { available: true, torch: parsed.torch, blas: parsed.blas ?? 'unknown', figures: parsed.figures, cpuFigures, notes };
  }
  return { available: false, notes: [...notes, `PyTorch not available: ${parsed.error ?? 'no figures'}`] };
}
