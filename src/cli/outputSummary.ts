// How a rich output shows in a terminal: one line for charts, the plain text for
// everything else (a tensor prints its values, as tfjs's print() and PyTorch do).
import { MIME, type MimeBundle } from '../shared/protocol';

export const VEGA_LITE_MIMES = ['application/vnd.vegalite.v5+json', 'application/vnd.vegalite.v6+json'];

/** The Vega-Lite spec in a bundle, if it has one. */
export function vegaLiteSpec(bundle: MimeBundle): object | undefined {
  for (const mime of VEGA_LITE_MIMES) {
    const spec = bundle[mime];
    if (typeof spec === 'string') return JSON.parse(spec) as object;
    if (spec && typeof spec === 'object') return spec;
  }
  return undefined;
}

/** Counts the inline data values of a spec: every `values` array under a `data`, and `datasets`. */
export function countDataValues(spec: unknown): number {
  let count = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'data' && value && typeof value === 'object' && Array.isArray((value as { values?: unknown }).values)) {
        count += (value as { values: unknown[] }).values.length;
      } else if (key === 'datasets' && value && typeof value === 'object') {
        for (const rows of Object.values(value)) if (Array.isArray(rows)) count += rows.length;
      } else {
        visit(value);
      }
    }
  };
  visit(spec);
  return count;
}

/** The text to print for an output: a summary line for charts, else its text. */
export function summarizeOutput(bundle: MimeBundle): string {
  const spec = vegaLiteSpec(bundle);
  if (spec) {
    const points = countDataValues(spec);
    return `[chart: vega-lite, ${points} point${points === 1 ? '' : 's'}]`;
  }
  const text = bundle[MIME.text];
  if (typeof text === 'string') return text;
  const kinds = Object.keys(bundle);
  return `[${kinds.join(', ') || 'empty output'}]`;
}
