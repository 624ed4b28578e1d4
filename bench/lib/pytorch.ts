// Runs bench/pytorch_bench.py in a child process for the reference figures: one thread,
// with Debian's OpenBLAS loaded when it is installed so PyTorch is compared at its best.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
      /** The OpenBLAS core type forced on PyTorch, when OpenBLAS's own pick was a fallback. */
      forcedCore?: string;
      figures: PyTorchFigures;
      /** The same figures from process CPU time instead of wall-clock time. */
      cpuFigures: PyTorchFigures;
      notes: string[];
    }
  | { available: false; notes: string[] };

export function findOpenBlasDir(): string | undefined {
  return OPENBLAS_DIRS.find((dir) => existsSync(path.join(dir, 'libblas.so.3')));
}

/** OpenBLAS cores with no AVX2 kernels: a fallback on any x86 CPU made since 2013. */
const PRE_AVX2_CORES = new Set(['Prescott', 'Core2', 'Penryn', 'Dunnington', 'Nehalem', 'Sandybridge', 'Atom']);

/** The CPU's flags, as /proc/cpuinfo lists them (none where there is no such file). */
function cpuFlags(): Set<string> {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
    return new Set(line.trim().split(/\s+/));
  } catch {
    return new Set();
  }
}

/**
 * The OpenBLAS core to force on a CPU with `flags` when OpenBLAS picked `detected` by
 * itself: the strongest the flags allow, but only when OpenBLAS fell back to a core with
 * no AVX2 kernels. Undefined leaves OpenBLAS's choice alone.
 */
export function coreToForce(detected: string | undefined, flags: ReadonlySet<string>): string | undefined {
  if (detected === undefined || !PRE_AVX2_CORES.has(detected)) return undefined;
  if (['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.has(f))) return 'SkylakeX';
  if (flags.has('avx2') && flags.has('fma')) return 'Haswell';
  return undefined;
}

/** The core OpenBLAS picks by itself here (it says so with OPENBLAS_VERBOSE=2). */
function detectedCore(env: NodeJS.ProcessEnv): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; torch.ones(8, 8) @ torch.ones(8, 8)'], {
    env: { ...env, OPENBLAS_VERBOSE: '2' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return `${probe.stdout}${probe.stderr}`.match(/Core: (\w+)/)?.[1];
}

let coreChoice: { detected?: string; forced?: string } | undefined;

/**
 * The OpenBLAS core PyTorch is made to use, when its own choice is a fallback. Debian's
 * OpenBLAS 0.3.21 does not know every newer Xeon (one that calls itself just "Intel(R)
 * Xeon(R) Processor", with AVX-512) and falls back to Prescott's SSE3 kernels. Seen on
 * such a 2-core machine: a 512 product at 28-46 GFLOP/s against 197-232 with SkylakeX
 * kernels, the MLP epoch 2.7x slower. The bench compares against PyTorch at its best, so
 * then it names the core the CPU's flags allow. An OPENBLAS_CORETYPE the user set stands.
 */
export function openBlasCore(): { detected?: string; forced?: string } {
  if (coreChoice) return coreChoice;
  coreChoice = {};
  const openBlas = findOpenBlasDir();
  if (!openBlas || process.env.OPENBLAS_CORETYPE || !existsSync(PYTHON)) return coreChoice;
  const detected = detectedCore({ ...process.env, LD_LIBRARY_PATH: openBlas });
  coreChoice = { detected, forced: coreToForce(detected, cpuFlags()) };
  return coreChoice;
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
  const { forced } = openBlasCore();
  if (forced) env.OPENBLAS_CORETYPE = forced;
  return env;
}

export async function runPyTorch(scriptDir: string, quick: boolean): Promise<PyTorchResult> {
  if (!existsSync(PYTHON)) return { available: false, notes: [`PyTorch not available: ${PYTHON} is missing`] };
  const notes: string[] = [];
  if (!findOpenBlasDir()) {
    notes.push('OpenBLAS not found (apt-get install libopenblas0-pthread): PyTorch ran with the generic BLAS');
  }
  const env = pytorchEnv();
  const { detected, forced } = openBlasCore();
  if (forced) notes.push(`OpenBLAS took this CPU for ${detected}: PyTorch runs with OPENBLAS_CORETYPE=${forced}, its best here`);
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
    const blas = `${parsed.blas ?? 'unknown'}${forced ? ` (OPENBLAS_CORETYPE=${forced})` : ''}`;
    return { available: true, torch: parsed.torch, blas, forcedCore: forced, figures: parsed.figures, cpuFigures, notes };
  }
  return { available: false, notes: [...notes, `PyTorch not available: ${parsed.error ?? 'no figures'}`] };
}
