// How a cell's value is shown: its own MIME bundle when it has one, tensors as their
// dtype, shape and values (elided like `tensor.print()`), models (tfjs or the kit's) as
// their summary, anything else as Node's util.inspect would print it.
import * as tf from '@tensorflow/tfjs';
import { inspect } from 'node:util';
import { MIME, type MimeBundle } from '../../shared/protocol';
import { ALREADY_SHOWN, MIME_BUNDLE, hasMimeBundle } from '../richValue';
import { summaryText } from '../../shared/modelSummaryText';
import { isSummarizable, modelSummary } from '../panel/modelSummary';
import { tensorView } from './tensorView';

/** The bundle to show for `value`, or undefined when nothing should be shown. */
export function toMimeBundle(value: unknown): MimeBundle | undefined {
  if (value === undefined) return undefined;
  if (isAlreadyShown(value)) return undefined;
  if (hasMimeBundle(value)) {
    const bundle = { ...value[MIME_BUNDLE]() };
    if (!(MIME.text in bundle)) bundle[MIME.text] = `[${Object.keys(bundle).join(', ') || 'empty output'}]`;
    return bundle;
  }
  // The tensor renderer's view first (VS Code shows the richest item it can render), and
  // the printed values for terminals, `dlnb run` and any editor without the renderer.
  if (value instanceof tf.Tensor) return { [MIME.tensor]: tensorView(value), [MIME.text]: tensorText(value) };
  if (isSummarizable(value)) {
    const summary = modelSummary(value);
    return { [MIME.model]: summary, [MIME.text]: summaryText(summary) };
  }
  return { [MIME.text]: inspectValue(value) };
}

function isAlreadyShown(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Boolean((value as Record<symbol, unknown>)[ALREADY_SHOWN]);
}

/** `Tensor float32 [256,1]` and the values, elided when large as tfjs's own print does. */
export function tensorText(tensor: tf.Tensor): string {
  const header = `Tensor ${tensor.dtype} [${tensor.shape.join(',')}]`;
  if (tensor.isDisposed) return `${header} (disposed)`;
  // toString() formats as "Tensor\n    <values>"; keep the values, put our header first.
  const body = tensor.toString().replace(/^Tensor\n/, '');
  return `${header}\n${body}`;
}

export function inspectValue(value: unknown): string {
  return inspect(value, { depth: 4, colors: false, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}
