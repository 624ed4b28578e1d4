// Start options for a kernel on the built worker bundle (dist/kernel.js; run `npm run build`
// first), as the tests that drive the real kernel use them: the extension's defaults, and
// whatever a test changes.
import * as path from 'node:path';
import type { KernelStartOptions } from '../../src/kernel-client/types';

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
