// .ipynb -> .dlnb. A notebook dlnb exported comes back exactly as it was (./toIpynb.ts
// keeps what Jupyter has no place for under `dlnb` metadata keys). A notebook from
// elsewhere keeps its text: TypeScript and JavaScript code cells (tslab, Deno, Polyglot
// Notebooks) become runnable cells with their outputs; code in other languages (a PyTorch
// lesson's Python) and raw cells become markdown with the code fenced in its language, so
// the lesson is all there to port; images attached to markdown become data URIs.
// Files are checked first: a bad or partial file is a ConvertError naming the field.
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../shared/mimeKinds';
import { FORMAT_VERSION, type DlnbCell, type DlnbExecution, type DlnbNotebook, type DlnbOutput } from '../shared/dlnbFormat';
import { fromIpynbOutput } from './ipynbOutputs';
import { ConvertError, isRecord, joinLines, type IpynbCell } from './ipynbTypes';
import { checkIpynb } from './ipynbCheck';
import { fenced } from './markdownText';

/** What toIpynb keeps in a cell's `metadata.dlnb`. */
export interface CellRecord {
  language?: string;
  execution?: DlnbExecution;
  fields?: Record<string, unknown>;
  outputs?: DlnbOutput[];
  emptyMetadata?: boolean;
  emptyOutputs?: boolean;
  /** The whole cell but its source, when Jupyter's form could not carry it exactly. */
  cell?: Omit<DlnbCell, 'source'>;
}

interface CellContext {
  /** The file was written by dlnb: missing records mean defaults, not another language. */
  dlnbOrigin: boolean;
  /** The notebook's code language, for cells that do not name their own. */
  language?: string;
}

const RUNNABLE = new Map([
  ['typescript', 'typescript'],
  ['ts', 'typescript'],
  ['javascript', 'javascript'],
  ['js', 'javascript'],
]);

/** Parses .ipynb text (nbformat 3 or 4) into a dlnb notebook, or throws a ConvertError. */
export function fromIpynbText(text: string): DlnbNotebook {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? body.length);
    const before = body.slice(0, position).split('\n');
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '');
    throw new ConvertError(
      `not a Jupyter notebook: the file is not valid JSON at line ${before.length}, column ${before[before.length - 1].length + 1} (${reason}; is it cut short?)`,
    );
  }
  return fromIpynb(json);
}

export function fromIpynb(json: unknown): DlnbNotebook {
  const notebook = checkIpynb(json);
  const metadata = notebook.metadata;
  const record = isRecord(metadata.dlnb) ? metadata.dlnb : undefined;
  const context: CellContext = { dlnbOrigin: record !== undefined, language: notebookLanguage(metadata) };
  const cells = notebook.cells.map((cell) => fromIpynbCell(cell, context));
  const dlnbMetadata = record && isRecord(record.metadata) ? record.metadata : {};
  const fields = record && isRecord(record.fields) ? record.fields : {};
  return { ...fields, dlnb: FORMAT_VERSION, metadata: dlnbMetadata, cells };
}

function notebookLanguage(metadata: Record<string, unknown>): string | undefined {
  const kernelspec = isRecord(metadata.kernelspec) ? metadata.kernelspec : {};
  const info = isRecord(metadata.language_info) ? metadata.language_info : {};
  const language = kernelspec.language ?? info.name ?? metadata.language;
  return typeof language === 'string' ? language.toLowerCase() : undefined;
}

/** A cell's own language: VS Code's and Polyglot Notebooks' cell metadata, else the notebook's. */
function cellLanguage(metadata: Record<string, unknown>, notebookDefault: string | undefined): string | undefined {
  const vscode = isRecord(metadata.vscode) ? metadata.vscode.languageId : undefined;
  const polyglot = isRecord(metadata.polyglot_notebook) ? metadata.polyglot_notebook.kernelName : undefined;
  const dotnet = isRecord(metadata.dotnet_interactive) ? metadata.dotnet_interactive.language : undefined;
  const language = polyglot ?? dotnet ?? vscode ?? notebookDefault;
  return typeof language === 'string' ? language.toLowerCase() : undefined;
}

