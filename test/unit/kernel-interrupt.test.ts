// Stopping and losing the kernel: soft interrupts keep state, a cell that ignores the
// interrupt costs a restart, a worker that dies (process.exit, out of memory) is reported
// and replaced, and the host process running these tests is never taken down.
// Uses the real worker bundle: run `npm run build` first.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKernel } from '../../src/kernel-client';
import { builtKernelOptions, builtWorkerPath } from './builtKernel';
import type { ExecutionObserver, KernelHandle, KernelStartOptions } from '../../src/kernel-client/types';
import type { ExecuteDone } from '../../src/shared/protocol';

const root = path.resolve(__dirname, '../..');
const workerPath = builtWorkerPath;

const quiet: ExecutionObserver = { onStream() {}, onDisplay() {}, onUpdateDisplay() {} };

function newKernel(options: Partial<KernelStartOptions> = {}): KernelHandle {
  assert.ok(existsSync(workerPath), `${workerPath} is missing: run \`npm run build\` first`);
  return createKernel(builtKernelOptions(options));
}

function run(kernel: KernelHandle, source: string, cell = 1): Promise<ExecuteDone> {
  return kernel.execute({ cell, source }, quiet);
}

/** Starts `source`, waits until it is surely running, then interrupts it. */
async function interruptWhileRunning(kernel: KernelHandle, source: string, graceMs?: number, settleMs = 0) {
  const outputs: string[] = [];
  const running = kernel.execute({ cell: 2, source }, { ...quiet, onStream: (_name, text) => outputs.push(text) });
  const deadline = Date.now() + 10_000;
  while (!outputs.join('').includes('started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(outputs.join('').includes('started'), 'the cell started');
  await new Promise((r) => setTimeout(r, settleMs));
  const how = await kernel.interrupt(graceMs);
  return { how, done: await running };
}

async function ok(kernel: KernelHandle, source: string): Promise<string | undefined> {
  const done = await run(kernel, source);
  assert.equal(done.status, 'ok', JSON.stringify(done.error));
  return done.result?.bundle['text/plain'] as string | undefined;
}

describe('kernel interrupt', () => {
  let kernel: KernelHandle;
  before(async () => {
    kernel = newKernel();
    await kernel.start();
  });
  after(() => kernel?.dispose());

  it('has nothing to interrupt when idle', async () => {
    assert.equal(await kernel.interrupt(), 'idle');
  });

  it('stops a synchronous endless loop and keeps the state from before', async () => {
    await ok(kernel, 'const keptBefore = "still here";');
    const { how, done } = await interruptWhileRunning(
      kernel,
      'let spins = 0;\nconsole.log("started");\nwhile (true) {\n  spins++;\n}',
    );
    assert.equal(how, 'soft');
    assert.equal(done.status, 'interrupted');
    assert.equal(done.error?.location?.line, 3);
    assert.equal(await ok(kernel, 'keptBefore'), "'still here'");
    assert.equal(await ok(kernel, 'spins > 0'), 'true');
  });

  it('stops a cell that is awaiting', async () => {
    const { how, done } = await interruptWhileRunning(
      kernel,
      'console.log("started");\nawait new Promise((r) => setTimeout(r, 60_000));',
    );
    assert.equal(how, 'soft');
    assert.equal(done.status, 'interrupted');
    assert.equal(await ok(kernel, 'keptBefore'), "'still here'");
  });

  it('stops the rest of an interrupted awaiting cell when its await ends later', { timeout: 20_000 }, async () => {
    const { done } = await interruptWhileRunning(
      kernel,
      'console.log("started");\nawait new Promise((r) => setTimeout(r, 400));\nlet zombieSpins = 0;\nwhile (true) {\n  zombieSpins++;\n}',
    );
    assert.equal(done.status, 'interrupted');
    // The next cell starts (flag down) while the first still awaits; once that await ends,
    // its loop must stop rather than take over the worker.
    assert.equal(await ok(kernel, 'await new Promise((r) => setTimeout(r, 800));\n"next cell ran"'), "'next cell ran'");
    assert.equal(await ok(kernel, 'zombieSpins < 10'), 'true');
  });

  it('stops a cell interrupted the moment it is sent, before the worker starts it', async () => {
    let how: Promise<string> | undefined;
    const listening = kernel.onStateChange((state) => {
      if (state === 'busy') how ??= kernel.interrupt();
    });
    try {
      const done = await run(kernel, 'let early = 0;\nwhile (true) {\n  early++;\n}');
      assert.equal(await how, 'soft');
      assert.equal(done.status, 'interrupted');
    } finally {
      listening.dispose();
    }
  });

  it('stops model.fit between batches', async () => {
    const { how, done } = await interruptWhileRunning(
      kernel,
      'const net = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });\n' +
        'net.compile({ optimizer: "sgd", loss: "meanSquaredError" });\n' +
        'const xs = tf.randomNormal([400, 1]);\n' +
        'let epochsDone = 0;\n' +
        'await net.fit(xs, xs, { epochs: 100000, batchSize: 8, callbacks: { onEpochEnd: async () => { epochsDone++; if (epochsDone === 1) console.log("started"); } } });',
    );
    assert.equal(how, 'soft');
    assert.equal(done.status, 'interrupted');
    const epochs = Number(await ok(kernel, 'epochsDone'));
    assert.ok(epochs >= 1 && epochs < 100000);
    // The model trains again afterwards: the stop flag does not stick.
    assert.equal(await ok(kernel, '(await net.fit(xs, xs, { epochs: 2, batchSize: 500 })).epoch.length'), '2');
  });
});

describe('kernel restart and death', () => {
  it('falls back to the cpu backend, saying why, when the wasm binaries are missing', async () => {
    const kernel = newKernel({ wasmDir: path.join(root, 'no-such-wasm-dir') });
    try {
      const messages = await kernel.start();
      assert.equal(kernel.backend, 'cpu');
      assert.equal(messages.length, 1);
      assert.match(messages[0], /wasm backend did not start.*no-such-wasm-dir.*cpu backend/);
      assert.equal(await ok(kernel, 'tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]'), '3');
    } finally {
      await kernel.dispose();
    }
  });

  it('restarts the worker when a cell blocks without loop checks, and runs the next cell fresh', async () => {
    const kernel = newKernel();
    try {
      await ok(kernel, 'const lostOnRestart = 1;');
      const { how, done } = await interruptWhileRunning(
        kernel,
        // The pause lets "started" reach the host before the worker blocks.
        'console.log("started");\nawait new Promise((r) => setTimeout(r, 100));\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);',
        300,
        1000,
      );
      assert.equal(how, 'restarted');
      assert.equal(done.status, 'interrupted');
      assert.match(done.error?.message ?? '', /restarted.*state was lost/);
      assert.equal(await ok(kernel, 'typeof lostOnRestart'), "'undefined'");
    } finally {
      await kernel.dispose();
    }
  });

  it('restarts on request: state is gone, the next cell runs', async () => {
    const kernel = newKernel();
    const states: string[] = [];
    kernel.onStateChange((state) => states.push(state));
    try {
      await ok(kernel, 'const lostOnRequest = 1;');
      await kernel.restart();
      assert.equal(await ok(kernel, 'typeof lostOnRequest'), "'undefined'");
      assert.deepEqual(states.filter((s) => s === 'starting').length, 2);
    } finally {
      await kernel.dispose();
    }
  });

  it('reports a cell that calls process.exit as a dead kernel, then starts a fresh one', async () => {
    const kernel = newKernel();
    const deaths: string[] = [];
    kernel.onDied((reason) => deaths.push(reason));
    try {
      await ok(kernel, 'const lostOnExit = 1;');
      const done = await run(kernel, 'process.exit(7);');
      assert.equal(done.status, 'error');
      assert.match(done.error?.message ?? '', /kernel died.*exited with code 7/);
      assert.equal(deaths.length, 1);
      assert.equal(kernel.state, 'dead');
      assert.equal(await ok(kernel, 'typeof lostOnExit'), "'undefined'");
      assert.equal(kernel.state, 'idle');
    } finally {
      await kernel.dispose();
    }
  });

  it('reports running out of memory as a dead kernel, and the host lives on', async () => {
    const kernel = newKernel({ memoryLimitMb: 200 });
    const deaths: string[] = [];
    kernel.onDied((reason) => deaths.push(reason));
    try {
      await kernel.start();
      const done = await run(kernel, 'const hoard = [];\nwhile (true) hoard.push(new Array(1_000_000).fill(1.5));');
      assert.equal(done.status, 'error');
      assert.match(done.error?.message ?? '', /out of memory.*200 MB/);
      assert.equal(deaths.length, 1);
      assert.equal(await ok(kernel, '6 * 7'), '42');
    } finally {
      await kernel.dispose();
    }
  });
});
