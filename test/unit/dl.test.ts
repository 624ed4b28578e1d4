// The learning kit against PyTorch: test/fixtures/pytorch-reference.json holds what torch
// 1.13 computes for every loss (each reduction, with and without weights), each optimizer
// after 50 steps, a small Sequential classifier, and Linear's initial range. Regenerate it
// with `/usr/bin/python3 test/fixtures/pytorch_reference.py`.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createLearningKit } from '../../src/kernel/dl';
import { LossHistory } from '../../src/kernel/panel/lossHistory';

type Nested = number | Nested[];

interface Reference {
  inputs: Record<string, Nested>;
  losses: { loss: string; input: string; target: string; options: { reduction: string; weight?: string }; expected: Nested }[];
  optimizerProblem: { x: number[][]; y: number[][]; weight: number[][]; bias: number[]; steps: number };
  optimizers: { optimizer: string; options: Record<string, unknown>; losses: number[]; weight: number[][]; bias: number[] }[];
  classifier: {
    x: number[][];
    y: number[];
    classWeight: number[];
    steps: number;
    layers: { name: string; initial: Nested }[];
    losses: number[];
    final: Record<string, Nested>;
  };
  linearInit: { inFeatures: number; outFeatures: number; weightShape: number[]; biasShape: number[]; bound: number }[];
}

const reference: Reference = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/pytorch-reference.json'), 'utf8'));

const LOSS_TOLERANCE = 1e-6;
const OPTIMIZER_TOLERANCE = 1e-5;

/** |actual - expected| within `tolerance` relative to |expected|, or absolute below 1. */
function assertClose(actual: Nested, expected: Nested, tolerance: number, label: string): void {
  const a = flatten(actual);
  const e = flatten(expected);
  assert.equal(a.length, e.length, `${label}: ${a.length} values, expected ${e.length}`);
  e.forEach((want, i) => {
    const got = a[i];
    assert.ok(
      Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want)),
      `${label}[${i}]: got ${got}, PyTorch ${want} (difference ${Math.abs(got - want)})`,
    );
  });
}

