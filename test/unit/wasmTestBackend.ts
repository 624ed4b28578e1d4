// The wasm backend as the notebook kernel starts it, for the tests of our kernels, and a
// way to compare what ours give with what tfjs's own give.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { storeOnDataIds } from '../../src/kernel/tf/dataIdSlots';
import { registerFastWasmKernels } from '../../src/kernel/tf/fastKernels';

/** Production mode, the wasm backend from node_modules, its data on data ids, and every fast kernel registered. */
export async function startWasmWithFastKernels(): Promise<void> {
  tf.enableProdMode();
  setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
  storeOnDataIds();
  registerFastWasmKernels();
}

/** What `work` gives with ours registered, then with them switched off; they are switched back on after. */
export function oursAndStock<T>(switches: { off(): void; on(): void }, work: () => T): { ours: T; stock: T } {
  const ours = work();
  switches.off();
  try {
    return { ours, stock: work() };
  } finally {
    switches.on();
  }
}
