// The second core: large products shared out with the helper thread (dist/gemmHelper.js;
// run `npm run build` first) give the very same bits as on one thread, small ones stay on
// one thread, and a helper that never starts, fails a chunk or stalls leaves every product
// right and is not used again.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DONE, FAILED, HELPER_CHUNKS, NEXT_CHUNK, POSTED, READY } from '../../src/kernel/tf/parallel/jobBoard';
import { readySecondCore, startSecondCore, stopSecondCore, type SecondCore } from '../../src/kernel/tf/parallel/secondCore';
import { gemmProduct } from '../../src/kernel/tf/simd/gemmProduct';
import { repoRoot } from './builtKernel';
import { randoms } from './seededRandoms';

if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const helperScript = path.join(repoRoot, 'dist/gemmHelper.js');

interface Case {
  a: number[];
  b: number[];
  transposedA?: boolean;
  transposedB?: boolean;
  bias?: boolean;
  relu?: boolean;
}

/** Products that are shared out: a million multiply-adds or more, 48 rows or more (splitProduct.ts). */
const LARGE: Case[] = [
  { a: [100, 120], b: [120, 96] },
  { a: [130, 96], b: [130, 100], transposedA: true, bias: true },
  { a: [64, 128], b: [200, 128], transposedB: true, bias: true, relu: true },
  { a: [200, 50], b: [120, 200], transposedA: true, transposedB: true, relu: true },
  { a: [3, 40, 100], b: [100, 100], bias: true }, // a batch folded into 120 rows
  { a: [120, 90], b: [90, 102], bias: true, relu: true }, // a last panel of 2 columns
  { a: [96, 110], b: [99, 110], transposedB: true, bias: true }, // of 3 columns
];
/** Products that are not: too few rows, too little work, separate products of a batch. */
const SMALL: Case[] = [
  { a: [40, 200], b: [200, 200] },
  { a: [64, 64], b: [64, 64] },
  { a: [2, 60, 100], b: [2, 100, 100] },
];

function product(c: Case, seed: number): Float32Array {
  const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
  const a = tf.tensor(randoms(size(c.a), seed), c.a);
  const b = tf.tensor(randoms(size(c.b), seed + 1), c.b);
  const n = c.transposedB ? c.b[c.b.length - 2] : c.b[c.b.length - 1];
  const bias = c.bias ? tf.tensor1d(randoms(n, seed + 2)) : undefined;
  const info = (t: tf.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
  const backend = tf.backend();
  const out = gemmProduct(backend, info(a), info(b), { ...c, bias: bias && info(bias) });
  try {
    assert.ok(out, 'the SIMD kernel took the product');
    return (backend.readSync(out.dataId) as Float32Array).slice();
  } finally {
    if (out) backend.disposeData(out.dataId);
    tf.dispose([a, b, ...(bias ? [bias] : [])]);
  }
}

const products = (cases: Case[]) => cases.map((c, i) => product(c, 10 * i + 1));
/** A product of 40 chunks, for the helpers below that take a chunk as soon as it is posted. */
const MANY_CHUNKS: Case[] = [{ a: [960, 256], b: [256, 256], bias: true }];

async function readyCore(script: string): Promise<SecondCore> {
  const core = startSecondCore(script);
  assert.ok(core, 'this runtime can share memory with a helper thread');
  for (let waited = 0; !readySecondCore(); waited += 10) {
    assert.ok(waited < 10_000, 'the helper thread did not get ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return core;
}

/** A stand-in helper thread that says it is ready, takes a chunk of the first product as soon as it is posted, then runs `body`. */
function fakeHelper(dir: string, name: string, body: string): string {
  const file = path.join(dir, `${name}.js`);
  const prelude = `const { workerData } = require('node:worker_threads');
const board = new Int32Array(workerData.memory.buffer, 0, 32);
const [POSTED, DONE, FAILED, READY, NEXT_CHUNK, HELPER_CHUNKS] = [${POSTED}, ${DONE}, ${FAILED}, ${READY}, ${NEXT_CHUNK}, ${HELPER_CHUNKS}];
Atomics.store(board, READY, 1);
while (Atomics.load(board, POSTED) === 0);
Atomics.add(board, NEXT_CHUNK, 1);
`;
  writeFileSync(file, prelude + body);
  return file;
}

describe('second core', () => {
  let dir: string;
  before(async () => {
    tf.enableProdMode();
    setWasmPaths(path.join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
    assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-second-core-'));
  });
  afterEach(() => stopSecondCore());
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shares large products out with the helper thread, to the same bits as one thread', async () => {
    const oneThread = products(LARGE);
    const core = await readyCore(helperScript);
    // How many chunks the helper takes depends on when it wakes: over many rounds, some.
    for (let round = 0; round < 20; round++) {
      products(LARGE).forEach((values, i) => assert.deepEqual(values, oneThread[i], `round ${round}, case ${i}`));
    }
    assert.ok(core.chunksRun > 0, 'the helper computed none of the chunks');
  });

  it('keeps small products and the separate products of a batch on one thread', async () => {
    const oneThread = products(SMALL);
    const core = await readyCore(helperScript);
    const after = products(SMALL);
    assert.equal(core.chunksRun, 0);
    after.forEach((values, i) => assert.deepEqual(values, oneThread[i], `case ${i}`));
  });

  it('a helper that fails a chunk leaves it to the kernel thread, and is not used again', async () => {
    const expected = products(MANY_CHUNKS);
    const failing = fakeHelper(
      dir,
      'failing',
      `Atomics.store(board, FAILED, 1);
Atomics.add(board, HELPER_CHUNKS, 1);
Atomics.store(board, DONE, Atomics.load(board, POSTED));`,
    );
    const core = await readyCore(failing);
    assert.deepEqual(products(MANY_CHUNKS), expected);
    assert.equal(core.chunksRun, 0);
    assert.equal(readySecondCore(), undefined, 'a failed helper is not used again');
    assert.deepEqual(products(MANY_CHUNKS), expected);
  });

  it('a helper that stalls is given up after a second, and one that dies at start is never used', async () => {
    const expected = products(MANY_CHUNKS);
    const stalling = fakeHelper(dir, 'stalling', `setInterval(() => {}, 1000);`);
    await readyCore(stalling);
    assert.deepEqual(products(MANY_CHUNKS), expected);
    assert.equal(readySecondCore(), undefined, 'a stalled helper is not used again');
    stopSecondCore();

    const dying = path.join(dir, 'dying.js');
    writeFileSync(dying, `throw new Error('no helper today');`);
    const core = startSecondCore(dying);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(readySecondCore(), undefined);
    assert.deepEqual(products(MANY_CHUNKS), expected);
    assert.equal(core?.chunksRun, 0);
  });
});
