// .dlnb -> .ipynb (nbformat 4.5). The notebook opens in tslab's TypeScript kernel in
// Jupyter, GitHub and nbviewer show its outputs, and charts carry an SVG rendering beside
// their Vega-Lite spec. What Jupyter has no place for (a cell's run time, dlnb's own
// metadata, fields a newer dlnb wrote) goes under a `dlnb` metadata key, so that
// ./fromIpynb.ts gives back the same notebook: a round trip is lossless, and checked
// cell by cell here rather than trusted.
import { serializeNotebook, type DlnbCell, type DlnbNotebook, type DlnbOutput } from '../shared/dlnbFormat';
import { fromIpynbCell, type CellRecord } from './fromIpynb';
import { toIpynbOutput } from './ipynbOutputs';
import { toLines, tslabMetadata, type IpynbCell, type IpynbNotebook, type IpynbOutput } from './ipynbTypes';

/** Renders a chart spec for viewers that cannot draw Vega-Lite: MIME type -> text (SVG). */
export type ChartRenderer = (spec: object) => Promise<Record<string, string> | undefined>;

export const VEGA_LITE_MIME = /^application\/vnd\.vegalite\.v\d+\+json$/;

const KNOWN_CELL_FIELDS = new Set(['kind', 'language', 'source', 'execution', 'outputs', 'metadata']);
const KNOWN_NOTEBOOK_FIELDS = new Set(['dlnb', 'metadata', 'cells']);

/**
 * `renderChart` adds drawings beside each chart's spec; a chart it cannot draw keeps its
 * spec alone, and `onChartError` hears why (cell numbers count from 1).
 */
export async function toIpynb(
  notebook: DlnbNotebook,
  renderChart?: ChartRenderer,
  onChartError?: (cell: number, error: Error) => void,
): Promise<IpynbNotebook> {
  const cells: IpynbCell[] = [];
  for (const [index, cell] of notebook.cells.entries()) {
    const render =
      renderChart && ((spec: object) => renderChart(spec).catch((error: Error) => void onChartError?.(index + 1, error)));
    cells.push(await toIpynbCell(cell, index, render));
  }
  const languages = new Set(notebook.cells.filter((c) => c.kind === 'code').map((c) => c.language ?? 'typescript'));
  const javascriptOnly = languages.size === 1 && languages.has('javascript');
  const fields = unknownFields(notebook, KNOWN_NOTEBOOK_FIELDS);
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      ...tslabMetadata(javascriptOnly ? 'javascript' : 'typescript'),
      dlnb: { format: notebook.dlnb, metadata: notebook.metadata, ...(fields ? { fields } : {}) },
    },
    cells,
  };
}

async function toIpynbCell(cell: DlnbCell, index: number, renderChart?: ChartRenderer): Promise<IpynbCell> {
  const record: CellRecord = {};
  if (cell.language !== undefined) record.language = cell.language;
  const fields = unknownFields(cell, KNOWN_CELL_FIELDS);
  if (fields) record.fields = fields;
  if (cell.metadata && Object.keys(cell.metadata).length === 0) record.emptyMetadata = true;
  const id = `cell-${index + 1}`;
  const source = toLines(cell.source);
  let jupyter: IpynbCell;
  if (cell.kind === 'code') {
    const { order, ...rest } = cell.execution ?? {};
    if (cell.execution) record.execution = rest;
    const count = typeof order === 'number' && Number.isInteger(order) && order >= 0 ? order : null;
    if (order !== undefined && count === null) record.execution = cell.execution;
    const outputs = await Promise.all(
      (cell.outputs ?? []).map((output, i, all) => toJupyterOutput(output, i === all.length - 1, count, renderChart)),
    );
    if (cell.outputs && cell.outputs.length === 0) record.emptyOutputs = true;
    jupyter = { cell_type: 'code', id, metadata: {}, source, execution_count: count, outputs };
  } else {
    if (cell.execution) record.execution = cell.execution;
    if (cell.outputs) record.outputs = cell.outputs;
    jupyter = { cell_type: 'markdown', id, metadata: {}, source };
  }
  jupyter.metadata = { ...(cell.metadata ?? {}), ...(Object.keys(record).length ? { dlnb: record } : {}) };
  // What Jupyter's form cannot say exactly (a `dlnb` key in the cell's own metadata, an
  // output item of an unusual shape) is kept whole, so that nothing is ever lost.
  const expected = serializeNotebook({ dlnb: 1, metadata: {}, cells: [cell] });
  const actual = serializeNotebook({ dlnb: 1, metadata: {}, cells: [fromIpynbCell(jupyter, { dlnbOrigin: true })] });
  if (actual !== expected) jupyter.metadata = { ...jupyter.metadata, dlnb: { ...record, cell: withoutSource(cell) } };
  return jupyter;
}

async function toJupyterOutput(
  output: DlnbOutput,
  last: boolean,
  count: number | null,
  renderChart?: ChartRenderer,
): Promise<IpynbOutput> {
  const chart = output.items.find((item) => VEGA_LITE_MIME.test(item.mime));
  const spec = chart?.data;
  const renderings = renderChart && spec && typeof spec === 'object' ? await renderChart(spec) : undefined;
  // A cell's value is its last output with a text form; charts drawn by `plot` are displays.
  const isResult = last && !chart && output.items.some((item) => item.mime === 'text/plain');
  return toIpynbOutput(output, { isResult, executionCount: count, renderings });
}

function unknownFields(value: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  const entries = Object.entries(value).filter(([key, v]) => !known.has(key) && v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function withoutSource(cell: DlnbCell): Omit<DlnbCell, 'source'> {
  const { source: _source, ...rest } = cell;
  return rest;
}
