// Runs one workload on one backend in a fresh Node process (bench/workloadProcess.ts) and
// collects its rows, so no figure inherits another's backend, kernels or V8 state.
// A child that throws or dies becomes a row with a `failed: ...` note, never a failed bench.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain ES module of the project's scripts, without types
import { NODE24_VERSION, node24Bin, node24Ready } from '../../scripts/lib/toolchain.mjs';
import type { BenchBackend } from './backend';
import type { PyTorchResult } from './pytorch';
import type { Row } from './table';

/** What the child is asked to run; it writes its rows as JSON to `rowsPath`. */
export interface ChildRequest {
  workload: string;
  backend: BenchBackend;
  root: string;
  quick: boolean;
  pytorch: PyTorchResult;
  rowsPath: string;
}

/**
 * V8 flags for a child on `nodeVersion`. The kernel runs in VS Code's runtime, which has
 * relaxed SIMD (fused multiply-adds in the matrix multiply), as has Node 22+; `dlnb run`
 * turns it on for older Node. The bench measures what users get, so it does the same.
 */
export function childNodeFlags(nodeVersion = process.versions.node): string[] {
  return Number(nodeVersion.split('.')[0]) < 22 ? ['--experimental-wasm-relaxed-simd'] : [];
}

/**
 * The Node that runs dlnb's code in the bench, and its flags. VS Code's runtime is
 * Electron's V8 (13.6 or newer in current releases), whose code for our kernels differs
 * from older V8's: the matrix multiply takes six-row blocks there. The Node 24 the tests
 * install (V8 13.6) is that runtime's closest stand-in; without it, this Node.
 */
export function dlnbNode(): { execPath: string; flags: string[]; label: string } {
  if (node24Ready()) {
    return { execPath: node24Bin, flags: childNodeFlags(NODE24_VERSION), label: `Node ${NODE24_VERSION}` };
  }
  return { execPath: process.execPath, flags: childNodeFlags(), label: `Node ${process.versions.node}` };
}

export async function runWorkloadInChild(request: Omit<ChildRequest, 'rowsPath'>): Promise<Row[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dlnb-bench-'));
  const requestPath = path.join(dir, 'request.json');
  const rowsPath = path.join(dir, 'rows.json');
  writeFileSync(requestPath, JSON.stringify({ ...request, rowsPath } satisfies ChildRequest));
  try {
    const entry = path.join(request.root, 'bench/workloadProcess.ts');
    // The child's stdout goes to our stderr with its progress lines: stdout keeps the table.
    const exit = await new Promise<string | undefined>((resolve) => {
      const node = dlnbNode();
      const child = spawn(node.execPath, [...node.flags, '--import', 'tsx', entry, requestPath], {
        stdio: ['ignore', 2, 2],
      });
      child.on('error', (error) => resolve(error.message));
      child.on('exit', (code, signal) => resolve(code === 0 ? undefined : signal ? `killed by ${signal}` : `exit code ${code}`));
    });
    if (existsSync(rowsPath)) return JSON.parse(readFileSync(rowsPath, 'utf8')) as Row[];
    return [failedRow(request, `the process ended without rows (${exit ?? 'exit code 0'})`)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The row that stands for a workload (on one backend) that could not finish. */
export function failedRow(request: { workload: string; backend: BenchBackend }, reason: string): Row {
  return { workload: request.workload, variant: `(all, ${request.backend})`, unit: 's', note: `failed: ${reason}` };
}
