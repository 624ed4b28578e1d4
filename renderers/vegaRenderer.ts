// The notebook renderer for Vega-Lite outputs (renderer id `dlnb.vega`). One chart per
// output id: a re-render draws the new chart hidden, then swaps it in and finalizes the
// old view, so a live chart updating many times a second neither flickers nor leaks.
import type { RendererMessage } from '../src/shared/protocol';
import { asSpec, drawChart, drawError, liveViewCount, problemText, type DrawnChart } from './chartView';
import type { ActivationFunction, RendererApi, RendererContext } from './rendererApi';
import { themeKind } from './theme';

interface Slot {
  /** Bumped on every render; an older render that finishes late discards its result. */
  generation: number;
  drawn?: DrawnChart;
  /** What was drawn last, kept to redraw when the theme changes. */
  element?: HTMLElement;
  spec?: Record<string, unknown>;
}

export interface ChartRendererApi extends RendererApi {
  /** For tests: outputs shown and Vega views alive. */
  stats(): { outputs: number; views: number };
}

function createRenderer(ctx: RendererContext): ChartRendererApi {
  const slots = new Map<string, Slot>();

  const report = (outputId: string, message: string): void => {
    const event: RendererMessage = { type: 'chartError', outputId, message };
    ctx.postMessage?.(event);
  };

  async function render(id: string, element: HTMLElement, read: () => unknown, signal?: AbortSignal): Promise<void> {
    let slot = slots.get(id);
    if (!slot) slots.set(id, (slot = { generation: 0 }));
    const generation = ++slot.generation;
    const current = (): boolean => slots.get(id) === slot && slot.generation === generation && !signal?.aborted;
    const previous = slot.drawn;
    let drawn: DrawnChart;
    try {
      const spec = asSpec(read());
      slot.spec = spec;
      slot.element = element;
      drawn = await drawChart(element, spec, themeKind(), previous !== undefined && previous.root.parentElement === element);
    } catch (error) {
      if (!current()) return;
      const message = problemText(error);
      previous?.dispose();
      slot.drawn = drawError(element, message);
      report(id, message);
      return;
    }
    if (!current()) {
      drawn.dispose();
      return;
    }
    previous?.dispose();
    drawn.reveal();
    slot.drawn = drawn;
  }

  function dispose(id: string): void {
    slots.get(id)?.drawn?.dispose();
    slots.delete(id);
  }

  // VS Code switches the body class when the colour theme changes; redraw in the new colours.
  let theme = themeKind();
  new MutationObserver(() => {
    if (themeKind() === theme) return;
    theme = themeKind();
    for (const [id, slot] of slots) {
      const { element, spec } = slot;
      if (element && spec) void render(id, element, () => spec);
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  return {
    renderOutputItem: (item, element, signal) => render(item.id, element, () => item.json(), signal),
    disposeOutputItem(id) {
      if (id !== undefined) dispose(id);
      else for (const key of [...slots.keys()]) dispose(key);
    },
    stats: () => ({ outputs: slots.size, views: liveViewCount() }),
  };
}

export const activate: ActivationFunction = (ctx) => createRenderer(ctx);
