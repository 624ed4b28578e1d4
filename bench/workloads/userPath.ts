// Speed as users meet it: each program of notebook/programs.ts run as notebook cells in a
// fresh kernel (through the kernel client, the path of VS Code and `dlnb run`), against the
// same program in a fresh PyTorch process, in pairs interleaved A B A B so that whatever
// else the machine does hits both alike. Each pair gives a ratio for the first run of the
// training cell and one for its warm runs; the row is the median of the pairs' ratios,
// with their min and max. The first run is measured twice: with the cells sent the moment
// the kernel has started (`dlnb run`), and 2 s after it started (VS Code starts the kernel
// when the notebook opens; the user reads, then clicks Run All or runs cells one by one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchContext, Workload } from '../lib/context';
import { median } from '../lib/measure';
import { runDlnbProgram, runPyTorchProgram, runRound, warmOf, type ProcessRuns } from '../lib/programProcess';
import type { Row } from '../lib/table';
import { NOTEBOOK_PROGRAMS, type NotebookProgram } from '../notebook/programs';

const WORKLOAD = 'as users meet it';
/** How long after the kernel's start (on opening the notebook) the user runs the cells. */
const READING_PAUSE_MS = 2000;

/** Ratio targets of the first and the warm run, by program. */
const TARGETS: Record<string, { first?: number; warm?: number }> = {
  kit: { first: 1.0, warm: 0.4 },
  tfops: { first: 1.5, warm: 1.0 },
  mlp: { warm: 1.0 },
  fit: { warm: 1.2 },
};

interface Pair {
  /** Cells sent as soon as the kernel started. */
  atStart: ProcessRuns;
  /** Cells sent READING_PAUSE_MS after it started. */
  afterPause: ProcessRuns;
  pytorch: ProcessRuns;
}

function ratioRow(program: NotebookProgram, variant: string, ratios: number[], note: string, target?: number): Row {
  return {
    workload: WORKLOAD,
    variant: `${program.label}: ${variant}`,
    value: median(ratios),
    unit: 'x',
    target: target === undefined ? undefined : { of: 'value', max: target },
    note: `${ratios.length} pairs, ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x; ${note}`,
  };
}

function rowsOf(program: NotebookProgram, pairs: Pair[]): Row[] {
  const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;
  const firstAtStart = pairs.map((p) => p.atStart.runs_ms![0] / p.pytorch.runs_ms![0]);
  const firstPaused = pairs.map((p) => p.afterPause.runs_ms![0] / p.pytorch.runs_ms![0]);
  const warm = pairs.map((p) => median([warmOf(p.atStart.runs_ms!), warmOf(p.afterPause.runs_ms!)]) / warmOf(p.pytorch.runs_ms!));
  const pytorchFirst = ms(pairs.map((p) => p.pytorch.runs_ms![0]));
  const target = TARGETS[program.name] ?? {};
  return [
    ratioRow(
      program,
      'first run, cells sent as the kernel starts',
      firstAtStart,
      `${ms(pairs.map((p) => p.atStart.runs_ms![0]))} against PyTorch's ${pytorchFirst}`,
      target.first,
    ),
    ratioRow(
      program,
      `first run, cells sent ${READING_PAUSE_MS / 1000} s after the kernel starts`,
      firstPaused,
      `${ms(pairs.map((p) => p.afterPause.runs_ms![0]))} against PyTorch's ${pytorchFirst}`,
      target.first,
    ),
    ratioRow(
      program,
      'warm runs',
      warm,
      `${ms(pairs.flatMap((p) => [warmOf(p.atStart.runs_ms!), warmOf(p.afterPause.runs_ms!)]))} against PyTorch's ${ms(pairs.map((p) => warmOf(p.pytorch.runs_ms!)))}`,
      target.warm,
    ),
  ];
}

export const userPathWorkload: Workload = {
  name: 'notebook',
  async run(context: BenchContext): Promise<Row[]> {
    if (!context.pytorch.available) {
      return [{ workload: WORKLOAD, variant: '(all)', unit: 'x', note: 'needs PyTorch for its reference' }];
    }
    const pairs = context.quick ? 1 : 5;
    const runs = context.quick ? 3 : 4;
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dlnb-bench-cache-'));
    const dlnb = (name: string, pauseMs: number) => runDlnbProgram({ root: context.root, cacheDir, name, runs, pauseMs });
    const pytorch = (name: string) => runPyTorchProgram(context.root, name, runs);
    const rows: Row[] = [];
    try {
      await dlnb('kit', 0); // the first kernel start ever fills the cache folder; users pay it once
      for (const program of NOTEBOOK_PROGRAMS) {
        context.log(`${WORKLOAD}: ${program.label}, ${pairs} pairs of fresh processes`);
        const measured: Pair[] = [];
        for (let i = 0; i < pairs; i++) {
          // A B A B: dlnb's two kernels, then PyTorch; the next pair starts with PyTorch.
          const pair: Pair = await runRound(i, program.name, {
            atStart: () => dlnb(program.name, 0),
            afterPause: () => dlnb(program.name, READING_PAUSE_MS),
            pytorch: () => pytorch(program.name),
          });
          measured.push(pair);
        }
        rows.push(...rowsOf(program, measured));
      }
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    return rows;
  },
};