function flatten(value: Nested): number[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

function shapeOf(value: Nested): number[] {
  const shape: number[] = [];
  for (let level: Nested = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  return shape;
}

async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  tf.enableProdMode();
  if (name === 'wasm') setWasmPaths(path.resolve(__dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  assert.ok(await tf.setBackend(name), `the ${name} backend did not start`);
}

for (const backend of ['wasm', 'cpu'] as const) {
  // On wasm the inputs go in as tensors, on cpu as plain arrays: both must work.
  const asTensors = backend === 'wasm';

  describe(`learning kit vs PyTorch (${backend})`, () => {
    let dl: ReturnType<typeof createLearningKit>;

    before(async () => {
      await useBackend(backend);
      dl = createLearningKit({ history: new LossHistory() });
    });

    it('computes every loss, reduction and weighting as PyTorch does', () => {
      for (const c of reference.losses) {
        const label = `${c.loss}(${JSON.stringify(c.options)}) on ${c.input}/${c.target}`;
        const isClassTarget = c.target.startsWith('class_target');
        const weight = c.options.weight ? reference.inputs[c.options.weight] : undefined;
        const Loss = dl.nn[c.loss as 'MSELoss'] as new (options: object) => { forward(i: unknown, t: unknown): tf.Tensor };
        const before = tf.memory().numTensors;
        tf.tidy(() => {
          const loss = new Loss({
            reduction: c.options.reduction,
            weight: weight && asTensors ? tf.tensor(weight as number[]) : weight,
          });
          const input = reference.inputs[c.input];
          const target = reference.inputs[c.target];
          const out = loss.forward(
            asTensors ? tf.tensor(input as number[]) : input,
            asTensors ? tf.tensor(target as number[], undefined, isClassTarget ? 'int32' : 'float32') : target,
          );
          const expectedShape = shapeOf(c.expected);
          assert.deepEqual(out.shape, expectedShape, `${label}: shape`);
          assertClose(Array.from(out.dataSync()), c.expected, LOSS_TOLERANCE, label);
        });
        assert.equal(tf.memory().numTensors, before, `${label}: leaked tensors`);
      }
    });

    it('moves parameters as each PyTorch optimizer does over 50 steps', () => {
      const problem = reference.optimizerProblem;
      const x = tf.tensor(problem.x);
      const y = tf.tensor(problem.y);
      for (const run of reference.optimizers) {
        const label = `${run.optimizer}(${JSON.stringify(run.options)})`;
        const model = new dl.nn.Linear(3, 2);
        model.weight.set(problem.weight);
        model.bias!.set(problem.bias);
        const Optimizer = dl.optim[run.optimizer as 'Adam'] as new (
          params: unknown,
          options: unknown,
        ) => InstanceType<typeof dl.optim.Adam>;
        const optimizer = new Optimizer(model.parameters(), run.options);
        const criterion = new dl.nn.MSELoss();
        const losses: number[] = [];
        for (let step = 0; step < problem.steps; step++) {
          optimizer.zeroGrad();
          losses.push(dl.backward(() => criterion.forward(model.forward(x), y)));
          optimizer.step();
        }
        assertClose(losses, run.losses, OPTIMIZER_TOLERANCE, `${label} losses`);
        assertClose(model.weight.toArray() as Nested, run.weight, OPTIMIZER_TOLERANCE, `${label} weight`);
        assertClose(model.bias!.values(), run.bias, OPTIMIZER_TOLERANCE, `${label} bias`);
        optimizer.zeroGrad();
        optimizer.dispose();
        model.dispose();
      }
      tf.dispose([x, y]);
    });

    it('trains a Sequential classifier with weighted cross-entropy as PyTorch does', () => {
      const c = reference.classifier;
      const net = new dl.nn.Sequential(new dl.nn.Linear(3, 5), new dl.nn.ReLU(), new dl.nn.Linear(5, 3));
      const named = net.namedParameters();
      assert.deepEqual(
        named.map(([name]) => name),
        c.layers.map((l) => l.name),
      );
      named.forEach(([, p], i) => p.set(c.layers[i].initial as number[]));
      const x = tf.tensor(c.x);
      const y = tf.tensor1d(c.y, 'int32');
      const criterion = new dl.nn.CrossEntropyLoss({ weight: c.classWeight });
      const optimizer = new dl.optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
      const losses: number[] = [];
      for (let step = 0; step < c.steps; step++) {
        optimizer.zeroGrad();
        losses.push(dl.backward(() => criterion.forward(net.forward(x), y)));
        optimizer.step();
      }
      assertClose(losses, c.losses, OPTIMIZER_TOLERANCE, 'classifier losses');
      for (const [name, p] of named) assertClose(p.toArray() as Nested, c.final[name], OPTIMIZER_TOLERANCE, name);
      optimizer.zeroGrad();
      optimizer.dispose();
      net.dispose();
      tf.dispose([x, y]);
    });

    it("initialises Linear with PyTorch's shapes, inside ±1/sqrt(in), reproducibly", () => {
      for (const ref of reference.linearInit) {
        const label = `Linear(${ref.inFeatures}, ${ref.outFeatures})`;
        dl.manualSeed(7);
        const layer = new dl.nn.Linear(ref.inFeatures, ref.outFeatures);
        assert.deepEqual(layer.weight.shape, ref.weightShape, `${label} weight shape`);
        assert.deepEqual(layer.bias!.shape, ref.biasShape, `${label} bias shape`);
        const values = [...layer.weight.values(), ...layer.bias!.values()];
        assert.ok(
          values.every((v) => Math.abs(v) <= ref.bound),
          `${label}: a value outside ±${ref.bound}`,
        );
        if (values.length >= 20) {
          // Uniform over the whole range, not a narrower one: the extremes come near the bound.
          assert.ok(Math.max(...values.map(Math.abs)) > 0.8 * ref.bound, `${label}: values span too little`);
        }
        dl.manualSeed(7);
        const again = new dl.nn.Linear(ref.inFeatures, ref.outFeatures);
        assert.deepEqual(again.weight.values(), layer.weight.values(), `${label}: same seed, same weights`);
        layer.dispose();
        again.dispose();
      }
    });
  });
}
