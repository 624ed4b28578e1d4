// `npm run bench`: PyTorch's reference figures first (a child process, one thread), then
// each workload in this process, then a table and bench/results/<timestamp>.json.
// Benchmarks print; they never fail the build. Flags: --quick (fewer runs),
// --only=tutorial,mlp,... (a subset), --no-pytorch.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBenchBackend } from './lib/backend';
import type { BenchContext, Workload } from './lib/context';
import { runPyTorch, type PyTorchResult } from './lib/pytorch';
import { formatTable, ratioToPyTorch, targetMet, type Row } from './lib/table';
import { activationWorkload } from './workloads/activation';
import { kernelWorkload } from './workloads/kernel';
import { liveOverheadWorkload } from './workloads/liveOverhead';
import { matmulWorkload } from './workloads/matmul';
import { mlpWorkload } from './workloads/mlp';
import { rendererWorkload } from './workloads/renderer';
import { tutorialWorkload } from './workloads/tutorial';

/** In the order they run; add a workload here (one file per workload). */
const WORKLOADS: Workload[] = [
  tutorialWorkload,
  mlpWorkload,
  matmulWorkload,
  kernelWorkload,
  liveOverheadWorkload,
  rendererWorkload,
  activationWorkload,
];

function parseArgs(argv: string[]) {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  return { quick: argv.includes('--quick'), pytorch: !argv.includes('--no-pytorch'), only };
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const load = os.loadavg()[0];
  log(`node ${process.version}, ${os.cpus().length} cores, load average ${load.toFixed(2)}`);
  if (load > os.cpus().length * 0.5) log('the machine is busy: figures will be noisy');

  let pytorch: PyTorchResult = { available: false, notes: ['PyTorch not run (--no-pytorch)'] };
  if (args.pytorch) {
    log('PyTorch reference (child process, 1 thread)');
    pytorch = await runPyTorch(__dirname, args.quick);
  }
  for (const note of pytorch.notes) log(note);

  await initBenchBackend(root);
  const context: BenchContext = { root, pytorch, quick: args.quick, log };
  const rows: Row[] = [];
  for (const workload of WORKLOADS) {
    if (args.only && !args.only.includes(workload.name)) continue;
    try {
      rows.push(...(await workload.run(context)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      rows.push({ workload: workload.name, variant: '(all)', unit: 's', note: `failed: ${message}` });
    }
  }

  const header = pytorch.available
    ? `PyTorch ${pytorch.torch}, 1 thread, BLAS: ${pytorch.blas}`
    : pytorch.notes.find((n) => n.startsWith('PyTorch not available')) ?? 'PyTorch not available';
  console.log(`\n${header}\nratio = our time / PyTorch's time (lower is better); ratio targets are judged on CPU time\n`);
  console.log(formatTable(rows));
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n${rows.length} rows in ${seconds.toFixed(0)} s; load average ${os.loadavg()[0].toFixed(2)} at the end`);

  const report = {
    date: new Date().toISOString(),
    machine: { node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg() },
    pytorch,
    seconds,
    rows: rows.map((row) => ({ ...row, ratio: ratioToPyTorch(row), targetMet: targetMet(row) })),
  };
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  writeFileSync(path.join(dir, `${report.date.replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  log(`wrote bench/results/latest.json`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    // A benchmark that cannot run reports it; it never fails the build.
    process.exit(0);
  },
);
