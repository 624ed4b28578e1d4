// Turns .dlnb files into VS Code notebooks and back. A file that cannot be read throws,
// so VS Code shows the error and never opens (and later saves) an empty notebook over it.
import * as vscode from 'vscode';
import {
  decodeNotebookBytes,
  parseNotebook,
  serializeNotebook,
  type DlnbCell,
  type DlnbNotebook,
  type DlnbOutput,
  type DlnbOutputItem,
} from '../shared/dlnbFormat';
import { isJsonMime, isTextMime } from '../shared/mimeKinds';

/**
 * Code cells are TypeScript in the file and `dlnb-typescript` in the editor: a language of
 * dlnb's own (TypeScript's grammar, package.json) so that dlnb's language service, which
 * sees the whole notebook, answers for cells, and VS Code's TypeScript support, which
 * sees each cell alone and calls everything `any`, does not answer beside it.
 */
export const CELL_LANGUAGE = 'dlnb-typescript';
export const FILE_CODE_LANGUAGE = 'typescript';

/** What VS Code keeps per cell and notebook so that fields dlnb does not show survive a save. */
interface CarriedFields {
  /** The .dlnb `metadata` object. */
  metadata?: Record<string, unknown>;
  /** Fields of the .dlnb object that this version does not know. */
  extra?: Record<string, unknown>;
}

/** Unknown fields of a cell's `execution`, which VS Code's execution summary cannot hold. */
interface CarriedCellFields extends CarriedFields {
  language?: string;
  executionExtra?: Record<string, unknown>;
}

/**
 * Unknown fields of an output and of its items ride in the output's metadata under this
 * key (VS Code keeps output metadata, and nothing else, with an output), and are taken
 * out again on save. Items are matched by position and MIME type.
 */
const CARRIED_OUTPUT_KEY = 'dlnbCarried';
interface CarriedOutputFields {
  extra?: Record<string, unknown>;
  items?: Array<{ mime: string; extra: Record<string, unknown> } | null>;
}

const KNOWN_CELL_FIELDS = new Set(['kind', 'language', 'source', 'execution', 'outputs', 'metadata']);
const KNOWN_NOTEBOOK_FIELDS = new Set(['dlnb', 'metadata', 'cells']);
const KNOWN_OUTPUT_FIELDS = new Set(['items', 'metadata']);
const KNOWN_ITEM_FIELDS = new Set(['mime', 'encoding', 'data']);
const KNOWN_EXECUTION_FIELDS = new Set(['order', 'durationMs', 'success']);

export class DlnbSerializer implements vscode.NotebookSerializer {
  constructor(
    private readonly log: { error(message: string, err?: unknown): void },
    private readonly getSaveOutputs: () => boolean,
  ) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    try {
      return toNotebookData(parseNotebook(decodeNotebookBytes(content)));
    } catch (err) {
      this.log.error('Could not open a .dlnb file', err);
      const message = `dlnb cannot open this notebook. ${(err as Error).message}`;
      // Some editors show only a generic "could not be opened" for a failed open, so the
      // reason is also shown as a notification. The file on disk is not touched.
      void vscode.window.showErrorMessage(`${message}. The file was left as it is.`);
      throw new Error(message);
    }
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const text = serializeNotebook(fromNotebookData(data), { saveOutputs: this.getSaveOutputs() });
    return new TextEncoder().encode(text);
  }
}

// ---------------------------------------------------------------------------------
// .dlnb -> VS Code

export function toNotebookData(notebook: DlnbNotebook): vscode.NotebookData {
  const data = new vscode.NotebookData(notebook.cells.map(toCellData));
  data.metadata = { dlnb: carry(notebook, KNOWN_NOTEBOOK_FIELDS) };
  return data;
}

function toCellData(cell: DlnbCell): vscode.NotebookCellData {
  const isCode = cell.kind === 'code';
  const data = new vscode.NotebookCellData(
    isCode ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup,
    cell.source,
    editorLanguage(cell.language ?? (isCode ? FILE_CODE_LANGUAGE : 'markdown')),
  );
  const executionExtra = cell.execution ? unknownFields(cell.execution, KNOWN_EXECUTION_FIELDS) : undefined;
  const carried: CarriedCellFields = { ...carry(cell, KNOWN_CELL_FIELDS), language: cell.language, executionExtra };
  data.metadata = { dlnb: carried };
  data.outputs = cell.outputs?.map(toCellOutput);
  if (cell.execution) {
    const { order, durationMs, success } = cell.execution;
    data.executionSummary = {
      executionOrder: order,
      success,
      timing: durationMs === undefined ? undefined : { startTime: 0, endTime: durationMs },
    };
  }
  return data;
}

