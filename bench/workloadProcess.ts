// The child process of `npm run bench` that runs one workload on one backend:
// `node --import tsx bench/workloadProcess.ts <request.json>` (see lib/child.ts).
// It starts that backend only, runs the workload, and writes its rows where asked.
import { readFileSync, writeFileSync } from 'node:fs';
import { startBenchBackend } from './lib/backend';
import { failedRow, type ChildRequest } from './lib/child';
import { log } from './lib/context';
import type { Row } from './lib/table';
import { WORKLOADS } from './workloads/index';

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ChildRequest;
  let rows: Row[];
  try {
    const workload = WORKLOADS.find((w) => w.name === request.workload);
    if (!workload) throw new Error(`no workload named ${request.workload}`);
    await startBenchBackend(request.root, request.backend);
    const { root, pytorch, quick, backend } = request;
    rows = await workload.run({ root, pytorch, quick, backend, log });
  } catch (error) {
    rows = [failedRow(request, error instanceof Error ? error.message : String(error))];
  }
  writeFileSync(request.rowsPath, JSON.stringify(rows));
}

// Exit explicitly: a workload may leave handles open (a worker, a browser) that would
// otherwise keep the process, and the bench, waiting.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
