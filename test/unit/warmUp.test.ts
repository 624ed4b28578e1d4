// The kernel's idle warm-up (src/kernel/runtime/warmUp.ts): it must never run while a cell
// runs or waits, must give the thread back within one slice, and must never change what a
// cell computes or prints. The last part runs the real worker bundle (dist/kernel.js; run
// `npm run build` first) with the warm-up on and off and compares every output.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createKernel } from '../../src/kernel-client';
import { builtKernelOptions, printedBy } from './builtKernel';
import type { WarmUpReport } from '../../src/shared/protocol';
import { IdleTracker, IdleWarmUp, QUIET_MS } from '../../src/kernel/runtime/warmUp';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('idle warm-up scheduling', () => {
  it('counts the kernel idle only after a quiet spell with no cell, so back-to-back cells never meet it', () => {
    let clock = 1000;
    const idle = new IdleTracker(() => clock);
    assert.equal(idle.isIdle(), false, 'idle straight after start: the first cell of Run All could wait');
    clock += QUIET_MS;
    assert.equal(idle.isIdle(), true);
    // Run All: each cell is queued before the previous one's reply has been handled.
    for (let cell = 0; cell < 100; cell++) {
      idle.cellQueued();
      assert.equal(idle.isIdle(), false);
      clock += 0.5;
      idle.cellEnded();
      assert.equal(idle.isIdle(), false, `idle between cells ${cell} and ${cell + 1}`);
      clock += 0.2;
    }
    idle.cellQueued();
    idle.cellQueued();
    idle.cellEnded();
    clock += 10 * QUIET_MS;
    assert.equal(idle.isIdle(), false, 'idle while a queued cell still waits');
    idle.cellEnded();
    clock += QUIET_MS;
    assert.equal(idle.isIdle(), true);
  });

  it('runs no step while a cell is busy, and resumes when it ends', async () => {
    let busy = false;
    const stepsWhileBusy: number[] = [];
    let steps = 0;
    let done = false;
    function* task() {
      for (let i = 0; i < 200; i++) {
        if (busy) stepsWhileBusy.push(i);
        steps++;
        yield;
      }
    }
    new IdleWarmUp({ isIdle: () => !busy, onDone: () => (done = true), tasks: [task, task] });
    await nextTurn();
    // A "cell" that awaits many times, as a cell with `await` in a loop does.
    busy = true;
    const before = steps;
    for (let i = 0; i < 50; i++) await nextTurn();
    assert.equal(steps, before, 'the warm-up stepped while a cell was busy');
    busy = false;
    while (!done) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(stepsWhileBusy, []);
    assert.equal(steps, 400);
  });

  it('yields after each slice of a few milliseconds, however many steps are left', async () => {
    let clock = 0;
    let turns = 0;
    const schedule = (next: () => void) => {
      turns++;
      setImmediate(next);
    };
    function* slowSteps() {
      for (let i = 0; i < 30; i++) {
        clock += 1; // each step "takes" 1 ms
        yield;
      }
    }
    let report: { steps: number } | undefined;
    new IdleWarmUp({ isIdle: () => true, onDone: (r) => (report = r), tasks: [slowSteps], schedule, now: () => clock });
    while (!report) await nextTurn();
    assert.equal(report.steps, 30);
    // 4 ms slices over 30 ms of steps: the thread was handed back at least 7 times.
    assert.ok(turns >= 8, `only ${turns} turns`);
  });

  it('takes no other step, and runs no cell, until an async step has settled, with its own tensor ids throughout', async () => {
    const counters = tf.engine().constructor as unknown as { nextTensorId: number };
    let release!: () => void;
    const log: string[] = [];
    function* withAsyncStep() {
      log.push('step 1');
      yield new Promise<void>((resolve) => (release = resolve)).then(() => {
        // The async call's tail (model.fit's later batches) still counts in the warm-up's range.
        log.push(counters.nextTensorId >= 2 ** 40 ? 'tail with warm-up ids' : 'tail with cell ids');
      });
      log.push('step 2');
    }
    let done = false;
    const warmUp = new IdleWarmUp({ isIdle: () => true, onDone: () => (done = true), tasks: [withAsyncStep] });
    while (!release) await nextTurn();
    for (let i = 0; i < 20; i++) await nextTurn();
    assert.deepEqual(log, ['step 1'], 'a step ran while the async one was pending');
    assert.ok(counters.nextTensorId >= 2 ** 40, 'the cells got their ids back while the warm-up still ran');
    // A cell sent now waits for the step, as KernelRuntime.execute does.
    const cell = warmUp.settled().then(() => log.push('cell'));
    await nextTurn();
    assert.deepEqual(log, ['step 1']);
    release();
    await cell;
    assert.deepEqual(log, ['step 1', 'tail with warm-up ids', 'cell']);
    assert.ok(counters.nextTensorId < 2 ** 40, 'the cell ran with the warm-up ids');
    while (!done) await nextTurn();
    assert.deepEqual(log, ['step 1', 'tail with warm-up ids', 'cell', 'step 2']);
  });

  it('stopped during an async step, disposes its task only once the step has settled; a failed one is reported', async () => {
    let release!: () => void;
    let released = false;
    function* holding() {
      try {
        yield new Promise<void>((resolve) => (release = resolve));
        yield;
      } finally {
        released = true;
      }
    }
    const warmUp = new IdleWarmUp({ isIdle: () => true, onDone: () => assert.fail('no report after stop()'), tasks: [holding] });
    while (!release) await nextTurn();
    warmUp.stop();
    assert.equal(released, false, 'disposed while its async call was still using it');
    release();
    await warmUp.settled();
    await nextTurn();
    assert.equal(released, true);

    function* failing() {
      yield Promise.reject(new Error('out of memory'));
    }
    const report = await new Promise<WarmUpReport>(
      (resolve) => new IdleWarmUp({ isIdle: () => true, onDone: resolve, tasks: [failing] }),
    );
    assert.equal(report.failed, 'out of memory');
  });

  it('disposes what the current task holds when stopped', async () => {
    let released = false;
    function* holding() {
      try {
        for (;;) yield;
      } finally {
        released = true;
      }
    }
    const warmUp = new IdleWarmUp({ isIdle: () => true, onDone: () => assert.fail('never done'), tasks: [holding] });
    await nextTurn();
    await nextTurn();
    warmUp.stop();
    assert.ok(released);
  });
});

