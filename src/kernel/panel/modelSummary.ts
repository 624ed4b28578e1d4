// A model's summary as plain data, what learners look at first (Keras's `model.summary()`,
// torchsummary): its layers, their output shapes and parameter counts, trainable and not.
// Shown as a cell's value, by `display(model)`, and as the Parameters view's tooltip.
import * as tf from '@tensorflow/tfjs';
import type { ModelSummary, ModelSummaryRow } from '../../shared/protocol';
import { Module } from '../dl/module';
import { Sequential } from '../dl/layers';

/** Most rows one summary lists; a deeper model says how many more it has. */
export const MAX_SUMMARY_ROWS = 200;

export function isSummarizable(value: unknown): value is Module | tf.LayersModel {
  return value instanceof Module || value instanceof tf.LayersModel;
}

export function modelSummary(model: Module | tf.LayersModel): ModelSummary {
  return model instanceof Module ? moduleSummary(model) : layersModelSummary(model);
}

/** A kit module: every submodule in order, nested ones indented under their parent. */
function moduleSummary(root: Module): ModelSummary {
  const rows: ModelSummaryRow[] = [];
  const visit = (module: Module, name: string, depth: number, input: string | undefined): string | undefined => {
    const row: ModelSummaryRow = { name, type: module.constructor.name, depth, outputShape: '?', params: 0, trainable: 0 };
    if (rows.length < MAX_SUMMARY_ROWS) rows.push(row);
    for (const p of module.parameters()) {
      row.params += p.size;
      if (p.data.trainable) row.trainable += p.size;
    }
    let output = outputOf(module, input);
    // A Sequential passes each child's output to the next, so its shapes are known.
    let flowing = module instanceof Sequential ? input : undefined;
    for (const [childName, child] of module.namedChildren()) {
      flowing = visit(child, name ? `${name}.${childName}` : childName, depth + 1, flowing);
    }
    if (module instanceof Sequential) output = flowing;
    row.outputShape = output ?? '?';
    return output;
  };
  visit(root, '', 0, undefined);
  const [top, ...layers] = rows;
  return totals(root.constructor.name, layers, top.params, top.trainable, rows.length >= MAX_SUMMARY_ROWS);
}

/** The output shape of a kit layer for an input of shape `input` (unknown: undefined). */
function outputOf(module: Module, input: string | undefined): string | undefined {
  const out = (module as { outFeatures?: unknown }).outFeatures;
  if (typeof out === 'number') return `[batch, ${out}]`;
  // Activations keep their input's shape.
  if (module.parameters().length === 0 && module.namedChildren().length === 0) return input;
  return undefined;
}

function layersModelSummary(model: tf.LayersModel): ModelSummary {
  const rows: ModelSummaryRow[] = model.layers.slice(0, MAX_SUMMARY_ROWS).map((layer) => {
    const params = layer.countParams();
    const trainable = layer.trainableWeights.reduce((sum, w) => sum + sizeOf(w.shape), 0);
    return { name: layer.name, type: layer.getClassName(), depth: 1, outputShape: layerShape(layer), params, trainable };
  });
  const params = model.countParams();
  const trainable = model.trainableWeights.reduce((sum, w) => sum + sizeOf(w.shape), 0);
  return totals(`${model.getClassName()} "${model.name}"`, rows, params, trainable, model.layers.length > MAX_SUMMARY_ROWS);
}

/** Keras's `(None, 3)` reads `[batch, 3]`, as the kit's rows do. */
function layerShape(layer: tf.layers.Layer): string {
  try {
    const shape = layer.outputShape;
    const one = (s: (number | null)[]) => `[${s.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;
    return Array.isArray(shape[0]) ? (shape as (number | null)[][]).map(one).join(' ') : one(shape as (number | null)[]);
  } catch {
    // A layer used at several places has no single output shape.
    return 'multiple';
  }
}

function sizeOf(shape: (number | null)[]): number {
  return shape.reduce<number>((product, d) => product * (d ?? 1), 1);
}

function totals(title: string, layers: ModelSummaryRow[], params: number, trainable: number, cut: boolean): ModelSummary {
  return {
    title,
    layers,
    totalParams: params,
    trainableParams: trainable,
    nonTrainableParams: params - trainable,
    ...(cut ? { cut } : {}),
  };
}
