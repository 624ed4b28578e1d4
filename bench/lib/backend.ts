// Backend switching for the benchmarks: the kernel's own start-up (wasm with the fast
// matMul kernels), then cpu or wasm with or without those kernels, in one process.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/kernel/tf/setup';
import { registerFastMatMul, unregisterFastMatMul } from '../../src/kernel/tf/fastMatMul';

export type BenchBackend = 'wasm' | 'wasm-plain' | 'cpu';

/** Labels for tables: 'wasm' has the fast matMul kernels, 'wasm-plain' is the stock backend. */
export const BACKEND_LABEL: Record<BenchBackend, string> = {
  wasm: 'wasm + fast matMul',
  'wasm-plain': 'wasm (stock)',
  cpu: 'cpu',
};

export async function initBenchBackend(root: string): Promise<void> {
  const ready = await initBackend('wasm', path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'));
  if (ready.backend !== 'wasm') throw new Error(`the wasm backend did not start: ${ready.messages.join('; ')}`);
}

export async function useBackend(backend: BenchBackend): Promise<void> {
  if (backend === 'wasm') registerFastMatMul();
  if (backend === 'wasm-plain') unregisterFastMatMul();
  const name = backend === 'cpu' ? 'cpu' : 'wasm';
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
}
