// How a kernel MIME bundle becomes notebook output items: JSON MIME types as JSON (so
// renderers such as the Vega-Lite one get objects), everything else as text. Pure: the
// VS Code adapter turns each plan entry into a NotebookCellOutputItem.
import { isJsonMime } from '../../shared/mimeKinds';
import type { MimeBundle } from '../../shared/protocol';

export type OutputItemPlan =
  { mime: string; encoding: 'json'; value: unknown } | { mime: string; encoding: 'text'; value: string };

/** Items in the bundle's order (richest first); entries with no value are skipped. */
export function planOutputItems(bundle: MimeBundle): OutputItemPlan[] {
  const plan: OutputItemPlan[] = [];
  for (const [mime, value] of Object.entries(bundle)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      // A JSON MIME given as a string is already serialised: its UTF-8 bytes are the item.
      plan.push({ mime, encoding: 'text', value });
    } else if (isJsonMime(mime)) {
      plan.push({ mime, encoding: 'json', value });
    } else {
      plan.push({ mime, encoding: 'text', value: JSON.stringify(value) ?? String(value) });
    }
  }
  return plan;
}
