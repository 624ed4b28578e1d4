// Large matrix products on both cores, as users meet them: notebook/programs.ts's
// CORE_PROGRAMS as cells in a fresh kernel, with its second core and without, against the
// same program in fresh PyTorch processes at two threads and at one. The four processes
// of a pair run interleaved (A B C D, then D C B A), and each row is the median of the
// pairs' ratios of warm runs, with their min and max.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchContext, Workload } from '../lib/context';
import { median } from '../lib/measure';
import { runDlnbProgram, runPyTorchProgram, runRound, warmOf, type ProcessRuns } from '../lib/programProcess';
import type { Row } from '../lib/table';
import { CORE_PROGRAMS, MATMUL_PRODUCTS } from '../notebook/programs';

export const CORES_WORKLOAD = 'both cores';
/** Time for the kernel's helper thread to come up before the cells run. */
const PAUSE_MS = 1000;

interface Quad {
  dlnbTwo: ProcessRuns;
  dlnbOne: ProcessRuns;
  pytorchTwo: ProcessRuns;
  pytorchOne: ProcessRuns;
}

export const coresWorkload: Workload = {
  name: 'cores',
  async run(context: BenchContext): Promise<Row[]> {
    if (!context.pytorch.available) {
      return [{ workload: CORES_WORKLOAD, variant: '(all)', unit: 'x', note: 'needs PyTorch for its reference' }];
    }
    const pairs = context.quick ? 1 : 5;
    const runs = 4;
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dlnb-bench-cache-'));
    const program = CORE_PROGRAMS[0];
    const dlnb = (...flags: string[]) =>
      runDlnbProgram({ root: context.root, cacheDir, name: program.name, runs, pauseMs: PAUSE_MS, flags });
    const pytorch = (threads: number) => runPyTorchProgram(context.root, program.name, runs, threads);
    const measured: Quad[] = [];
    try {
      context.log(`${CORES_WORKLOAD}: ${program.label}, ${pairs} rounds of four fresh processes`);
      for (let i = 0; i < pairs; i++) {
        const quad: Quad = await runRound(i, program.name, {
          dlnbTwo: () => dlnb(),
          pytorchTwo: () => pytorch(2),
          dlnbOne: () => dlnb('one-core'),
          pytorchOne: () => pytorch(1),
        });
        if (!quad.dlnbTwo.second_core) throw new Error(`${program.name}: the kernel's second core did not come up`);
        measured.push(quad);
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    const gflops = (runs: ProcessRuns[]) => {
      const ms = median(runs.map((r) => warmOf(r.runs_ms!)));
      return `${((2 * 1024 ** 3 * MATMUL_PRODUCTS) / (ms / 1000) / 1e9).toFixed(0)} GFLOP/s`;
    };
    const row = (variant: string, ours: keyof Quad, theirs: keyof Quad, max?: number): Row => {
      const ratios = measured.map((q) => warmOf(q[ours].runs_ms!) / warmOf(q[theirs].runs_ms!));
      return {
        workload: CORES_WORKLOAD,
        variant,
        value: median(ratios),
        unit: 'x',
        target: max === undefined ? undefined : { of: 'value', max },
        note:
          `${ratios.length} pairs, ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x; ` +
          `${gflops(measured.map((q) => q[ours]))} against PyTorch's ${gflops(measured.map((q) => q[theirs]))}`,
      };
    };
    return [
      row(`${program.label}, dlnb on two cores against PyTorch on two threads`, 'dlnbTwo', 'pytorchTwo', 1.0),
      row(`${program.label}, dlnb on one core against PyTorch on one thread`, 'dlnbOne', 'pytorchOne'),
    ];
  },
};