export function fromIpynbCell(jupyter: IpynbCell, context: CellContext): DlnbCell {
  const { dlnb: recordValue, ...ownMetadata } = jupyter.metadata ?? {};
  const record: CellRecord = context.dlnbOrigin && isRecord(recordValue) ? (recordValue as CellRecord) : {};
  if (!context.dlnbOrigin && recordValue !== undefined) ownMetadata.dlnb = recordValue;
  const source = joinLines(jupyter.source);
  if (record.cell) return { ...record.cell, source } as DlnbCell;

  const cell: DlnbCell =
    jupyter.cell_type === 'code'
      ? codeCell(jupyter, source, record, context)
      : { kind: 'markdown', source: jupyter.cell_type === 'raw' ? rawText(jupyter, source) : withAttachments(jupyter, source) };
  if (jupyter.cell_type === 'markdown' || jupyter.cell_type === 'raw') {
    if (record.language !== undefined) cell.language = record.language;
    if (record.execution) cell.execution = record.execution;
    if (record.outputs) cell.outputs = record.outputs;
  }
  if (Object.keys(ownMetadata).length || record.emptyMetadata) cell.metadata = ownMetadata;
  return { ...cell, ...(record.fields ?? {}) };
}

function codeCell(jupyter: IpynbCell, source: string, record: CellRecord, context: CellContext): DlnbCell {
  const cell: DlnbCell = { kind: 'code', source };
  if (context.dlnbOrigin) {
    // A dlnb cell stays what it was, whatever its language.
    if (record.language !== undefined) cell.language = record.language;
  } else {
    const language = cellLanguage(jupyter.metadata ?? {}, context.language);
    const runnable = language !== undefined ? RUNNABLE.get(language) : undefined;
    if (!runnable) return { kind: 'markdown', source: foreignCode(source, language, jupyter.outputs ?? []) };
    if (runnable !== 'typescript') cell.language = runnable;
  }
  const count = typeof jupyter.execution_count === 'number' ? jupyter.execution_count : undefined;
  if (record.execution) cell.execution = count === undefined ? record.execution : { order: count, ...record.execution };
  else if (count !== undefined) cell.execution = { order: count };
  const outputs = (jupyter.outputs ?? []).flatMap((output) => fromIpynbOutput(output) ?? []);
  if (outputs.length || record.emptyOutputs) cell.outputs = outputs;
  return cell;
}

/** Code to port: fenced in its language, with its text outputs after it for reference. */
function foreignCode(source: string, language: string | undefined, outputs: unknown[]): string {
  const parts = [fenced(source, language ?? '')];
  for (const output of outputs) {
    const converted = isRecord(output) ? fromIpynbOutput(output) : undefined;
    for (const item of converted?.items ?? []) {
      if (item.mime === STDOUT_MIME || item.mime === STDERR_MIME || item.mime === 'text/plain') {
        parts.push(fenced(String(item.data).replace(/\n$/, ''), 'text'));
        break;
      }
      if (item.mime === ERROR_MIME && isRecord(item.data)) {
        parts.push(fenced(`${String(item.data.name)}: ${String(item.data.message)}`, 'text'));
        break;
      }
      if (item.mime === 'image/png' || item.mime === 'image/jpeg') {
        parts.push(`![output](data:${item.mime};base64,${String(item.data)})`);
        break;
      }
    }
  }
  return parts.join('\n\n');
}

/** Raw cells (LaTeX, reStructuredText for nbconvert) have no dlnb kind: kept as fenced text. */
function rawText(jupyter: IpynbCell, source: string): string {
  const format = isRecord(jupyter.metadata) ? (jupyter.metadata.format ?? jupyter.metadata.raw_mimetype) : undefined;
  const language = typeof format === 'string' ? (format.split('/').pop() ?? '') : '';
  return fenced(source, language);
}

/** `![x](attachment:name.png)` -> the image inline, as a data URI. */
function withAttachments(jupyter: IpynbCell, source: string): string {
  const attachments = jupyter.attachments;
  if (!isRecord(attachments)) return source;
  return source.replace(/attachment:([^\s)"'>]+)/g, (whole, name: string) => {
    const bundle = attachments[decodeURIComponent(name)];
    if (!isRecord(bundle)) return whole;
    const [mime, data] = Object.entries(bundle)[0] ?? [];
    if (!mime) return whole;
    const base64 =
      mime === 'image/svg+xml' && typeof data === 'string' && data.trimStart().startsWith('<')
        ? Buffer.from(joinLines(data)).toString('base64')
        : joinLines(data).replace(/\s+/g, '');
    return `data:${mime};base64,${base64}`;
  });
}
