// Charts outside VS Code: `dlnb run --charts` and the exporters (.ipynb, HTML, Markdown)
// draw each chart as SVG, headless in Node by Vega itself (renderer 'none' plus toSVG
// needs no canvas; for PNG, see ./chartPng.ts).
// Like the notebook renderer, it draws offline: data URLs are refused, nothing is fetched.
//
// Vega 6 and Vega-Lite 6 are ESM-only, and vega-canvas's Node build awaits at top level
// (to try the optional `canvas` package). So they load with `import()` (which works from
// CommonJS, as under tsx), and the CLI bundle aliases vega-canvas to its browser build
// (esbuild.mjs): headless SVG needs no canvas.
import type { Loader } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { describeDataUrls, findDataUrls, offlineLoader } from '../shared/chartData';

/** Sizes used for `'container'`, which has no meaning without an editor around the chart. */
export const HEADLESS_WIDTH = 640;
export const HEADLESS_HEIGHT = 360;

/** The mark types Vega-Lite 5 and 6 draw: a spec naming another fails inside the compiler. */
const MARK_TYPES = [
  'arc',
  'area',
  'bar',
  'boxplot',
  'circle',
  'errorband',
  'errorbar',
  'geoshape',
  'image',
  'line',
  'point',
  'rect',
  'rule',
  'square',
  'text',
  'tick',
  'trail',
];

/**
 * A copy of the spec with every `width`/`height: 'container'` replaced by a fixed size, and
 * without links (`href` encodings and mark properties): a file has nowhere to follow them
 * to, and Vega's SVG writer fails in a stray promise on a link the offline loader refuses.
 */
export function withFixedSize(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(withFixedSize);
  if (typeof spec !== 'object' || spec === null) return spec;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'href') continue;
    if (key === 'values' || key === 'datasets') copy[key] = value;
    else if (key === 'width' && value === 'container') copy[key] = HEADLESS_WIDTH;
    else if (key === 'height' && value === 'container') copy[key] = HEADLESS_HEIGHT;
    else copy[key] = withFixedSize(value);
  }
  return copy;
}

/** Renders a Vega-Lite spec to SVG markup. */
export async function chartToSvg(spec: object): Promise<string> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new TypeError('chart export: a chart spec must be a Vega-Lite spec object');
  }
  const urls = findDataUrls(spec);
  if (urls.length) throw new Error(`chart export: ${describeDataUrls(urls)}`);
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const unknownMark = findUnknownMark(spec);
  if (unknownMark !== undefined) {
    throw new Error(
      `not a valid Vega-Lite spec: unknown mark type ${JSON.stringify(unknownMark).replace(/"/g, "'")} (expected one of ${MARK_TYPES.join(', ')})`,
    );
  }
  let compiled;
  try {
    // Errors only: a warning about a spec that still draws is noise on the command line.
    compiled = vegaLite.compile(withFixedSize(spec) as TopLevelSpec, { logger: vega.logger(vega.Error) }).spec;
  } catch (error) {
    throw new Error(`not a valid Vega-Lite spec: ${(error as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    loader: offlineLoader() as unknown as Loader,
    logLevel: vega.Error,
  });
  try {
    return checkedSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Exported SVG is pasted into HTML pages others open, so what Vega wrote is checked rather
 * than trusted: Vega escapes text, and links (`href` encodings) are dropped here, since a
 * chart in a page must not navigate anywhere.
 */
export function checkedSvg(svg: string): string {
  const withoutLinks = svg
    .replace(/<a\b[^>]*>/g, '')
    .replace(/<\/a>/g, '')
    .replace(/\s(?:xlink:)?href="[^"]*"/g, '');
  if (/<(script|foreignObject|iframe)\b|\son\w+\s*=/i.test(withoutLinks)) {
    throw new Error('chart export: the drawn chart holds markup that is not allowed in a chart');
  }
  return withoutLinks;
}

/** The first `mark` (of the spec or a layer, concat or facet child) that is not a Vega-Lite mark. */
function findUnknownMark(spec: unknown): unknown {
  if (Array.isArray(spec)) {
    for (const child of spec) {
      const found = findUnknownMark(child);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof spec !== 'object' || spec === null) return undefined;
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'data' || key === 'datasets' || key === 'config') continue;
    if (key === 'mark') {
      const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : value;
      if (typeof type !== 'string' || !MARK_TYPES.includes(type)) return type;
      continue;
    }
    const found = findUnknownMark(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
