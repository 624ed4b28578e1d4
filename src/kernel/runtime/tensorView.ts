// A tensor as the tensor renderer draws it (`TensorView` in the shared protocol): dtype,
// shape and statistics, then the head and tail of a 1-D or 2-D tensor as NumPy and
// PyTorch print a large one, a sampled grid for a heatmap, and an [H,W,C] tensor as an
// image. Read once here with dataSync; only a few KB cross to the renderer whatever the size.
import * as tf from '@tensorflow/tfjs';
import type { TensorView } from '../../shared/protocol';

/** An axis longer than this shows its first and last EDGE_ITEMS entries only. */
export const MAX_AXIS_ITEMS = 20;
export const EDGE_ITEMS = 5;
/** Most cells of the heatmap per side, and most pixels of the image per side. */
export const HEATMAP_MAX = 64;
export const IMAGE_MAX = 256;

export function tensorView(tensor: tf.Tensor): TensorView {
  const view: TensorView = { dtype: tensor.dtype, shape: [...tensor.shape], size: tensor.size };
  if (tensor.isDisposed) return { ...view, disposed: true };
  if (tensor.dtype === 'complex64') return view;
  const data = tensor.dataSync() as ArrayLike<number> | string[];
  if (tensor.dtype === 'string') {
    if (tensor.rank <= 2) view.table = table(tensor.shape, (i) => String((data as string[])[i]));
    return view;
  }
  const values = data as ArrayLike<number>;
  view.stats = statistics(values);
  const shown = (i: number): number | string => (tensor.dtype === 'bool' ? (values[i] ? 'true' : 'false') : values[i]);
  if (tensor.rank === 1 || tensor.rank === 2) view.table = table(tensor.shape, shown);
  const [height, width, channels] = tensor.shape;
  if (tensor.rank === 2 && height! > 1 && width! > 1) view.heatmap = heatmap(tensor.shape, values);
  if (tensor.rank === 3 && [1, 3, 4].includes(channels!) && height! > 1 && width! > 1) {
    view.image = image(tensor.shape, values, view.stats);
  }
  return view;
}

function statistics(values: ArrayLike<number>): NonNullable<TensorView['stats']> {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
  }
  const mean = count ? sum / count : NaN;
  let squares = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) squares += (values[i] - mean) ** 2;
  // The population standard deviation would differ from torch.std's default; this is the sample one, like torch.
  const std = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  return count ? { min, max, mean, std, nonFinite } : { min: NaN, max: NaN, mean: NaN, std: NaN, nonFinite };
}

/** The indexes shown along an axis of `length`: all, or the first and last EDGE_ITEMS. */
export function shownIndexes(length: number): number[] {
  if (length <= MAX_AXIS_ITEMS) return Array.from({ length }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => length - EDGE_ITEMS + i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), ...tail];
}

function table(shape: number[], at: (flat: number) => number | string): NonNullable<TensorView['table']> {
  if (shape.length === 1) {
    const cols = shownIndexes(shape[0]);
    return { cols, values: [cols.map(at)] };
  }
  const [height, width] = shape;
  const rows = shownIndexes(height);
  const cols = shownIndexes(width);
  return { rows, cols, values: rows.map((r) => cols.map((c) => at(r * width + c))) };
}

function heatmap(shape: number[], values: ArrayLike<number>): NonNullable<TensorView['heatmap']> {
  const [height, width] = shape;
  const rowStep = Math.ceil(height / HEATMAP_MAX);
  const colStep = Math.ceil(width / HEATMAP_MAX);
  const rows = Math.ceil(height / rowStep);
  const cols = Math.ceil(width / colStep);
  const grid: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) grid.push(values[r * rowStep * width + c * colStep]);
  return { rows, cols, rowStep, colStep, values: grid };
}

/**
 * Pixels as images are usually stored: values in [0, 1] scale by 255, values in [0, 255]
 * show as they are, anything else is stretched from its min to its max (said in `scale`).
 */
function image(
  shape: number[],
  values: ArrayLike<number>,
  stats: NonNullable<TensorView['stats']>,
): NonNullable<TensorView['image']> {
  const [height, width, channels] = shape;
  const step = Math.ceil(Math.max(height, width) / IMAGE_MAX);
  const outHeight = Math.ceil(height / step);
  const outWidth = Math.ceil(width / step);
  let scale: string;
  let toByte: (v: number) => number;
  if (stats.min >= 0 && stats.max <= 1) {
    scale = 'values 0..1 shown as 0..255';
    toByte = (v) => v * 255;
  } else if (stats.min >= 0 && stats.max <= 255) {
    scale = 'values 0..255';
    toByte = (v) => v;
  } else {
    const span = stats.max - stats.min || 1;
    scale = `stretched from ${stats.min.toPrecision(3)}..${stats.max.toPrecision(3)}`;
    toByte = (v) => ((v - stats.min) / span) * 255;
  }
  const rgba = new Uint8Array(outWidth * outHeight * 4);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const from = (y * step * width + x * step) * channels;
      const to = (y * outWidth + x) * 4;
      const byte = (c: number) => Math.max(0, Math.min(255, Math.round(toByte(values[from + c]) || 0)));
      const [r, g, b] = channels === 1 ? [byte(0), byte(0), byte(0)] : [byte(0), byte(1), byte(2)];
      rgba.set([r, g, b, channels === 4 ? byte(3) : 255], to);
    }
  }
  return { width: outWidth, height: outHeight, step, scale, rgba: Buffer.from(rgba).toString('base64') };
}
