// Draws a `ModelSummary` (see the shared protocol) as learners know it from Keras's
// summary() and torchsummary: one row per layer with its type, output shape and parameter
// count, nested layers indented, then the totals, trainable and not.
import type { ModelSummary } from '../../src/shared/protocol';
import { count, parameterLine } from '../../src/shared/modelSummaryText';

function cell(tag: 'th' | 'td', text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

export function renderModel(summary: ModelSummary, into: HTMLElement): void {
  const root = document.createElement('div');
  root.className = 'dlnb-value dlnb-model';
  const head = document.createElement('div');
  head.className = 'dlnb-head';
  head.textContent = summary.title;
  const table = document.createElement('table');
  const headRow = document.createElement('tr');
  headRow.append(
    cell('th', 'Layer', 'dlnb-text-left'),
    cell('th', 'Type', 'dlnb-text-left'),
    cell('th', 'Output shape', 'dlnb-text-left'),
    cell('th', 'Params'),
  );
  const thead = document.createElement('thead');
  thead.appendChild(headRow);
  const tbody = document.createElement('tbody');
  for (const layer of summary.layers) {
    const tr = document.createElement('tr');
    const name = cell('td', layer.name, 'dlnb-text-left');
    name.style.paddingLeft = `${8 + 16 * Math.max(0, layer.depth - 1)}px`;
    const params = cell('td', count(layer.params));
    if (layer.params > 0 && layer.trainable < layer.params)
      params.title = `${count(layer.params - layer.trainable)} not trainable`;
    tr.append(name, cell('td', layer.type, 'dlnb-text-left'), cell('td', layer.outputShape, 'dlnb-text-left'), params);
    tbody.appendChild(tr);
  }
  if (summary.cut) {
    const tr = document.createElement('tr');
    const more = cell('td', 'more layers not listed', 'dlnb-gap');
    more.setAttribute('colspan', '4');
    tr.appendChild(more);
    tbody.appendChild(tr);
  }
  table.append(thead, tbody);
  table.className = 'dlnb-model-table';
  const totals = document.createElement('div');
  totals.className = 'dlnb-sub dlnb-totals';
  totals.textContent = parameterLine(summary);
  root.append(head, table, totals);
  into.replaceChildren(root);
}
