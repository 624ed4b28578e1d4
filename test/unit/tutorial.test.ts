// The tutorial notebooks, English and Chinese, run headless from start to end with
// `dlnb run`, and teach what they say: the line y = 5x + 7 is recovered, the loss reaches
// the noise floor, and every number the prose states is one the notebook's own run prints.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseNotebook } from '../../src/shared/dlnbFormat';

const root = join(__dirname, '..', '..');
const editions = ['deep-learning-basics.dlnb', 'deep-learning-basics.zh-CN.dlnb'];
/** Results are stated with four or more decimals; settings (lr 0.01, betas 0.999) with fewer. */
const RESULT = /(?<![\w.])\d+\.\d{4,}(?!\d)/g;
/** A number the prose works out rather than reads from the run: 0.25². */
const DERIVED_IN_PROSE = new Set(['0.0625']);

function number(stdout: string, pattern: RegExp): number {
  const match = pattern.exec(stdout);
  assert.ok(match, `no match for ${pattern} in:\n${stdout}`);
  return Number(match[1]);
}

for (const edition of editions) {
  describe(edition, () => {
    const file = join(root, 'examples', edition);
    const notebook = parseNotebook(readFileSync(file, 'utf8'));
    const prose = notebook.cells
      .filter((c) => c.kind === 'markdown')
      .map((c) => c.source)
      .join('\n');
    const run = promisify(execFile)(process.execPath, [join(root, 'dist', 'cli.js'), 'run', file], {
      maxBuffer: 64 * 1024 * 1024,
    });

    it('runs from start to end and learns w ≈ 5, b ≈ 7', async () => {
      const { stdout, stderr } = await run;
      const [w, b] = [number(stdout, /learned: w = (-?[\d.]+)/), number(stdout, /learned: .*b = (-?[\d.]+)/)];
      assert.ok(Math.abs(w - 5) < 0.15, `w = ${w} is not within 0.15 of 5`);
      assert.ok(Math.abs(b - 7) < 0.15, `b = ${b} is not within 0.15 of 7`);

      const losses = [...stdout.matchAll(/epoch\s+(\d+), loss ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      assert.equal(losses.length, 31, 'the loss is printed every 100 epochs and after the last');
      assert.equal(losses[losses.length - 1][0], 2999);
      assert.ok(losses[0][1] > 1000 * losses[losses.length - 1][1], 'the loss falls during training');

      // Each loss computed by the kit agrees with its formula, and tf.grads with the derivative by hand.
      const comparisons = [...stdout.matchAll(/^(\w+Loss)[^\d-]*(-?[\d.]+)[^\d-]+(-?[\d.]+)$/gm)];
      assert.equal(comparisons.length, 5, `five loss functions compared, got:\n${comparisons.map((m) => m[0]).join('\n')}`);
      for (const [line, , kit, byHand] of comparisons) assert.equal(kit, byHand, line);
      assert.match(stdout, /^tf\.grads: \(4, 7\), by hand: \(4, 7\)$/m);

      // The lesson cleans up after itself: no cell leaves tensors that nothing holds.
      assert.doesNotMatch(stderr, /left \d+ tensors? .* allocated/);
      // Every chart cell drew a chart.
      const charts = stdout.match(/^\[chart: vega-lite, \d+ points\]$/gm) ?? [];
      const plotCells = notebook.cells.filter(
        (c) => c.kind === 'code' && /\bplot\.(line|lmplot|chart|lines|vega)\(/.test(c.source),
      );
      assert.equal(charts.length, plotCells.length);
    });

    it('states only numbers its own run prints', async () => {
      const { stdout } = await run;
      const printed = new Set(stdout.match(/\d+\.\d+/g));
      const stated = prose.match(RESULT) ?? [];
      assert.ok(stated.length >= 20, `the prose states the run's numbers (found ${stated.length})`);
      const unprinted = stated.filter((n) => !printed.has(n) && !DERIVED_IN_PROSE.has(n));
      assert.deepEqual(unprinted, [], 'numbers in the prose that the run does not print');
      assert.doesNotMatch(prose, /\\\(|\\\)/, 'inline maths is written $...$, which VS Code renders');
    });

    it('makes the claims its prose makes about the curves', async () => {
      const { stdout } = await run;
      const floor = number(stdout, /least-squares line: .*MSE ([\d.]+)/);
      assert.ok(
        Math.abs(number(stdout, /noise variance in this sample ([\d.]+)/) - floor) < 1e-4,
        'the floor is the noise variance',
      );
      assert.ok(number(stdout, /our model after \d+ epochs: MSE ([\d.]+)/) - floor < 1e-4, 'the model reaches the floor');
      // Mini-batches ahead of the full batch.
      const at5 = /epoch {3}5: full batch ([\d.]+), mini-batches of 32 ([\d.]+)/.exec(stdout);
      assert.ok(at5 && Number(at5[2]) < Number(at5[1]) / 10, 'mini-batches are far ahead after 5 epochs');
      // The optimizer table: rows in order SGD, momentum, RMSprop, Adam 0.001, Adam 0.1; columns epochs 5, 10, 20, 60.
      const header = stdout.indexOf('loss at epoch');
      const rows = stdout
        .slice(header)
        .split('\n')
        .slice(1, 6)
        .map((line) => line.trim().split(/\s+/).slice(-4).map(Number));
      const [sgd, momentum, rmsprop, adamSlow, adamFast] = rows;
      assert.ok(momentum[0] > sgd[0], 'momentum is behind plain SGD at epoch 5');
      assert.ok(momentum[1] < sgd[1], 'momentum has caught up by epoch 10');
      assert.ok(momentum[2] - floor < 0.002, 'momentum is at the floor by epoch 20');
      assert.ok(rmsprop[3] > 1 && adamSlow[3] > 1, 'RMSprop lr 0.01 and Adam lr 0.001 are still on the way at epoch 60');
      assert.ok(adamFast[3] > floor * 1.1, 'Adam lr 0.1 is still above the floor at epoch 60');
      // Bias and variance.
      const network = /64x64 network: {2}training ([\d.]+), validation ([\d.]+)/.exec(stdout);
      assert.ok(network && Number(network[1]) < 0.04 && Number(network[2]) > 0.04, 'the network over-fits');
      assert.ok(number(stdout, /lowest validation ([\d.]+)/) < Number(network[2]), 'its validation loss rises after its best');
      const sparsity = /within 0\.02 of zero: L1 (\d+) of 10, L2 (\d+) of 10/.exec(stdout);
      assert.ok(sparsity && Number(sparsity[1]) > Number(sparsity[2]), 'L1 leaves more weights near zero than L2');
    });
  });
}
