// The notebook renderer for Vega-Lite outputs (renderer id `dlnb.vega`). One chart per
// output id: a re-render draws the new chart hidden, then swaps it in and finalizes the
// old view, so a live chart updating many times a second neither flickers nor leaks.
// Renders of one output run one at a time; while one draws, only the newest waiting
// spec is kept, so a burst of updates costs one more draw, not one per update.
import type { RendererMessage } from '../src/shared/protocol';
import { asSpec, drawChart, drawError, problemText, viewCounts, type DrawnChart } from './chartView';
import type { ActivationFunction, RendererApi, RendererContext } from './rendererApi';
import { themeKind } from './theme';

/** One render request, its spec already read (an output item need not outlive the call). */
interface Job {
  element: HTMLElement;
  spec?: Record<string, unknown>;
  error?: unknown;
  signal?: AbortSignal;
}

interface Slot {
  drawn?: DrawnChart;
  /** The newest request not yet drawn. */
  waiting?: Job;
  /** The drawing loop, while one runs. */
  running?: Promise<void>;
  /** What was drawn last, kept to redraw when the theme changes. */
  last?: Job;
}

export interface ChartRendererApi extends RendererApi {
  /** For tests: outputs shown, Vega views alive, and views created so far. */
  stats(): { outputs: number; views: number; created: number };
}

function createRenderer(ctx: RendererContext): ChartRendererApi {
  const slots = new Map<string, Slot>();

  const report = (outputId: string, message: string): void => {
    const event: RendererMessage = { type: 'chartError', outputId, message };
    ctx.postMessage?.(event);
  };

  async function draw(id: string, slot: Slot, job: Job): Promise<void> {
    const previous = slot.drawn;
    const alive = (): boolean => slots.get(id) === slot && !job.signal?.aborted;
    let drawn: DrawnChart;
    try {
      if (!job.spec) throw job.error;
      const hidden = previous !== undefined && previous.root.parentElement === job.element;
      drawn = await drawChart(job.element, job.spec, themeKind(), hidden);
    } catch (error) {
      if (!alive()) return;
      const message = problemText(error);
      previous?.dispose();
      slot.drawn = drawError(job.element, message);
      report(id, message);
      return;
    }
    if (!alive()) {
      drawn.dispose();
      return;
    }
    previous?.dispose();
    drawn.reveal();
    slot.drawn = drawn;
    slot.last = job;
  }

  function render(id: string, element: HTMLElement, read: () => unknown, signal?: AbortSignal): Promise<void> {
    let slot = slots.get(id);
    if (!slot) slots.set(id, (slot = {}));
    const job: Job = { element, signal };
    try {
      job.spec = asSpec(read());
    } catch (error) {
      job.error = error;
    }
    slot.waiting = job;
    const owner = slot;
    slot.running ??= (async () => {
      while (owner.waiting) {
        const next = owner.waiting;
        owner.waiting = undefined;
        await draw(id, owner, next);
      }
      owner.running = undefined;
    })();
    return slot.running;
  }

  function dispose(id: string): void {
    const slot = slots.get(id);
    slots.delete(id);
    if (!slot) return;
    slot.waiting = undefined;
    slot.drawn?.dispose();
  }

  // VS Code switches the body class when the colour theme changes; redraw in the new colours.
  let theme = themeKind();
  new MutationObserver(() => {
    if (themeKind() === theme) return;
    theme = themeKind();
    for (const [id, slot] of slots) {
      const last = slot.last;
      if (last?.spec) void render(id, last.element, () => last.spec);
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  return {
    renderOutputItem: (item, element, signal) => render(item.id, element, () => item.json(), signal),
    disposeOutputItem(id) {
      if (id !== undefined) dispose(id);
      else for (const key of [...slots.keys()]) dispose(key);
    },
    stats: () => {
      const { live, created } = viewCounts();
      return { outputs: slots.size, views: live, created };
    },
  };
}

export const activate: ActivationFunction = (ctx) => createRenderer(ctx);
