// How values in the kernel say how they want to be shown (like Jupyter's
// `_repr_mimebundle_`). A value with a method under this symbol is displayed with the
// bundle it returns; the plot API's charts, `display()` and the tensor view use it.
import type { MimeBundle } from '../shared/protocol';

export const MIME_BUNDLE = Symbol.for('dlnb.mimeBundle');
/** Set on values already displayed (e.g. charts shown when drawn) so they are not shown twice. */
export const ALREADY_SHOWN = Symbol.for('dlnb.alreadyShown');

export interface HasMimeBundle {
  [MIME_BUNDLE](): MimeBundle;
}

export function hasMimeBundle(value: unknown): value is HasMimeBundle {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[MIME_BUNDLE] === 'function';
}
