// One cell output in both forms: a .dlnb output (a list of MIME items, docs/format.md) and a
// Jupyter output (stream, error, display_data or execute_result). Text written by the
// kernel becomes `stream`, errors `error`, everything else a display whose `data` holds the
// same MIME bundle. Renderings dlnb adds for other viewers (a chart's SVG) are listed in the
// output's metadata, so importing the file drops them again and the .dlnb stays the same.
import type { DlnbOutput, DlnbOutputItem } from '../shared/dlnbFormat';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME, isJsonMime, isTextMime } from '../shared/mimeKinds';
import { stripAnsi } from './htmlEscape';
import { isRecord, joinLines, toLines, type IpynbOutput } from './ipynbTypes';

/** Output metadata key naming the MIME types dlnb added when it exported the output. */
export const RENDERED_KEY = 'dlnb_rendered';

export interface ToIpynbOptions {
  /** A value (the cell's result) rather than a display: written as `execute_result`. */
  isResult: boolean;
  executionCount: number | null;
  /** Extra renderings to add, by MIME type (a chart's image/svg+xml, say). */
  renderings?: Record<string, string>;
}

export function toIpynbOutput(output: DlnbOutput, options: ToIpynbOptions): IpynbOutput {
  const plain = Object.keys(output).every((key) => key === 'items') && output.items.length === 1;
  const item = output.items[0];
  if (plain && isBareItem(item) && typeof item.data === 'string' && (item.mime === STDOUT_MIME || item.mime === STDERR_MIME)) {
    return { output_type: 'stream', name: item.mime === STDOUT_MIME ? 'stdout' : 'stderr', text: toLines(item.data) };
  }
  if (plain && isBareItem(item) && item.mime === ERROR_MIME && isPlainError(item.data)) {
    const { name, message, stack } = item.data;
    return { output_type: 'error', ename: name, evalue: message, traceback: stack.split('\n') };
  }
  const data: Record<string, unknown> = {};
  for (const each of output.items) data[each.mime] = toJupyterData(each);
  const added = Object.keys(options.renderings ?? {}).filter((mime) => !(mime in data));
  // Added text (SVG) as lines, like Jupyter's own; added images as one base64 string.
  for (const mime of added)
    data[mime] = isTextMime(mime) ? jupyterText(mime, options.renderings![mime]) : options.renderings![mime];
  const metadata: Record<string, unknown> = { ...(output.metadata ?? {}) };
  if (added.length) metadata[RENDERED_KEY] = added;
  return options.isResult
    ? { output_type: 'execute_result', data, metadata, execution_count: options.executionCount }
    : { output_type: 'display_data', data, metadata };
}

export function fromIpynbOutput(output: IpynbOutput | Record<string, unknown>): DlnbOutput | undefined {
  const jupyter = output as Record<string, unknown>;
  switch (jupyter.output_type) {
    case 'stream':
      return { items: [{ mime: jupyter.name === 'stderr' ? STDERR_MIME : STDOUT_MIME, data: joinLines(jupyter.text) }] };
    case 'error': {
      const traceback = Array.isArray(jupyter.traceback) ? jupyter.traceback.map(String) : [];
      const data = {
        name: String(jupyter.ename ?? 'Error'),
        message: String(jupyter.evalue ?? ''),
        stack: stripAnsi(traceback.join('\n')),
      };
      return { items: [{ mime: ERROR_MIME, data }] };
    }
    case 'display_data':
    case 'execute_result':
    case 'update_display_data': {
      const data = isRecord(jupyter.data) ? jupyter.data : {};
      const metadata = isRecord(jupyter.metadata) ? { ...jupyter.metadata } : {};
      const rendered = Array.isArray(metadata[RENDERED_KEY]) ? (metadata[RENDERED_KEY] as unknown[]) : [];
      delete metadata[RENDERED_KEY];
      const items = Object.entries(data)
        .filter(([mime]) => !rendered.includes(mime))
        .map(([mime, value]) => fromJupyterData(mime, value));
      return Object.keys(metadata).length ? { items, metadata } : { items };
    }
    default:
      return undefined;
  }
}

function isBareItem(item: DlnbOutputItem | undefined): item is DlnbOutputItem {
  return item !== undefined && Object.keys(item).every((key) => key === 'mime' || key === 'data');
}

function isPlainError(data: unknown): data is { name: string; message: string; stack: string } {
  if (!isRecord(data)) return false;
  const keys = Object.keys(data).sort().join(',');
  return keys === 'message,name,stack' && [data.name, data.message, data.stack].every((v) => typeof v === 'string');
}

/** MIME types whose Jupyter data may be any JSON value; others must be text (the schema's rule). */
const JUPYTER_JSON_MIME = /^application\/(.*\+)?json$/;

function toJupyterData(item: DlnbOutputItem): unknown {
  if (item.encoding === 'base64') return item.data;
  if (typeof item.data === 'string') return jupyterText(item.mime, item.data);
  return JUPYTER_JSON_MIME.test(item.mime) ? item.data : JSON.stringify(item.data);
}

/** Text types as lists of lines (how Jupyter writes them); JSON ones stay strings if they are. */
function jupyterText(mime: string, text: string): unknown {
  return JUPYTER_JSON_MIME.test(mime) ? text : toLines(text);
}

function fromJupyterData(mime: string, value: unknown): DlnbOutputItem {
  if (isJsonMime(mime) && !JUPYTER_JSON_MIME.test(mime)) return { mime, data: parseOr(joinLines(value)) };
  if (isJsonMime(mime)) return { mime, data: value };
  if (isTextMime(mime)) return { mime, data: joinLines(value) };
  // Images and other binary types: base64 text, which Jupyter may split into lines.
  return { mime, encoding: 'base64', data: joinLines(value).replace(/\s+/g, '') };
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
