// Backends for the benchmarks: the kernel's own start-up (wasm with dlnb's own
// kernels), or cpu, once per process; on wasm, the fast kernels can be swapped in and out.
//
// A bench process runs kernels on one tfjs backend only, as a kernel worker does: once the
// engine has dispatched to two backends, V8's inline caches in tfjs turn megamorphic and
// every later figure in that process is about a third slower. Swapping dlnb's wasm
// kernels on wasm does not do that (measured), so 'wasm' and 'wasm-plain' can share one.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/kernel/tf/setup';
import { registerFastWasmKernels, unregisterFastWasmKernels } from '../../src/kernel/tf/fastKernels';

export type BenchBackend = 'wasm' | 'wasm-plain' | 'cpu';

/** Labels for tables: 'wasm' has dlnb's fast kernels, 'wasm-plain' is the stock backend. */
export const BACKEND_LABEL: Record<BenchBackend, string> = {
  wasm: 'wasm + dlnb kernels',
  'wasm-plain': 'wasm (stock tfjs)',
  cpu: 'cpu',
};

export async function initBenchBackend(root: string): Promise<void> {
  const ready = await initBackend('wasm', path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'));
  if (ready.backend !== 'wasm') throw new Error(`the wasm backend did not start: ${ready.messages.join('; ')}`);
}

/** Starts `backend` in a fresh process: the only tfjs backend it will ever use. */
export async function startBenchBackend(root: string, backend: BenchBackend): Promise<void> {
  if (backend === 'cpu') {
    const ready = await initBackend('cpu', '');
    if (ready.backend !== 'cpu') throw new Error(`the cpu backend did not start: ${ready.messages.join('; ')}`);
    return;
  }
  await initBenchBackend(root);
  await useBackend(backend);
}

/** Switches between the fast and the stock wasm kernels (or to cpu, in probes only). */
export async function useBackend(backend: BenchBackend): Promise<void> {
  if (backend === 'wasm') registerFastWasmKernels();
  if (backend === 'wasm-plain') unregisterFastWasmKernels();
  const name = backend === 'cpu' ? 'cpu' : 'wasm';
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
}
