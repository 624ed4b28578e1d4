// `npm run bench`: PyTorch's reference figures first (a child process, one thread), then
// each workload in a fresh Node process per backend it measures on (lib/child.ts), then
// a table and bench/results/<timestamp>.json. Benchmarks print; they never fail the build.
// Flags: --quick (fewer runs), --only=tutorial,mlp,... (a subset), --no-pytorch,
// --readme (rewrite README.md's speed table from this run).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dlnbNode, runWorkloadInChild } from './lib/child';
import { log } from './lib/context';
import { runPyTorch, type PyTorchResult } from './lib/pytorch';
import { speedTable, writeSpeedTable } from './lib/readme';
import { formatTable, ratioToPyTorch, targetMet, type Row } from './lib/table';
import { WORKLOADS } from './workloads/index';

function parseArgs(argv: string[]) {
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  return { quick: argv.includes('--quick'), pytorch: !argv.includes('--no-pytorch'), readme: argv.includes('--readme'), only };
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

  const rows: Row[] = [];
  for (const workload of WORKLOADS) {
    if (args.only && !args.only.includes(workload.name)) continue;
    for (const backend of workload.backends ?? ['wasm']) {
      rows.push(...(await runWorkloadInChild({ workload: workload.name, backend, root, quick: args.quick, pytorch })));
    }
  }

  const header = pytorch.available
    ? `PyTorch ${pytorch.torch}, 1 thread, BLAS: ${pytorch.blas}`
    : (pytorch.notes.find((n) => n.startsWith('PyTorch not available')) ?? 'PyTorch not available');
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
  if (args.readme) {
    const written = await writeSpeedTable(root, speedTable(rows, pytorch, report.date, dlnbNode().label));
    log(written ? 'rewrote the speed table in README.md' : 'README.md has no speed-table markers: left alone');
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    // A benchmark that cannot run reports it; it never fails the build.
    process.exit(0);
  },
);
