// Draws one Vega-Lite chart (or a readable error box) into an output element. Offline
// (a spec with data URLs is refused, and the loader refuses every request), CSP-safe
// (expressions are interpreted, never compiled with `new Function`), themed, and
// downsampled above the point budget with a note under the chart.
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { Error as ERROR_LEVEL, type Loader } from 'vega';
import { describeDataUrls, downsampleNote, findDataUrls, offlineLoader } from '../src/shared/chartData';
import { downsampleSpec, maxPointsOf } from './downsample';
import { addExportMenu, reserveMenuGutter } from './exportMenu';
import { isDark, specSetsTheme, themeConfig, type ThemeKind } from './theme';

/**
 * Charts with more marks than this draw on a canvas: SVG makes one DOM node per point,
 * which gets slow to build and to hit-test past a few thousand points, while a canvas
 * costs one element whatever the count. Smaller charts stay SVG for crisp text.
 */
export const SVG_MAX_MARKS = 1000;

/** A problem with the spec itself, shown to the user as is. */
export class ChartProblem extends Error {}

/** What one render left in the element; `dispose` removes it and finalizes the view. */
export interface DrawnChart {
  readonly root: HTMLElement;
  readonly result?: Result;
  /** Shows a chart drawn hidden (so the previous one stayed in place meanwhile). */
  reveal(): void;
  dispose(): void;
}

/** Views created, and those not yet finalized, for tests. */
let createdViews = 0;
let liveViews = 0;
export const viewCounts = (): { created: number; live: number } => ({ created: createdViews, live: liveViews });

function newRoot(host: HTMLElement, hidden: boolean): HTMLElement {
  const root = document.createElement('div');
  root.className = 'dlnb-chart';
  root.style.width = '100%';
  root.style.position = 'relative';
  if (hidden) {
    // Zero height keeps the page from jumping; the width (what 'container' sizing reads) is real.
    root.style.height = '0';
    root.style.overflow = 'hidden';
  }
  host.appendChild(root);
  return root;
}

function revealRoot(root: HTMLElement): void {
  root.style.removeProperty('height');
  root.style.removeProperty('overflow');
}

/** A spec is a JSON object; anything else is refused with a message. */
export function asSpec(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ChartProblem(`A chart spec must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}.`);
  }
  return value as Record<string, unknown>;
}

/** Leaves out `usermeta.embedOptions`, through which a spec could re-enable network actions. */
function withoutEmbedOptions(spec: Record<string, unknown>): Record<string, unknown> {
  const usermeta = spec.usermeta as Record<string, unknown> | undefined;
  if (!usermeta || !('embedOptions' in usermeta)) return spec;
  const { embedOptions: _dropped, ...rest } = usermeta;
  return { ...spec, usermeta: rest };
}

export async function drawChart(
  host: HTMLElement,
  spec: Record<string, unknown>,
  theme: ThemeKind,
  hidden: boolean,
): Promise<DrawnChart> {
  const urls = findDataUrls(spec);
  if (urls.length) throw new ChartProblem(describeDataUrls(urls));
  const sampled = downsampleSpec(withoutEmbedOptions(spec), maxPointsOf(spec));
  const root = newRoot(host, hidden);
  reserveMenuGutter(root);
  const target = document.createElement('div');
  target.style.width = '100%';
  root.appendChild(target);
  const canvas = sampled.shown > SVG_MAX_MARKS;
  // A canvas has no element per mark to describe, so skip building an ARIA label for each
  // point: number formatting for thousands of labels is a large part of the drawing time.
  const config = { ...(specSetsTheme(spec) ? {} : themeConfig(theme)), ...(canvas ? { aria: false } : {}) };
  let result: Result | undefined;
  try {
    result = await embed(target, sampled.spec as never, {
      mode: 'vega-lite',
      renderer: canvas ? 'canvas' : 'svg',
      // Our own export menu (exportMenu.ts) replaces vega-embed's, which leaked per redraw.
      actions: false,
      ast: true,
      expr: expressionInterpreter,
      loader: offlineLoader() as unknown as Loader,
      tooltip: { theme: isDark(theme) ? 'dark' : 'light' },
      config,
      // Errors only: every dlnb spec names Vega-Lite v5 (which v6 draws) and would warn.
      logLevel: ERROR_LEVEL,
    });
  } catch (error) {
    root.remove();
    throw error;
  }
  createdViews++;
  liveViews++;
  addExportMenu(root, result.view, 'chart');
  if (sampled.shown < sampled.total) {
    const note = document.createElement('div');
    note.className = 'dlnb-chart-note';
    note.textContent = downsampleNote(sampled.shown, sampled.total);
    note.style.opacity = '0.7';
    note.style.fontSize = '0.9em';
    note.style.padding = '2px 0 0 4px';
    root.appendChild(note);
  }
  let disposed = false;
  return {
    root,
    result,
    reveal: () => revealRoot(root),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      result?.finalize();
      liveViews--;
      root.remove();
    },
  };
}

/** A readable error box in place of the chart: never a blank output. */
export function drawError(host: HTMLElement, message: string): DrawnChart {
  const root = newRoot(host, false);
  root.classList.add('dlnb-chart-error');
  root.setAttribute('role', 'alert');
  Object.assign(root.style, {
    boxSizing: 'border-box',
    padding: '8px 12px',
    borderLeft: '3px solid var(--vscode-editorError-foreground, #e51400)',
    background: 'var(--vscode-inputValidation-errorBackground, rgba(229, 20, 0, 0.08))',
    color: 'var(--vscode-editor-foreground, inherit)',
    fontFamily: 'var(--vscode-font-family, sans-serif)',
    whiteSpace: 'pre-wrap',
  });
  const heading = document.createElement('strong');
  heading.textContent = 'Could not draw this chart';
  const body = document.createElement('div');
  body.textContent = message;
  root.append(heading, body);
  return { root, reveal: () => undefined, dispose: () => root.remove() };
}

/** The user-facing text of a failure, whatever was thrown. */
export function problemText(error: unknown): string {
  if (error instanceof ChartProblem) return error.message;
  if (error instanceof SyntaxError) return `The chart spec is not valid JSON: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `Vega-Lite could not compile the spec: ${message}`;
}
