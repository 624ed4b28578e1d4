// The processes of the paired workloads (workloads/userPath.ts, workloads/cores.ts): one
// notebook program in a fresh dlnb kernel (notebook/kernelProcess.ts) or in a fresh
// PyTorch process (notebook/pytorch_programs.py), and rounds of them run interleaved.
import path from 'node:path';
import { dlnbNode } from './child';
import { runForJson } from './jsonChild';
import { median } from './measure';
import { pytorchEnv, PYTHON } from './pytorch';

/** What a program's process reports on its last line. */
export interface ProcessRuns {
  runs_ms?: number[];
  start_ms?: number;
  torch?: string;
  /** dlnb: whether the kernel's helper thread for large products came up. */
  second_core?: boolean;
  error?: string;
}

/** The median of a process's runs after its first. */
export function warmOf(runs: number[]): number {
  return median(runs.slice(1));
}

/** Runs one program's process (five minutes at most); a failure comes back as `error`. */
async function runProgramProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessRuns> {
  const { value, failure } = await runForJson<ProcessRuns>(command, args, env, 300_000);
  return value ?? { error: failure };
}

export interface DlnbProgramRun {
  root: string;
  /** The kernel's cache folder, shared by a workload's kernels as a user's is. */
  cacheDir: string;
  name: string;
  runs: number;
  /** How long after the kernel's start the cells are sent. */
  pauseMs: number;
  /** kernelProcess.ts's flags: `no-warm-up`, `one-core`. */
  flags?: string[];
}

/** NAME as notebook cells in a fresh kernel, on the Node the bench runs dlnb on. */
export function runDlnbProgram(run: DlnbProgramRun): Promise<ProcessRuns> {
  const node = dlnbNode();
  const args = [
    ...node.flags,
    '--import',
    'tsx',
    path.join(run.root, 'bench/notebook/kernelProcess.ts'),
    run.root,
    run.name,
    String(run.runs),
    String(run.pauseMs),
    run.cacheDir,
    ...(run.flags ?? []),
  ];
  return runProgramProcess(node.execPath, args, process.env);
}

/** NAME in a fresh PyTorch process on `threads` threads. */
export function runPyTorchProgram(root: string, name: string, runs: number, threads = 1): Promise<ProcessRuns> {
  const script = path.join(root, 'bench/notebook/pytorch_programs.py');
  return runProgramProcess(PYTHON, [script, name, String(runs), String(threads)], pytorchEnv(threads));
}

/**
 * One round of processes, run one after the other in the order given, and in reverse
 * on odd rounds (A B, then B A), so that whatever else the machine does hits all alike.
 * Throws, naming `label`, when one of them reports no runs.
 */
export async function runRound<K extends string>(
  round: number,
  label: string,
  processes: Record<K, () => Promise<ProcessRuns>>,
): Promise<Record<K, ProcessRuns>> {
  const names = Object.keys(processes) as K[];
  const results = {} as Record<K, ProcessRuns>;
  for (const name of round % 2 ? [...names].reverse() : names) results[name] = await processes[name]();
  const failed = names.map((name) => results[name]).find((r) => !r.runs_ms);
  if (failed) throw new Error(`${label}: ${failed.error ?? 'no runs'}`);
  return results;
}
