// The tutorial notebook runs headless from start to end with `dlnb run`, and teaches
// what it says: the line y = 5x + 7 is recovered and the loss reaches the noise floor.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseNotebook } from '../../src/shared/dlnbFormat';

const root = join(__dirname, '..', '..');
const tutorial = join(root, 'examples', 'deep-learning-basics.dlnb');

test('dlnb run examples/deep-learning-basics.dlnb succeeds and learns w ≈ 5, b ≈ 7', async () => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(root, 'dist', 'cli.js'), 'run', tutorial], {
    maxBuffer: 64 * 1024 * 1024,
  });

  const learned = /learned: w = (-?[\d.]+), b = (-?[\d.]+)/.exec(stdout);
  assert.ok(learned, `no "learned: w = …, b = …" line in:\n${stdout}`);
  const [w, b] = [Number(learned[1]), Number(learned[2])];
  assert.ok(Math.abs(w - 5) < 0.15, `w = ${w} is not within 0.15 of 5`);
  assert.ok(Math.abs(b - 7) < 0.15, `b = ${b} is not within 0.15 of 7`);

  const losses = [...stdout.matchAll(/epoch\s+(\d+), loss ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(losses.length, 31, 'the loss is printed every 100 epochs and after the last');
  const [lastEpoch, finalLoss] = losses[losses.length - 1];
  assert.equal(lastEpoch, 2999);
  assert.ok(finalLoss < 0.07, `final loss ${finalLoss} is not below 0.07`);
  assert.ok(losses[0][1] > 10 * finalLoss, 'the loss falls during training');

  // Each loss computed by the kit agrees with its formula.
  const comparisons = [...stdout.matchAll(/^(\w+Loss)[^\d-]*(-?[\d.]+)[^\d-]+(-?[\d.]+)$/gm)];
  assert.equal(comparisons.length, 5, `five loss functions compared, got:\n${comparisons.map((m) => m[0]).join('\n')}`);
  for (const [line, , kit, byHand] of comparisons) assert.equal(kit, byHand, line);

  // L1 gives the sparser weights.
  const sparsity = /within 0\.02 of zero: L1 (\d+) of 10, L2 (\d+) of 10/.exec(stdout);
  assert.ok(sparsity && Number(sparsity[1]) > Number(sparsity[2]), 'L1 leaves more weights near zero than L2');

  // The lesson cleans up after itself: no cell leaves tensors that nothing holds.
  assert.doesNotMatch(stderr, /left \d+ tensors? .* allocated/);

  // Every chart cell drew a chart.
  const charts = stdout.match(/^\[chart: vega-lite, \d+ points\]$/gm) ?? [];
  const notebook = parseNotebook(readFileSync(tutorial, 'utf8'));
  const plotCells = notebook.cells.filter((c) => c.kind === 'code' && /\bplot\.(line|lmplot|chart|lines|vega)\(/.test(c.source));
  assert.equal(charts.length, plotCells.length);
});
