// What the kernel's runtime offers to the libraries it hosts (the plot API, the learning
// kit): showing rich outputs in the running cell, and a hook at the end of each cell.
import type { MimeBundle } from '../shared/protocol';

export interface KernelIO {
  /** Shows a rich output in the running cell. Give a displayId to update it later. */
  display(bundle: MimeBundle, displayId?: string): void;
  /** Replaces an output shown earlier with `display(bundle, displayId)`. */
  updateDisplay(displayId: string, bundle: MimeBundle): void;
  /** Runs `callback` once when the running cell ends (ok, error or interrupt). */
  onCellEnd(callback: () => void): void;
}
