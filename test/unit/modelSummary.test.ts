// Model summaries as plain data and text: a kit Sequential (shapes followed through its
// layers, nested modules indented) and a tfjs LayersModel (trainable and not).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createLearningKit } from '../../src/kernel/dl';
import { LossHistory } from '../../src/kernel/panel/lossHistory';
import { modelSummary } from '../../src/kernel/panel/modelSummary';
import { walkParameters } from '../../src/kernel/panel/paramWalk';
import { toMimeBundle } from '../../src/kernel/runtime/display';
import { summaryText } from '../../src/shared/modelSummaryText';
import { MIME } from '../../src/shared/protocol';

tf.enableProdMode();

describe('model summaries', () => {
  it('lists a kit Sequential layer by layer with output shapes and parameter counts', () => {
    const dl = createLearningKit({ history: new LossHistory() });
    const inner = new dl.nn.Sequential(new dl.nn.Linear(3, 2), new dl.nn.Tanh());
    const net = new dl.nn.Sequential(new dl.nn.Linear(4, 3), new dl.nn.ReLU(), inner);
    const summary = modelSummary(net);
    assert.equal(summary.title, 'Sequential');
    assert.deepEqual(
      summary.layers.map((l) => [l.name, l.type, l.depth, l.outputShape, l.params]),
      [
        ['0', 'Linear', 1, '[batch, 3]', 15],
        ['1', 'ReLU', 1, '[batch, 3]', 0],
        ['2', 'Sequential', 1, '[batch, 2]', 8],
        ['2.0', 'Linear', 2, '[batch, 2]', 8],
        ['2.1', 'Tanh', 2, '[batch, 2]', 0],
      ],
    );
    assert.deepEqual([summary.totalParams, summary.trainableParams, summary.nonTrainableParams], [23, 23, 0]);
    // The Parameters view gets the same summary for the row's tooltip.
    const [root] = walkParameters([['net', net]]).roots;
    assert.deepEqual(root.summary, summary);
    net.dispose();
  });

  it('counts a LayersModel’s non-trainable weights apart, and shows as data and text', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 1 })],
    });
    const bundle = toMimeBundle(model)!;
    const summary = bundle[MIME.model] as ReturnType<typeof modelSummary>;
    assert.deepEqual(
      summary.layers.map((l) => [l.type, l.outputShape, l.params, l.trainable]),
      [
        ['Dense', '[batch, 4]', 16, 16],
        ['BatchNormalization', '[batch, 4]', 16, 8],
        ['Dense', '[batch, 1]', 5, 5],
      ],
    );
    assert.deepEqual([summary.totalParams, summary.trainableParams, summary.nonTrainableParams], [37, 29, 8]);
    assert.equal(bundle[MIME.text], summaryText(summary));
    assert.match(
      String(bundle[MIME.text]),
      /BatchNormalization\s+\[batch, 4\]\s+16\n[\s\S]*37 parameters: 29 trainable, 8 not trainable$/,
    );
    model.dispose();
  });
});
