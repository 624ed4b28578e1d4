// One epoch of a 100-256-256-10 MLP with Adam and softmax cross-entropy on 20,000
// samples in batches of 256: the matMul-bound case, forward and backward.
// The fast and stock kernels are swapped on one wasm backend in one process, interleaved:
// unlike a second backend, the swap does not slow the other variants (measured).
import * as tf from '@tensorflow/tfjs';
import { BACKEND_LABEL, useBackend, type BenchBackend } from '../lib/backend';
import { pytorchFigure, type BenchContext, type Workload } from '../lib/context';
import { normal, uniform } from '../lib/data';
import { measureInterleaved } from '../lib/measure';
import type { Row } from '../lib/table';

const SAMPLES = 20_000;
const BATCH = 256;
const SIZES = [100, 256, 256, 10];
const WORKLOAD = 'MLP epoch, 100-256-256-10 Adam';
const TARGET = { of: 'ratio', max: 3 } as const;

export function makeData(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const labels = uniform(SAMPLES, 21).map((u) => Math.floor(u * 10));
  return {
    x: tf.tensor2d(normal(SAMPLES * SIZES[0], 22), [SAMPLES, SIZES[0]]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D,
  };
}

/** He-initialised weights, deterministic. */
function makeParams(): tf.Variable[] {
  const params: tf.Variable[] = [];
  for (let i = 0; i + 1 < SIZES.length; i++) {
    const [fanIn, fanOut] = [SIZES[i], SIZES[i + 1]];
    const scale = Math.sqrt(2 / fanIn);
    params.push(
      tf.variable(
        tf.tensor2d(
          normal(fanIn * fanOut, 30 + i).map((v) => v * scale),
          [fanIn, fanOut],
        ),
      ),
    );
    params.push(tf.variable(tf.zeros([fanOut])));
  }
  return params;
}

/** A hand-written training loop with tf ops and `optimizer.minimize`. */
export function handLoop(data: { x: tf.Tensor2D; y: tf.Tensor2D }): void {
  const params = makeParams();
  const optimizer = tf.train.adam(1e-3);
  const forward = (xb: tf.Tensor2D): tf.Tensor2D => {
    let h: tf.Tensor2D = xb;
    for (let i = 0; i < params.length; i += 2) {
      h = tf.add(tf.matMul(h, params[i] as tf.Tensor2D), params[i + 1]);
      if (i + 2 < params.length) h = tf.relu(h);
    }
    return h;
  };
  for (let start = 0; start < SAMPLES; start += BATCH) {
    const size = Math.min(BATCH, SAMPLES - start);
    tf.tidy(() => {
      const xb = data.x.slice([start, 0], [size, SIZES[0]]);
      const yb = data.y.slice([start, 0], [size, 10]);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)) as tf.Scalar);
    });
  }
  optimizer.dispose();
  tf.dispose(params);
}

/** The same network through tf.layers and `model.fit` (dense layers use fused matMul). */
export async function layersFit(data: { x: tf.Tensor2D; y: tf.Tensor2D }): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: SIZES[1], activation: 'relu', inputShape: [SIZES[0]] }),
      tf.layers.dense({ units: SIZES[2], activation: 'relu' }),
      tf.layers.dense({ units: SIZES[3] }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
  await model.fit(data.x, data.y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
  model.dispose();
}

export const mlpWorkload: Workload = {
  name: 'mlp',
  async run(context: BenchContext): Promise<Row[]> {
    const pytorch = pytorchFigure(context, (f) => f.mlp_epoch_s);
    const runs = context.quick ? 1 : 3;
    const data = makeData();
    const backendOf: Record<string, BenchBackend> = {
      [`hand loop, ${BACKEND_LABEL.wasm}`]: 'wasm',
      [`model.fit, ${BACKEND_LABEL.wasm}`]: 'wasm',
      [`hand loop, ${BACKEND_LABEL['wasm-plain']}`]: 'wasm-plain',
    };
    const variants: Record<string, () => unknown> = {
      [`hand loop, ${BACKEND_LABEL.wasm}`]: () => handLoop(data),
      [`model.fit, ${BACKEND_LABEL.wasm}`]: () => layersFit(data),
      [`hand loop, ${BACKEND_LABEL['wasm-plain']}`]: () => handLoop(data),
    };
    context.log(`${WORKLOAD}: ${Object.keys(variants).join(' / ')} x${runs}`);
    const results = await measureInterleaved(variants, { runs, before: (name) => useBackend(backendOf[name]) });
    await useBackend('wasm');
    tf.dispose([data.x, data.y]);
    return Object.entries(results).map(([variant, m]) => ({
      workload: WORKLOAD,
      variant,
      value: m.median,
      cpu: m.cpuMedian,
      unit: 's' as const,
      ...pytorch,
      target: backendOf[variant] === 'wasm' ? TARGET : undefined,
      note: backendOf[variant] === 'wasm' ? undefined : 'before the fast kernels',
    }));
  },
};
