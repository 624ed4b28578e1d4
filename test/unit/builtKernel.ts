// Start options for a kernel on the built worker bundle (dist/kernel.js; run `npm run build`
// first), as the tests that drive the real kernel use them: the extension's defaults, and
// whatever a test changes. And running a cell there for what it prints.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ExecutionObserver, KernelHandle, KernelStartOptions } from '../../src/kernel-client/types';

export const repoRoot = path.resolve(__dirname, '../..');
export const builtWorkerPath = path.join(repoRoot, 'dist/kernel.js');

export function builtKernelOptions(overrides: Partial<KernelStartOptions> = {}): KernelStartOptions {
  return {
    workerPath: builtWorkerPath,
    wasmDir: path.join(repoRoot, 'dist/wasm'),
    notebookDir: repoRoot,
    backend: 'wasm',
    memoryLimitMb: 1024,
    maxOutputChars: 100_000,
    livePanel: false,
    chartMaxPoints: 5000,
    ...overrides,
  };
}

/** Runs cell number `cell`, asserts it ended ok, and returns what it printed. */
export async function printedBy(kernel: KernelHandle, cell: number, source: string): Promise<string> {
  let text = '';
  const observer: ExecutionObserver = { onStream: (_n, t) => void (text += t), onDisplay() {}, onUpdateDisplay() {} };
  const done = await kernel.execute({ cell, source }, observer);
  assert.equal(done.status, 'ok', `cell ${cell}: ${done.error?.message ?? ''}`);
  return text;
}
