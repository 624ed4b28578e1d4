// One fresh dlnb kernel, as a user meets it: `node --import tsx bench/notebook/kernelProcess.ts
// ROOT NAME RUNS PAUSE_MS
// CACHE_DIR [no-warm-up] [one-core]`. Starts the kernel through the kernel client (the path of VS Code
// and `dlnb run`, with the built dist/kernel.js), waits PAUSE_MS (VS Code starts the
// kernel when the notebook opens, and the user clicks Run All a moment later; 0 for
// `dlnb run`), runs NAME's setup cells, then the training cell RUNS times. Each run is timed from the execute request to its reply, as the user waits
// for it, compile included. Prints {"start_ms", "runs_ms": [...]} on its last line.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionObserver, KernelHandle } from '../../src/kernel-client/types';
import { benchKernelOptions } from '../lib/kernelOptions';
import { CORE_PROGRAMS, NOTEBOOK_PROGRAMS } from './programs';

const quiet: ExecutionObserver = { onStream() {}, onDisplay() {}, onUpdateDisplay() {} };

async function runCell(kernel: KernelHandle, cell: number, source: string): Promise<number> {
  const start = performance.now();
  const done = await kernel.execute({ cell, source }, quiet);
  if (done.status !== 'ok') throw new Error(`cell ${cell} ended '${done.status}': ${done.error?.message ?? ''}`);
  return performance.now() - start;
}

async function main(): Promise<void> {
  const [root, name, runs, pauseMs, cacheDir, ...flags] = process.argv.slice(2);
  const program = [...NOTEBOOK_PROGRAMS, ...CORE_PROGRAMS].find((p) => p.name === name);
  if (!program) throw new Error(`no notebook program named ${name}`);
  const { createKernel } = await import('../../src/kernel-client/index');
  // The kernel's cache folder as a user has it after the first start ever (see userPath.ts).
  const options = {
    ...benchKernelOptions(root, cacheDir),
    warmUp: !flags.includes('no-warm-up'),
    secondCore: !flags.includes('one-core'),
  };
  const kernel = createKernel(options);
  let secondCore = false;
  kernel.onSecondCore((ready) => (secondCore = ready));
  let warmUp: { steps: number; busyMs: number; atMs: number } | undefined;
  const born = performance.now();
  kernel.onWarmUpDone((report) => (warmUp = { ...report, atMs: performance.now() - born }));
  try {
    const started = performance.now();
    await kernel.start();
    const startMs = performance.now() - started;
    if (Number(pauseMs) > 0) await sleep(Number(pauseMs));
    for (const [i, source] of program.setup.entries()) await runCell(kernel, i + 1, source);
    const runsMs: number[] = [];
    for (let i = 0; i < Number(runs); i++) runsMs.push(await runCell(kernel, program.setup.length + 1, program.train));
    console.log(JSON.stringify({ start_ms: startMs, runs_ms: runsMs, warm_up: warmUp, second_core: secondCore }));
  } finally {
    await kernel.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.log(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    process.exit(1);
  },
);
