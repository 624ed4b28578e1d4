// Starts TensorFlow.js in the kernel worker: production mode (no Node banner, fewer
// checks), the wasm backend with SIMD when it loads, the plain JS backend otherwise.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Backend } from '../../shared/protocol';
import { storeOnDataIds } from './dataIdSlots';
import { registerFastWasmKernels } from './fastKernels';

export interface BackendReady {
  /** The backend actually in use. */
  backend: string;
  /** User-readable notes, e.g. why the wasm backend was not used. */
  messages: string[];
}

export async function initBackend(requested: Backend, wasmDir: string): Promise<BackendReady> {
  tf.enableProdMode();
  const messages: string[] = [];
  if (requested === 'wasm') {
    try {
      // Threads need cross-origin isolation in browsers and are not wired up in Node.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
      setWasmPaths(wasmDir.endsWith('/') ? wasmDir : wasmDir + '/');
      const { result: ok, printed } = await capturingConsole(() => withoutNewCrashHandlers(() => tf.setBackend('wasm')));
      if (!ok) throw new Error(printed.find((line) => line.trim()) ?? 'tf.setBackend("wasm") returned false');
      await tf.ready();
      storeOnDataIds();
      registerFastWasmKernels();
      return { backend: tf.getBackend(), messages };
    } catch (error) {
      messages.push(
        `The wasm backend did not start (${error instanceof Error ? error.message : String(error)}); ` +
          'using the slower cpu backend instead.',
      );
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: tf.getBackend(), messages };
}

/**
 * The wasm module's Emscripten glue installs process handlers that rethrow every uncaught
 * exception and rejection, which would end the worker on any stray error from a cell's
 * timer. The kernel reports those itself, so the glue's handlers are removed again.
 */
async function withoutNewCrashHandlers<T>(work: () => Promise<T>): Promise<T> {
  // Typed loosely on purpose: Node's overloads do not accept a union of event names.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    return await work();
  } finally {
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/**
 * Collects what the wasm loader prints while it starts (its reasons for failing), so the
 * user sees it in the fallback message and not as stray text. The loader keeps the
 * functions it was given, so after the start they forward to whatever the console is then.
 */
async function capturingConsole<T>(work: () => Promise<T>): Promise<{ result: T; printed: string[] }> {
  const methods = ['log', 'warn', 'error'] as const;
  const originals = methods.map((method) => console[method]);
  const printed: string[] = [];
  let capturing = true;
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      if (capturing) printed.push(args.map(String).join(' '));
      else console[method](...args);
    };
  }
  const collectors = methods.map((method) => console[method]);
  try {
    return { result: await work(), printed };
  } finally {
    capturing = false;
    methods.forEach((method, i) => {
      if (console[method] === collectors[i]) console[method] = originals[i];
    });
  }
}
