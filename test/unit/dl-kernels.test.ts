// The learning kit's own kernels (Linear's affine map, MSELoss's squared error, their
// gradients) must give what tf's plain ops give, on cpu and on wasm, for products small
// enough to run as loops and large enough to go to BatchMatMul; under tf.grads and
// inside dl.backward; and must release every tensor they make.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createLearningKit } from '../../src/kernel/dl';
import { AFFINE, AFFINE_OF_DATA, affine, MIN_DELEGATED_WORK } from '../../src/kernel/dl/kernels/affine';
import { SQUARED_ERROR, squaredError } from '../../src/kernel/dl/kernels/squaredError';
import { registerFastWasmKernels } from '../../src/kernel/tf/fastKernels';
import { LossHistory } from '../../src/kernel/panel/lossHistory';
import { randoms } from './seededRandoms';

before(async () => {
  tf.enableProdMode();
  setWasmPaths(path.resolve(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
  registerFastWasmKernels(); // as the notebook kernel starts
});

/** A tensor of deterministic values in [-1, 1), so a failure reproduces. */
function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    randoms(
      shape.reduce((n, d) => n * d, 1),
      seed,
    ),
    shape,
    'float32',
  );
}

function assertClose(actual: tf.Tensor[], expected: tf.Tensor[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: count`);
  actual.forEach((a, k) => {
    assert.deepEqual(a.shape, expected[k].shape, `${label}: shape of ${k}`);
    const [got, want] = [a.dataSync(), expected[k].dataSync()];
    for (let i = 0; i < want.length; i++) {
      const limit = 2e-5 * Math.max(1, Math.abs(want[i]));
      if (!(Math.abs(got[i] - want[i]) <= limit))
        assert.fail(`${label}: output ${k}[${i}] is ${got[i]}, tf's ops give ${want[i]}`);
    }
  });
}

/** Which kernels `f` dispatches (the kit's must be among them, or the test proves nothing). */
async function kernelsOf(f: () => void): Promise<string[]> {
  return (await tf.profile(f)).kernels.map((k) => k.name);
}

const plainAffine = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null) => {
  const product = tf.matMul(x, tf.transpose(w));
  return b ? tf.add(product, b) : product;
};
// Through a nonlinearity and a weighting, so the upstream gradient is not all ones.
const head = (y: tf.Tensor) => tf.sum(tf.mul(tf.sin(y), tf.linspace(0.5, 2, y.size).reshape(y.shape)));

// [rows, in, out]: loops below MIN_DELEGATED_WORK, the backend's BatchMatMul above.
const AFFINE_SIZES: [number, number, number][] = [
  [1, 1, 1],
  [256, 1, 1],
  [5, 3, 2],
  [64, 48, 32],
  [300, 20, 7],
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`the kit's kernels on ${backend}`, () => {
    before(async () => assert.ok(await tf.setBackend(backend)));

    it('cover both sides of the delegation threshold', () => {
      const works = AFFINE_SIZES.map(([n, i, o]) => n * i * o);
      assert.ok(works.some((w) => w < MIN_DELEGATED_WORK) && works.some((w) => w >= MIN_DELEGATED_WORK));
    });

    it("affine: values and the gradients of x, W and b match tf's ops", async () => {
      for (const [rows, inFeatures, outFeatures] of AFFINE_SIZES) {
        for (const withBias of [true, false]) {
          const label = `affine [${rows}, ${inFeatures}] -> ${outFeatures}, bias ${withBias}`;
          const numTensors = tf.memory().numTensors;
          tf.tidy(() => {
            const x = randomTensor([rows, inFeatures], rows + inFeatures);
            const w = randomTensor([outFeatures, inFeatures], outFeatures + 7);
            const b = withBias ? randomTensor([outFeatures], 11) : null;
            assertClose([affine(x, w, b)], [plainAffine(x, w, b)], `${label}: values`);
            const xs = b ? [x, w, b] : [x, w];
            const kit = tf.grads((...t: tf.Tensor[]) => head(affine(t[0], t[1], t[2] ?? null)))(xs);
            const plain = tf.grads((...t: tf.Tensor[]) => head(plainAffine(t[0], t[1], t[2] ?? null)))(xs);
            assertClose(kit, plain, `${label}: gradients`);
          });
          assert.equal(tf.memory().numTensors, numTensors, `${label}: tensors leaked`);
        }
      }
      const x = tf.ones([4, 3]);
      const w = tf.ones([2, 3]);
      assert.ok((await kernelsOf(() => tf.dispose(affine(x, w, null)))).includes(AFFINE));
      tf.dispose([x, w]);
    });

    it('affine: rejects shapes that do not fit, naming them', () => {
      const [x, w, b] = [tf.ones([4, 3]), tf.ones([2, 5]), tf.ones([3])];
      assert.throws(() => affine(x, w, null), /x \[4, 3\] and weight \[2, 5\].*x Wᵀ \+ b/);
      assert.throws(() => affine(x, tf.ones([2, 3]), b), /and bias \[3\]/);
      tf.dispose([x, w, b]);
    });

    it("squared error: values and the gradients of input and target match tf's ops", async () => {
      for (const shape of [[1], [256, 1], [5, 3], [300, 40]]) {
        for (const reduction of ['mean', 'sum', 'none'] as const) {
          const label = `squared error ${JSON.stringify(shape)} ${reduction}`;
          const numTensors = tf.memory().numTensors;
          tf.tidy(() => {
            const [input, target] = [randomTensor(shape, 3), randomTensor(shape, 5)];
            const plain = (p: tf.Tensor, t: tf.Tensor) => {
              const squares = tf.squaredDifference(p, t);
              return reduction === 'mean' ? tf.mean(squares) : reduction === 'sum' ? tf.sum(squares) : squares;
            };
            assertClose([squaredError(input, target, reduction)], [plain(input, target)], `${label}: values`);
            const weigh = (loss: tf.Tensor) => tf.sum(tf.mul(loss, tf.linspace(1, 2, loss.size).reshape(loss.shape)));
            const kit = tf.grads((p: tf.Tensor, t: tf.Tensor) => weigh(squaredError(tf.tanh(p), t, reduction)))([input, target]);
            const want = tf.grads((p: tf.Tensor, t: tf.Tensor) => weigh(plain(tf.tanh(p), t)))([input, target]);
            assertClose(kit, want, `${label}: gradients`);
          });
          assert.equal(tf.memory().numTensors, numTensors, `${label}: tensors leaked`);
        }
      }
      const ones = tf.ones([3, 2]);
      assert.ok((await kernelsOf(() => tf.dispose(squaredError(ones, ones, 'mean')))).includes(SQUARED_ERROR));
      ones.dispose();
    });

    it('dl.backward: a two-layer model gets the gradients tf.grads gives, with first-layer x as data', async () => {
      const dl = createLearningKit({ history: new LossHistory() });
      for (const [rows, inFeatures, hidden] of [
        [6, 3, 4],
        [128, 32, 16],
      ]) {
        dl.manualSeed(rows);
        const [x, y] = [dl.randn(rows, inFeatures), dl.randn(rows, 2)];
        const model = new dl.nn.Sequential(new dl.nn.Linear(inFeatures, hidden), new dl.nn.Tanh(), new dl.nn.Linear(hidden, 2));
        const criterion = new dl.nn.MSELoss();
        const numTensors = tf.memory().numTensors;
        const kernels = await kernelsOf(() => dl.backward(() => criterion.forward(model.forward(x), y)));
        assert.ok(kernels.includes(AFFINE_OF_DATA) && kernels.includes(AFFINE), kernels.join(' '));
        const params = model.parameters();
        const plain = tf.tidy(() =>
          tf.grads((w0: tf.Tensor, b0: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) =>
            tf.mean(tf.squaredDifference(plainAffine(tf.tanh(plainAffine(x, w0, b0)), w2, b2), y)),
          )(params.map((p) => p.data)),
        );
        assertClose(
          params.map((p) => p.grad!),
          plain,
          `dl.backward [${rows}, ${inFeatures}] -> ${hidden}`,
        );
        tf.dispose(plain);
        model.zeroGrad();
        assert.equal(tf.memory().numTensors, numTensors, 'tensors leaked');
        model.dispose();
        tf.dispose([x, y]);
      }
    });
  });
}