/** Cells whose results the warm-up could disturb if it shared state with them. */
const CELLS = [
  'const first = tf.tensor([1, 2]); const v = tf.variable(first); console.log(first.id, v.name, tf.memory().numTensors);',
  'dl.manualSeed(3); const x = dl.rand(64, 1); const y = tf.tidy(() => x.mul(3).add(2).add(dl.randn(64, 1).div(10)));',
  `const model = new dl.nn.Linear(1, 1);
const criterion = new dl.nn.MSELoss();
const optimizer = new dl.optim.SGD(model.parameters(), { lr: 0.05 });
for (let epoch = 0; epoch < 300; epoch++) {
  optimizer.zeroGrad();
  const loss = dl.backward(() => criterion(model(x), y));
  optimizer.step();
  if (epoch % 100 === 0) console.log(epoch, loss.toFixed(6));
}
console.log(model.parameters().map((p) => p.values().map((v) => v.toFixed(6))).join(' '));`,
  `const w = tf.variable(tf.zeros([1, 1])); const b = tf.variable(tf.zeros([1]));
const adam = tf.train.adam(0.1);
for (let i = 0; i < 100; i++) adam.minimize(() => tf.losses.meanSquaredError(y, x.matMul(w).add(b)) as tf.Scalar);
console.log(w.dataSync()[0].toFixed(6), b.dataSync()[0].toFixed(6), (await adam.getWeights()).map((v) => v.name).join(','));`,
  // The warm-up trains models with tf.layers too: the names cells' layers get go on from 1.
  `const net = tf.sequential({ layers: [
  tf.layers.dense({ units: 4, activation: 'relu', inputShape: [1], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
  tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
] });
net.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', metrics: ['mse'] });
const fitted = await net.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, validationSplit: 0.25 });
console.log(net.name, net.layers.map((l) => l.name).join(), net.weights.map((w) => w.name).join());
console.log(JSON.stringify(fitted.history, (_, v) => (typeof v === 'number' ? v.toFixed(6) : v)));`,
  'console.log(tf.memory().numTensors, tf.memory().numBytes, Object.keys(tf.engine().registeredVariables).join(","));',
];

async function runAll(warmUp: boolean): Promise<string[]> {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'dlnb-warmup-test-'));
  const kernel = createKernel(builtKernelOptions({ memoryLimitMb: 2048, cacheDir, warmUp }));
  const warmedUp = new Promise<WarmUpReport>((resolve) => kernel.onWarmUpDone(resolve));
  try {
    await kernel.start();
    const outputs: string[] = [];
    for (const [i, source] of CELLS.entries()) {
      outputs.push(await printedBy(kernel, i + 1, source));
      // The first cells run while the warm-up is under way; the rest after it has finished.
      if (warmUp && i === 1) assert.equal((await warmedUp).failed, undefined, 'the warm-up failed');
    }
    // The side panel: the same runs (names, points) and the same memory and parameters.
    const { kernel: memory, runs, parameters } = await kernel.snapshot();
    outputs.push(JSON.stringify({ memory, runs, parameters }));
    return outputs;
  } finally {
    await kernel.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

describe('idle warm-up in the kernel', () => {
  it('finishes, and leaves every cell printing what it prints without it', async () => {
    const [withWarmUp, without] = [await runAll(true), await runAll(false)];
    assert.deepEqual(withWarmUp, without);
    assert.match(without[2], /^0 /m);
    assert.match(without[4], /^sequential_1 dense_Dense1,dense_Dense2 dense_Dense1\/kernel,/m);
  });
});
