// The loss-curve webview of the side panel: draws the spec the host sends, offline (no
// network, expressions interpreted rather than compiled, so the CSP forbids eval), in the
// editor's theme; new points of a growing run update the data in place, without a redraw.
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { LossChartMessage, LossChartUpdate } from '../../src/shared/protocol';
import { isDark, themeConfig, themeKind } from '../theme';

declare function acquireVsCodeApi(): { postMessage(message: LossChartMessage): void };

/** Above this many points the canvas renderer keeps drawing and hovering quick. */
const SVG_MAX_POINTS = 2000;

interface Drawn {
  specText: string;
  theme: string;
  result: Result;
}

const vscode = acquireVsCodeApi();
const host = document.getElementById('chart') as HTMLElement;
let drawn: Drawn | undefined;
let latest: LossChartUpdate | undefined;
let queue: Promise<void> = Promise.resolve();

async function draw(update: LossChartUpdate): Promise<void> {
  const theme = themeKind();
  const specText = JSON.stringify(update.spec);
  if (drawn && drawn.specText === specText && drawn.theme === theme) {
    await drawn.result.view.data(update.dataName, update.values).runAsync();
    return;
  }
  drawn?.result.finalize();
  drawn = undefined;
  host.replaceChildren();
  const result = await embed(host, update.spec as never, {
    mode: 'vega-lite',
    renderer: update.values.length > SVG_MAX_POINTS ? 'canvas' : 'svg',
    actions: { export: { svg: true, png: true }, source: false, compiled: false, editor: false },
    ast: true,
    expr: expressionInterpreter,
    config: themeConfig(theme),
    tooltip: { theme: isDark(theme) ? 'dark' : 'light' },
    downloadFileName: 'loss-curve',
  });
  await result.view.data(update.dataName, update.values).runAsync();
  drawn = { specText, theme, result };
}

/** Draws one update after another, so a slow first embed is not raced by the next. */
function enqueue(update: LossChartUpdate): void {
  latest = update;
  queue = queue
    .then(() => (latest === update ? draw(update) : undefined))
    .catch((error: unknown) => {
      host.textContent = `The loss curve could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
      vscode.postMessage({ type: 'error', message: String(error) });
    });
}

window.addEventListener('message', (event: MessageEvent<LossChartUpdate>) => {
  if (event.data?.type === 'curve') enqueue(event.data);
});

// VS Code switches the body's theme class when the user changes theme: redraw in the new one.
new MutationObserver(() => {
  if (latest && drawn && drawn.theme !== themeKind()) enqueue(latest);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

vscode.postMessage({ type: 'ready' });
