// Entry of the kernel worker thread (dist/kernel.js): starts TensorFlow.js on `init`,
// then hands every request to the runtime. Messages are exactly the shared protocol's.
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { InitRequest, WorkerEvent, WorkerRequest } from '../shared/protocol';
import { loadBundledTypeScript } from './compile/typescriptLoader';
import { keepDeepStacks } from './runtime/cellErrors';
import type { KernelRuntime } from './runtime/kernelRuntime';
import { startSecondCore } from './tf/parallel/secondCore';
import { initBackend } from './tf/setup';

const port = parentPort;
if (!port) throw new Error('dist/kernel.js runs as a worker thread of the dlnb extension or `dlnb run`.');

const post = (event: WorkerEvent) => port.postMessage(event);
keepDeepStacks();
let runtime: Promise<KernelRuntime> | undefined;

/**
 * The runtime, loaded only once TypeScript is: its cell compiler imports 'typescript', which
 * the bundle resolves to the compiler loaded here (see compile/typescriptLoader.ts).
 */
async function loadRuntime(cacheDir: string | undefined) {
  const typescript = loadBundledTypeScript(cacheDir);
  const { KernelRuntime } = await import('./runtime/kernelRuntime');
  return { KernelRuntime, typescript };
}

async function start(init: InitRequest): Promise<KernelRuntime> {
  // One after the other: loading TypeScript while the wasm backend starts saved nothing measurable.
  const { backend, messages } = await initBackend(init.backend, init.wasmDir);
  const { KernelRuntime, typescript } = await loadRuntime(init.cacheDir);
  // Only the first start (and the first after an update) has a cache to write; it is done
  // before 'ready' so that no cell waits for it and a kernel stopped early still leaves one.
  typescript.warmUpAndSaveCache();
  const kernel = new KernelRuntime(init, post);
  post({ type: 'ready', backend, tfVersion: tf.version.tfjs, messages });
  // After 'ready': the helper thread starts on the other core while cells may already run.
  if (backend === 'wasm' && init.secondCore !== false && availableParallelism() > 1) {
    const secondCore = startSecondCore(path.join(__dirname, 'gemmHelper.js'));
    void (secondCore?.whenReady() ?? Promise.resolve(false)).then((ready) => post({ type: 'secondCore', ready }));
  }
  if (init.warmUp !== false) kernel.startWarmUp();
  return kernel;
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'init') {
    runtime ??= start(request);
    return;
  }
  if (!runtime) throw new Error(`The kernel got '${request.type}' before 'init'.`);
  void runtime.then((kernel) => (request.type === 'execute' ? kernel.execute(request) : kernel.handle(request)));
});
