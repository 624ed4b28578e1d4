// Draws a `TensorView` (see the shared protocol): a header with dtype, shape and
// statistics; a table of values for a 1-D or 2-D tensor (head and tail of long axes, with
// an ellipsis where values are left out, as NumPy and PyTorch print); a heatmap of a 2-D
// tensor; the picture of an [H,W,1|3|4] tensor. Plain DOM and canvas: nothing to load.
import type { TensorView } from '../../src/shared/protocol';
import { formatCount, formatValue } from './numbers';

export function renderTensor(view: TensorView, into: HTMLElement): void {
  const root = document.createElement('div');
  root.className = 'dlnb-value dlnb-tensor';
  const head = document.createElement('div');
  head.className = 'dlnb-head';
  head.textContent = `Tensor ${view.dtype} [${view.shape.join(', ')}]` + (view.disposed ? ' (disposed)' : '');
  root.appendChild(head);
  const sub = document.createElement('div');
  sub.className = 'dlnb-sub';
  sub.textContent = statsLine(view);
  root.appendChild(sub);
  const parts = document.createElement('div');
  parts.className = 'dlnb-parts';
  if (view.table) parts.appendChild(table(view));
  if (view.heatmap) parts.appendChild(heatmap(view));
  if (view.image) parts.appendChild(picture(view.image));
  if (parts.childElementCount) root.appendChild(parts);
  into.replaceChildren(root);
}

function statsLine(view: TensorView): string {
  const parts = [`${formatCount(view.size)} ${view.size === 1 ? 'value' : 'values'}`];
  const stats = view.stats;
  if (stats) {
    for (const key of ['min', 'max', 'mean', 'std'] as const) parts.push(`${key} ${formatValue(stats[key], 'float32')}`);
    if (stats.nonFinite) parts.push(`${formatCount(stats.nonFinite)} NaN or infinite`);
  }
  return parts.join(' · ');
}

/** Cells for `indexes`, with one ellipsis cell where consecutive indexes jump. */
function withGaps<T>(indexes: number[], cell: (index: number, at: number) => T, gap: () => T): T[] {
  const cells: T[] = [];
  indexes.forEach((index, at) => {
    if (at > 0 && index !== indexes[at - 1] + 1) cells.push(gap());
    cells.push(cell(index, at));
  });
  return cells;
}

function element(tag: string, text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function table(view: TensorView): HTMLElement {
  const { rows, cols, values } = view.table!;
  const text = view.dtype === 'string';
  const tableEl = document.createElement('table');
  const headRow = document.createElement('tr');
  headRow.append(
    element('th', ''),
    ...withGaps(
      cols,
      (c) => element('th', String(c)),
      () => element('th', '…', 'dlnb-gap'),
    ),
  );
  const thead = document.createElement('thead');
  thead.appendChild(headRow);
  const tbody = document.createElement('tbody');
  const rowIndexes = rows ?? [0];
  const bodyRows = withGaps(
    rowIndexes,
    (r, at) => {
      const tr = document.createElement('tr');
      const label = element('th', rows ? String(r) : '');
      const cells = withGaps(
        cols,
        (_c, colAt) => element('td', formatValue(values[at][colAt], view.dtype), text ? 'dlnb-text-left' : undefined),
        () => element('td', '…', 'dlnb-gap'),
      );
      tr.append(label, ...cells);
      return tr;
    },
    () => {
      const tr = document.createElement('tr');
      tr.append(
        element('th', '⋮', 'dlnb-gap'),
        ...withGaps(
          cols,
          () => element('td', '⋮', 'dlnb-gap'),
          () => element('td', '⋱', 'dlnb-gap'),
        ),
      );
      return tr;
    },
  );
  tbody.append(...bodyRows);
  tableEl.append(thead, tbody);
  tableEl.className = 'dlnb-tensor-table';
  return tableEl;
}

/** A perceptual colour scale (viridis, five stops), the usual choice for heatmaps. */
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  return [0, 1, 2].map((k) => Math.round(VIRIDIS[i][k] + (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) * f)) as [number, number, number];
}

function heatmap(view: TensorView): HTMLElement {
  const { rows, cols, rowStep, colStep, values } = view.heatmap!;
  const finite = values.filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  canvas.className = 'dlnb-heatmap';
  const context = canvas.getContext('2d');
  if (context) {
    const pixels = context.createImageData(cols, rows);
    values.forEach((v, i) => {
      const [r, g, b] = viridis((v - min) / span);
      pixels.data.set([r, g, b, Number.isFinite(v) ? 255 : 0], i * 4);
    });
    context.putImageData(pixels, 0, 0);
  }
  // Cells 4 to 24 px, the whole at most 320 px a side, in the tensor's proportions.
  const cell = Math.max(4, Math.min(24, 320 / cols, 320 / rows));
  canvas.style.width = `${Math.round(cols * cell)}px`;
  canvas.style.height = `${Math.round(rows * cell)}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `heatmap of the tensor's values, ${formatValue(min, 'float32')} to ${formatValue(max, 'float32')}`,
  );
  const every = [rowStep > 1 ? `${ordinal(rowStep)} row` : '', colStep > 1 ? `${ordinal(colStep)} column` : ''].filter(Boolean);
  const sampled = every.length ? ` · every ${every.join(' and ')}` : '';
  return figure(canvas, scaleCaption(min, max, sampled));
}

function scaleCaption(min: number, max: number, extra: string): HTMLElement {
  const caption = document.createElement('figcaption');
  caption.className = 'dlnb-scale';
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.style.background = `linear-gradient(to right, ${VIRIDIS.map((c) => `rgb(${c.join(',')})`).join(', ')})`;
  caption.append(formatValue(min, 'float32'), bar, `${formatValue(max, 'float32')}${extra}`);
  return caption;
}

/** 2 -> "2nd", 3 -> "3rd", 11 -> "11th". */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function figure(content: HTMLElement, caption: HTMLElement): HTMLElement {
  const fig = document.createElement('figure');
  fig.append(content, caption);
  return fig;
}

function picture(image: NonNullable<TensorView['image']>): HTMLElement {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.className = 'dlnb-image';
  const bytes = Uint8ClampedArray.from(atob(image.rgba), (ch) => ch.charCodeAt(0));
  canvas.getContext('2d')?.putImageData(new ImageData(bytes, image.width, image.height), 0, 0);
  // Small images (MNIST's 28x28) are enlarged with sharp pixels; large ones fit 320 px.
  const zoom = Math.min(Math.max(1, Math.floor(160 / Math.max(image.width, image.height))), 8);
  const fit = Math.min(zoom, 320 / Math.max(image.width, image.height));
  canvas.style.width = `${Math.round(image.width * fit)}px`;
  canvas.style.height = `${Math.round(image.height * fit)}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'the tensor as an image');
  const caption = element('figcaption', `image, ${image.scale}${image.step > 1 ? `, every ${ordinal(image.step)} pixel` : ''}`);
  return figure(canvas, caption);
}