function editorLanguage(language: string): string {
  return language === FILE_CODE_LANGUAGE ? CELL_LANGUAGE : language;
}

function fileLanguage(languageId: string): string {
  return languageId === CELL_LANGUAGE ? FILE_CODE_LANGUAGE : languageId;
}

function toCellOutput(output: DlnbOutput): vscode.NotebookCellOutput {
  const items = output.items.map((item) => new vscode.NotebookCellOutputItem(itemBytes(item), item.mime));
  const carried: CarriedOutputFields = {
    extra: unknownFields(output, KNOWN_OUTPUT_FIELDS),
    items: output.items.map((item) => {
      const extra = unknownFields(item, KNOWN_ITEM_FIELDS);
      return extra ? { mime: item.mime, extra } : null;
    }),
  };
  if (carried.items?.every((item) => item === null)) carried.items = undefined;
  if (!carried.extra && !carried.items) return new vscode.NotebookCellOutput(items, output.metadata);
  return new vscode.NotebookCellOutput(items, { ...output.metadata, [CARRIED_OUTPUT_KEY]: carried });
}

function itemBytes(item: DlnbOutputItem): Uint8Array {
  if (item.encoding === 'base64' && typeof item.data === 'string') return Buffer.from(item.data, 'base64');
  const text = typeof item.data === 'string' ? item.data : JSON.stringify(item.data);
  return new TextEncoder().encode(text);
}

function carry(value: Record<string, unknown>, known: Set<string>): CarriedFields {
  return { metadata: value.metadata as Record<string, unknown> | undefined, extra: unknownFields(value, known) };
}

/** The fields of `value` not in `known` (Object.fromEntries defines keys, so `__proto__` is kept as data). */
function unknownFields(value: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  const extra = Object.fromEntries(Object.entries(value).filter(([key]) => !known.has(key)));
  return Object.keys(extra).length ? extra : undefined;
}

// ---------------------------------------------------------------------------------
// VS Code -> .dlnb

export function fromNotebookData(data: vscode.NotebookData): DlnbNotebook {
  const carried = (data.metadata?.dlnb ?? {}) as CarriedFields;
  return {
    dlnb: 1,
    metadata: carried.metadata ?? {},
    cells: data.cells.map(fromCellData),
    ...carried.extra,
  };
}

function fromCellData(data: vscode.NotebookCellData): DlnbCell {
  const carried = (data.metadata?.dlnb ?? {}) as CarriedCellFields;
  const kind = data.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown';
  const cell: DlnbCell = { kind, source: data.value };
  // Keep `language` out of the file when it is the default, unless the file had it.
  const language = fileLanguage(data.languageId);
  const defaultLanguage = kind === 'code' ? FILE_CODE_LANGUAGE : 'markdown';
  if (language !== defaultLanguage || carried.language !== undefined) cell.language = language;
  const summary = data.executionSummary;
  if (summary && (summary.executionOrder !== undefined || summary.success !== undefined || summary.timing)) {
    cell.execution = {
      order: summary.executionOrder,
      durationMs: summary.timing ? Math.round(summary.timing.endTime - summary.timing.startTime) : undefined,
      success: summary.success,
      ...carried.executionExtra,
    };
  }
  if (data.outputs?.length) cell.outputs = data.outputs.map(fromCellOutput);
  if (carried.metadata) cell.metadata = carried.metadata;
  return { ...cell, ...carried.extra };
}

function fromCellOutput(output: vscode.NotebookCellOutput): DlnbOutput {
  const { [CARRIED_OUTPUT_KEY]: carriedValue, ...metadata } = output.metadata ?? {};
  const carried = (carriedValue ?? {}) as CarriedOutputFields;
  const items = output.items.map((item, i): DlnbOutputItem => {
    const kept = carried.items?.[i];
    return kept?.mime === item.mime ? { ...itemFromBytes(item), ...kept.extra } : itemFromBytes(item);
  });
  const result: DlnbOutput = { items };
  if (Object.keys(metadata).length) result.metadata = metadata;
  return { ...result, ...carried.extra };
}

function itemFromBytes(item: vscode.NotebookCellOutputItem): DlnbOutputItem {
  if (isJsonMime(item.mime)) {
    const text = new TextDecoder().decode(item.data);
    try {
      return { mime: item.mime, data: JSON.parse(text) };
    } catch {
      return { mime: item.mime, data: text };
    }
  }
  if (isTextMime(item.mime)) return { mime: item.mime, data: new TextDecoder().decode(item.data) };
  return { mime: item.mime, encoding: 'base64', data: Buffer.from(item.data).toString('base64') };
}
