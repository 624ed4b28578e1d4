// What the kernel sends the tensor renderer: statistics, head and tail of large tensors
// as NumPy prints them, a sampled heatmap grid and image pixels, all small.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { TensorView } from '../../src/shared/protocol';
import { EDGE_ITEMS, HEATMAP_MAX, IMAGE_MAX, shownIndexes, tensorView } from '../../src/kernel/runtime/tensorView';

tf.enableProdMode();

/** The view of a tensor made for the test, which is then disposed. */
function viewOf(make: () => tf.Tensor): TensorView {
  const tensor = make();
  try {
    return tensorView(tensor);
  } finally {
    tensor.dispose();
  }
}

describe('tensorView', () => {
  it('gives dtype, shape and statistics over the finite values, counting NaN and Infinity apart', () => {
    const view = viewOf(() => tf.tensor([1, 2, 3, 4, NaN, Infinity]));
    assert.deepEqual([view.dtype, view.shape, view.size], ['float32', [6], 6]);
    assert.deepEqual(view.stats, { min: 1, max: 4, mean: 2.5, std: Math.sqrt(5 / 3), nonFinite: 2 });
  });

  it('shows small 1-D and 2-D tensors whole, and the head and tail of long axes', () => {
    const small = viewOf(() =>
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    assert.deepEqual(small.table, {
      rows: [0, 1],
      cols: [0, 1],
      values: [
        [1, 2],
        [3, 4],
      ],
    });
    const line = viewOf(() => tf.range(0, 100));
    assert.deepEqual(line.table, { cols: [0, 1, 2, 3, 4, 95, 96, 97, 98, 99], values: [[0, 1, 2, 3, 4, 95, 96, 97, 98, 99]] });
    const wide = viewOf(() => tf.range(0, 30 * 40).reshape([30, 40]));
    assert.deepEqual(wide.table?.rows, shownIndexes(30));
    assert.equal(wide.table?.values.length, 2 * EDGE_ITEMS);
    assert.equal(wide.table?.values[EDGE_ITEMS][0], 25 * 40, 'the first tail row is row 25');
    assert.equal(wide.table?.values[0][EDGE_ITEMS], 35, 'the first tail column is column 35');
  });

  it('samples a 2-D heatmap to a bounded grid, and none for a column vector', () => {
    const view = viewOf(() => tf.range(0, 200 * 10).reshape([200, 10]));
    assert.ok(view.heatmap);
    assert.equal(view.heatmap.cols, 10);
    assert.ok(view.heatmap.rows <= HEATMAP_MAX);
    assert.equal(view.heatmap.values.length, view.heatmap.rows * view.heatmap.cols);
    assert.equal(view.heatmap.values[view.heatmap.cols], view.heatmap.rowStep * 10, 'row 1 of the grid is row rowStep');
    assert.equal(viewOf(() => tf.ones([256, 1])).heatmap, undefined);
  });

  it('turns [H,W,1|3|4] tensors into RGBA pixels, scaled as images usually are', () => {
    const rgb = viewOf(() =>
      tf.tensor3d([
        [
          [1, 0, 0],
          [0, 1, 0],
        ],
        [
          [0, 0, 1],
          [1, 1, 1],
        ],
      ]),
    );
    assert.equal(rgb.image?.scale, 'values 0..1 shown as 0..255');
    const pixels = [...Buffer.from(rgb.image!.rgba, 'base64')];
    assert.deepEqual(pixels, [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    const gray = viewOf(() =>
      tf.tensor3d([
        [[-1], [1]],
        [[0], [3]],
      ]),
    );
    assert.match(gray.image!.scale, /stretched/);
    assert.deepEqual(
      [...Buffer.from(gray.image!.rgba, 'base64')].filter((_, i) => i % 4 === 0),
      [0, 128, 64, 255],
    );
    const big = viewOf(() => tf.zeros([1000, 500, 3]));
    assert.ok(big.image!.width <= IMAGE_MAX && big.image!.height <= IMAGE_MAX);
    assert.equal(viewOf(() => tf.zeros([2, 2, 5])).image, undefined);
  });

  it('shows bool and string tensors as words, and says when a tensor was disposed', () => {
    assert.deepEqual(viewOf(() => tf.tensor([true, false], undefined, 'bool')).table?.values, [['true', 'false']]);
    const words = viewOf(() => tf.tensor(['a', 'b']));
    assert.deepEqual([words.stats, words.table?.values], [undefined, [['a', 'b']]]);
    const gone = tf.ones([2]);
    gone.dispose();
    assert.deepEqual(tensorView(gone), { dtype: 'float32', shape: [2], size: 2, disposed: true });
  });
});