describe("a backend without the kit's kernels", () => {
  // cpu under another name, with tf's kernels only: the kit falls back to tf's ops.
  before(async () => {
    if (tf.findBackend('kitless') === null) {
      tf.registerBackend('kitless', tf.findBackendFactory('cpu')!);
      for (const kernel of tf.getKernelsForBackend('cpu')) {
        if (!kernel.kernelName.startsWith('Dl')) tf.registerKernel({ ...kernel, backendName: 'kitless' });
      }
    }
  });

  it('trains a two-layer model to the same parameters as cpu with the kernels', async () => {
    const trained = async (backend: string) => {
      assert.ok(await tf.setBackend(backend));
      const dl = createLearningKit({ history: new LossHistory() });
      dl.manualSeed(5);
      const [x, y] = [dl.randn(16, 3), dl.randn(16, 1)];
      const model = new dl.nn.Sequential(new dl.nn.Linear(3, 4), new dl.nn.Tanh(), new dl.nn.Linear(4, 1));
      const optimizer = new dl.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const criterion = new dl.nn.MSELoss();
      const kernels = await kernelsOf(() => {
        for (let step = 0; step < 5; step++) {
          optimizer.zeroGrad();
          dl.backward(() => criterion.forward(model.forward(x), y));
          optimizer.step();
        }
      });
      const values = model.parameters().map((p) => tf.tensor(p.values()));
      optimizer.dispose();
      model.dispose();
      tf.dispose([x, y]);
      return { values, kitKernels: kernels.filter((name) => name.startsWith('Dl')) };
    };
    const withKernels = await trained('cpu');
    const withOps = await trained('kitless');
    assert.ok(withKernels.kitKernels.length > 0);
    assert.deepEqual(withOps.kitKernels, []);
    assertClose(withOps.values, withKernels.values, 'parameters after 5 steps');
    tf.dispose([...withKernels.values, ...withOps.values]);
    await tf.setBackend('wasm');
  });
});

describe('inputs that still live on the cpu backend', () => {
  it('are read right even when moving them grows the wasm memory', async () => {
    await tf.setBackend('wasm');
    const memory = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm;
    // Two inputs each larger than the whole heap now: moving either one grows it.
    const n = Math.ceil(memory.HEAPU8.buffer.byteLength / 4) + (1 << 20);
    await tf.setBackend('cpu');
    const input = tf.fill([n], 3);
    const target = tf.fill([n], 1);
    await tf.setBackend('wasm');
    const loss = squaredError(input, target, 'sum');
    assert.equal(loss.dataSync()[0], 4 * n);
    tf.dispose([loss, input, target]);
  });
});
