// How the bench starts a real kernel: the built worker, the extension's default settings,
// and a cache folder of its own (as VS Code and `dlnb run` give one).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KernelStartOptions } from '../../src/kernel-client/types';

/** `cacheDir`: a cache folder to share between kernels; by default a new empty one. */
export function benchKernelOptions(root: string, cacheDir?: string): KernelStartOptions {
  return {
    workerPath: path.join(root, 'dist/kernel.js'),
    wasmDir: path.join(root, 'dist/wasm'),
    notebookDir: root,
    backend: 'wasm',
    memoryLimitMb: 4096,
    maxOutputChars: 200_000,
    livePanel: false,
    chartMaxPoints: 5000,
    cacheDir: cacheDir ?? mkdtempSync(path.join(tmpdir(), 'dlnb-bench-cache-')),
  };
}
