// The second core in the built kernel (dist/kernel.js, dist/gemmHelper.js; run `npm run
// build` first): the kernel starts its helper thread and says so, and a training loop whose
// products it splits prints exactly what it prints on one thread.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { createKernel } from '../../src/kernel-client';
import { builtKernelOptions, printedBy } from './builtKernel';

// Products of 256 rows by 100 and 256 columns: large enough to be split (splitProduct.ts).
const CELLS = [
  `const x = tf.randomNormal([256, 100], 0, 1, 'float32', 7);
const y = tf.oneHot(tf.randomUniform([256], 0, 10, 'int32', 8), 10);`,
  `const w1 = tf.variable(tf.randomNormal([100, 256], 0, 0.1, 'float32', 1));
const w2 = tf.variable(tf.randomNormal([256, 256], 0, 0.1, 'float32', 2));
const w3 = tf.variable(tf.randomNormal([256, 10], 0, 0.1, 'float32', 3));
const adam = tf.train.adam(0.01);
for (let step = 0; step < 20; step++) {
  const loss = adam.minimize(() => tf.losses.softmaxCrossEntropy(y, x.matMul(w1).relu().matMul(w2).relu().matMul(w3)) as tf.Scalar, true)!;
  if (step % 5 === 0) console.log(step, loss.dataSync()[0]);
  loss.dispose();
}
console.log(Array.from(w2.dataSync().slice(0, 8)).join(' '));`,
];

async function runWith(secondCore: boolean): Promise<{ outputs: string[]; reported: boolean[] }> {
  const kernel = createKernel(builtKernelOptions({ secondCore, warmUp: false }));
  const reported: boolean[] = [];
  const firstReport = new Promise<void>((resolve) =>
    kernel.onSecondCore((ready) => {
      reported.push(ready);
      resolve();
    }),
  );
  try {
    await kernel.start();
    if (secondCore) await firstReport;
    const outputs: string[] = [];
    for (const [i, source] of CELLS.entries()) outputs.push(await printedBy(kernel, i + 1, source));
    return { outputs, reported };
  } finally {
    await kernel.dispose();
  }
}

describe('second core in the kernel', { skip: availableParallelism() < 2 && 'this machine has one core' }, () => {
  it('starts its helper, and a training loop prints what it prints on one thread', async () => {
    const two = await runWith(true);
    const one = await runWith(false);
    assert.deepEqual(two.reported, [true], 'the helper thread came up');
    assert.deepEqual(one.reported, [], 'no helper when it is off');
    assert.deepEqual(two.outputs, one.outputs);
    assert.match(one.outputs[1], /^0 \d/m);
  });
});
