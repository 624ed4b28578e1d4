// Keeps a chart quick to draw: when its inline data holds more points than the budget,
// scatters are thinned on a grid (one point per occupied cell, so outliers and clusters
// stay) and everything else is evenly strided. The spec given is never mutated.
// Shared: the kernel thins `plot.vega` specs before they leave it (so saved notebooks and
// exported SVGs stay small, as with every other plot), and the renderer thins specs it did
// not build (a notebook saved by an older version, or with a larger budget).
import { downsampleNote, gridIndices, strideIndices } from './chartData';

export interface Downsampled {
  spec: Record<string, unknown>;
  /** Points in the inline data given. */
  total: number;
  /** Points kept. */
  shown: number;
}

type Node = Record<string, unknown>;
type Row = Record<string, unknown>;

/** One inline data array and how to replace it in the copied spec. */
interface InlineData {
  values: unknown[];
  /** The unit (or layer parent) that draws this data, to tell scatters from lines. */
  owner?: Node;
  replace(values: unknown[]): void;
}

const POINT_MARKS = new Set(['point', 'circle', 'square']);

function markType(node: Node): string | undefined {
  const mark = node.mark;
  if (typeof mark === 'string') return mark;
  if (mark && typeof mark === 'object') return (mark as { type?: string }).type;
  return undefined;
}

function field(node: Node, channel: string): string | undefined {
  const encoding = node.encoding as Record<string, { field?: unknown }> | undefined;
  const name = encoding?.[channel]?.field;
  return typeof name === 'string' ? name : undefined;
}

/** The x, y and colour fields of a scatter drawing `owner`'s data, if it is one. */
function scatterFields(owner: Node | undefined): { x: string; y: string; color?: string } | undefined {
  if (!owner) return undefined;
  const candidates = [owner, ...((owner.layer as Node[] | undefined) ?? [])];
  for (const unit of candidates) {
    const type = markType(unit);
    if (!type) continue;
    const x = field(unit, 'x') ?? field(owner, 'x');
    const y = field(unit, 'y') ?? field(owner, 'y');
    if (!POINT_MARKS.has(type) || !x || !y) return undefined;
    return { x, y, color: field(unit, 'color') ?? field(owner, 'color') };
  }
  return undefined;
}

/** Copies the spec's containers and lists every inline `values` array in it. */
function copyAndCollect(spec: unknown): { copy: Node; sources: InlineData[] } {
  const sources: InlineData[] = [];
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (!value || typeof value !== 'object') return value;
    const node: Node = { ...(value as Node) };
    for (const [key, child] of Object.entries(node)) {
      if (key === 'data' && child && typeof child === 'object' && Array.isArray((child as Node).values)) {
        const data: Node = { ...(child as Node) };
        node.data = data;
        sources.push({ values: data.values as unknown[], owner: node, replace: (v) => (data.values = v) });
      } else if (key === 'datasets' && child && typeof child === 'object') {
        const datasets: Node = { ...(child as Node) };
        node.datasets = datasets;
        for (const [name, rows] of Object.entries(datasets)) {
          if (Array.isArray(rows)) sources.push({ values: rows, replace: (v) => (datasets[name] = v) });
        }
      } else if (key !== 'values') {
        node[key] = copy(child);
      }
    }
    return node;
  };
  return { copy: copy(spec) as Node, sources };
}

function thin(source: InlineData, budget: number): unknown[] {
  const { values } = source;
  const fields = scatterFields(source.owner);
  const rows = values as Row[];
  const numeric = fields && rows.every((r) => r && typeof r === 'object');
  const indices = numeric
    ? gridIndices(
        rows.length,
        budget,
        (i) => Number(rows[i][fields.x]),
        (i) => Number(rows[i][fields.y]),
        fields.color ? (i) => rows[i][fields.color as string] : undefined,
      )
    : strideIndices(values.length, budget);
  return indices.map((i) => values[i]);
}

/** Downsamples the spec's inline data to about `maxPoints` rows in all. */
export function downsampleSpec(spec: Record<string, unknown>, maxPoints: number): Downsampled {
  const { copy, sources } = copyAndCollect(spec);
  const total = sources.reduce((sum, s) => sum + s.values.length, 0);
  if (total <= maxPoints) return { spec, total, shown: total };
  let shown = 0;
  for (const source of sources) {
    const budget = Math.max(Math.min(2, source.values.length), Math.floor((maxPoints * source.values.length) / total));
    const kept = source.values.length > budget ? thin(source, budget) : source.values;
    source.replace(kept);
    shown += kept.length;
  }
  return { spec: copy, total, shown };
}

/** The point budget: the spec's `usermeta.dlnb.maxPoints`, else the default. */
export function maxPointsOf(spec: Record<string, unknown>, fallback = 5000): number {
  const value = (spec.usermeta as { dlnb?: { maxPoints?: unknown } } | undefined)?.dlnb?.maxPoints;
  return typeof value === 'number' && value >= 2 ? value : fallback;
}

/**
 * The spec with the downsampling note in its title, where dlnb's own plots show it: as the
 * subtitle of a title, or as a small title of its own on an untitled chart.
 */
export function withDownsampleNote(spec: Record<string, unknown>, shown: number, total: number): Record<string, unknown> {
  const note = downsampleNote(shown, total);
  const title = spec.title;
  if (title === undefined || title === '') return { ...spec, title: { text: note, fontSize: 11, fontWeight: 'normal' } };
  if (typeof title === 'string' || Array.isArray(title)) return { ...spec, title: { text: title, subtitle: note } };
  if (typeof title === 'object' && title !== null) {
    const given = title as Record<string, unknown>;
    const subtitle =
      given.subtitle === undefined ? note : [...(Array.isArray(given.subtitle) ? given.subtitle : [given.subtitle]), note];
    return { ...spec, title: { ...given, subtitle } };
  }
  return spec;
}
