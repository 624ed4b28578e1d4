// Pure helpers on chart data used by the kernel's plot API, the notebook renderer and the
// headless SVG export alike: finding data that would be fetched from a URL (charts draw
// offline, from inline data only) and choosing which points to keep when a chart has
// too many to draw quickly.

/** Where in a Vega-Lite spec a data source points at a URL, e.g. `layer[1].data.url`. */
export interface DataUrl {
  path: string;
  url: string;
}

/**
 * Every data source with a `url` in a Vega-Lite spec: top-level and nested `data`
 * (layer, concat, facet and repeat children), `datasets`, and lookup `from.data`.
 */
export function findDataUrls(spec: unknown): DataUrl[] {
  const found: DataUrl[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, `${path}[${i}]`));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key === 'data' || key === 'from') {
        for (const [i, source] of (Array.isArray(value) ? value : [value]).entries()) {
          const url = (source as { url?: unknown } | null)?.url;
          if (url !== undefined) {
            const where = Array.isArray(value) ? `${childPath}[${i}]` : childPath;
            found.push({ path: `${where}.url`, url: String(url) });
          }
        }
      }
      visit(value, childPath);
    }
  };
  visit(spec, '');
  return found;
}

/** The message shown when a chart would fetch data. */
export function describeDataUrls(urls: DataUrl[]): string {
  const first = urls[0];
  const more = urls.length > 1 ? ` (and ${urls.length - 1} more)` : '';
  return (
    `This chart loads data from a URL (${first.url} at ${first.path}${more}). ` +
    'dlnb charts draw offline from inline data only: put the values in the spec, ' +
    'e.g. data: { values: [...] }.'
  );
}

/** `count` indices spread evenly over `0..n-1`, always keeping the first and the last. */
export function strideIndices(n: number, count: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  if (count <= 1) return n > 0 ? [0] : [];
  const step = (n - 1) / (count - 1);
  return Array.from({ length: count }, (_, i) => Math.round(i * step));
}

/**
 * Thins a scatter to at most `max` points: the plane is cut into a grid of about `max`
 * cells (per group) and the first point in each occupied cell stands for the cell; what is
 * left of the budget goes to evenly strided points. Unlike striding alone, this keeps the
 * outline, the outliers and every cluster of the cloud.
 */
export function gridIndices(
  n: number,
  max: number,
  x: (i: number) => number,
  y: (i: number) => number,
  group: (i: number) => unknown = () => '',
): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const bounds = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
  const groups = new Set<unknown>();
  for (let i = 0; i < n; i++) {
    const xi = x(i);
    const yi = y(i);
    if (Number.isFinite(xi)) {
      bounds.x0 = Math.min(bounds.x0, xi);
      bounds.x1 = Math.max(bounds.x1, xi);
    }
    if (Number.isFinite(yi)) {
      bounds.y0 = Math.min(bounds.y0, yi);
      bounds.y1 = Math.max(bounds.y1, yi);
    }
    groups.add(group(i));
  }
  const side = Math.max(1, Math.floor(Math.sqrt(max / groups.size)));
  const cellOf = (value: number, lo: number, hi: number): number =>
    Number.isFinite(value) && hi > lo ? Math.min(side - 1, Math.floor(((value - lo) / (hi - lo)) * side)) : 0;
  const seen = new Set<string>();
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${String(group(i))}\u0000${cellOf(x(i), bounds.x0, bounds.x1)},${cellOf(y(i), bounds.y0, bounds.y1)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(i);
  }
  // Many groups can still overflow the budget: stride what the grid kept.
  if (kept.length > max) return strideIndices(kept.length, max).map((k) => kept[k]);
  // A far outlier squeezes the cloud into a few cells: spend the rest of the budget on
  // evenly strided points among those not kept, so the density still shows.
  const spare = max - kept.length;
  if (spare <= 0) return kept;
  const chosen = new Set(kept);
  const others: number[] = [];
  for (let i = 0; i < n; i++) if (!chosen.has(i)) others.push(i);
  for (const k of strideIndices(others.length, spare)) chosen.add(others[k]);
  return [...chosen].sort((a, b) => a - b);
}

/** The note under (or in) a downsampled chart. */
export function downsampleNote(shown: number, total: number): string {
  return `showing ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} points`;
}

/**
 * A Vega loader that refuses every request (data, images, links), so drawing a chart
 * never touches the network or the disk. Structurally a `vega.Loader`.
 */
export function offlineLoader() {
  const refuse = (what: string): Promise<never> => Promise.reject(new Error(`dlnb charts draw offline: refused to load ${what}`));
  return {
    load: (uri: string) => refuse(uri),
    sanitize: (uri: string) => refuse(uri),
    http: (uri: string) => refuse(uri),
    file: (filename: string) => refuse(filename),
  };
}
