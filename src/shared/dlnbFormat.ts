// The .dlnb file format, version 1 (docs/format.md): read, validate and write.
// Pure: no VS Code, no Node APIs, so the serializer, the CLI and the tests share it.
// The writer is stable (fixed key order, 2-space indent, trailing newline) so diffs stay
// small, and fields it does not know are carried through a load/save round trip.
// Files on disk (atomic writes) are handled in ./notebookFile.ts.
import { jsonErrorOffset } from './jsonErrorOffset';
import { firstInvalidUtf8 } from './utf8Check';

export const FORMAT_VERSION = 1;

export type CellKind = 'markdown' | 'code';

export interface DlnbOutputItem {
  mime: string;
  /** Text for text MIME types, a JSON value for JSON ones, base64 text for binary ones. */
  data: unknown;
  /** Present, as 'base64', for binary data. */
  encoding?: 'base64';
  [field: string]: unknown;
}

export interface DlnbOutput {
  items: DlnbOutputItem[];
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface DlnbExecution {
  order?: number;
  durationMs?: number;
  success?: boolean;
  [field: string]: unknown;
}

export interface DlnbCell {
  kind: CellKind;
  source: string;
  language?: string;
  execution?: DlnbExecution;
  outputs?: DlnbOutput[];
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface DlnbNotebook {
  dlnb: typeof FORMAT_VERSION;
  metadata: Record<string, unknown>;
  cells: DlnbCell[];
  [field: string]: unknown;
}

/** Raised for any file dlnb cannot read; the message names the line and column or the field. */
export class DlnbFormatError extends Error {
  constructor(
    message: string,
    readonly location?: { line: number; column: number },
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DlnbFormatError';
  }
}

export function emptyNotebook(): DlnbNotebook {
  return { dlnb: FORMAT_VERSION, metadata: {}, cells: [] };
}

// ---------------------------------------------------------------------------------
// Reading

/**
 * A file's bytes as text. Strict: a byte that is not UTF-8 is refused with its offset,
 * because decoding it as U+FFFD would silently change the file on the next save.
 */
export function decodeNotebookBytes(bytes: Uint8Array): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) {
    const byte = bytes[bad].toString(16).padStart(2, '0');
    throw new DlnbFormatError(`the file is not valid UTF-8 at byte ${bad} (0x${byte}); save it as UTF-8 text and open it again`);
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses and validates a .dlnb file's text. An empty file is an empty notebook. */
export function parseNotebook(text: string): DlnbNotebook {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return emptyNotebook();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    const { line, column } = jsonErrorLocation(body, err);
    const reason = String((err as Error).message).replace(/\s*(in JSON )?at position \d+.*$/, '');
    throw new DlnbFormatError(`Not valid JSON at line ${line}, column ${column}: ${reason}`, { line, column });
  }
  return validateNotebook(json);
}

/** Where the text goes wrong: found by our scanner, as Node 20's messages do not always say. */
function jsonErrorLocation(text: string, err: unknown): { line: number; column: number } {
  const position = /position (\d+)/.exec(String((err as Error)?.message ?? ''));
  const offset = jsonErrorOffset(text) ?? (position ? Number(position[1]) : text.length);
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function fail(field: string, problem: string): never {
  throw new DlnbFormatError(`${field}: ${problem}`, undefined, field);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectRecord(value: unknown, field: string): Record<string, unknown> {
  if (!isRecord(value)) fail(field, `expected an object, got ${describe(value)}`);
  return value;
}

function validateNotebook(json: unknown): DlnbNotebook {
  const root = expectRecord(json, 'file');
  // Not `fail` for the version: the field's name is also the program's, and the CLI's
  // "dlnb: cannot read nb.dlnb: dlnb: ..." read as a stutter.
  if (!('dlnb' in root)) {
    throw new DlnbFormatError(
      'this file is not a dlnb notebook: it has no "dlnb" format version (expected {"dlnb": 1, "metadata": {...}, "cells": [...]})',
      undefined,
      'dlnb',
    );
  }
  if (typeof root.dlnb !== 'number' || !Number.isInteger(root.dlnb) || root.dlnb < 1) {
    throw new DlnbFormatError(`the format version "dlnb" must be 1, got ${describe(root.dlnb)}`, undefined, 'dlnb');
  }
  if (root.dlnb > FORMAT_VERSION) {
    throw new DlnbFormatError(
      `this notebook uses format version ${root.dlnb}, newer than this dlnb reads (${FORMAT_VERSION}); update the dlnb extension to open it`,
      undefined,
      'dlnb',
    );
  }
  const metadata = root.metadata === undefined ? {} : expectRecord(root.metadata, 'metadata');
  if (root.cells === undefined) fail('cells', 'missing (expected an array of cells)');
  if (!Array.isArray(root.cells)) fail('cells', `expected an array of cells, got ${describe(root.cells)}`);
  const cells = root.cells.map((cell, i) => validateCell(cell, `cells[${i}]`));
  return { ...root, dlnb: FORMAT_VERSION, metadata, cells };
}

function validateCell(value: unknown, field: string): DlnbCell {
  const cell = expectRecord(value, field);
  if (cell.kind !== 'markdown' && cell.kind !== 'code') {
    fail(`${field}.kind`, `expected "markdown" or "code", got ${describe(cell.kind)}`);
  }
  const result: DlnbCell = { ...cell, kind: cell.kind, source: readSource(cell.source, `${field}.source`) };
  if (cell.language !== undefined && typeof cell.language !== 'string') {
    fail(`${field}.language`, `expected a string, got ${describe(cell.language)}`);
  }
  if (cell.metadata !== undefined) expectRecord(cell.metadata, `${field}.metadata`);
  if (cell.execution !== undefined) validateExecution(cell.execution, `${field}.execution`);
  if (cell.outputs !== undefined) {
    if (!Array.isArray(cell.outputs)) fail(`${field}.outputs`, `expected an array, got ${describe(cell.outputs)}`);
    cell.outputs.forEach((output, i) => validateOutput(output, `${field}.outputs[${i}]`));
  }
  return result;
}

/** Accepts a string, or (as Jupyter writes it) an array of lines joined as they are. */
function readSource(value: unknown, field: string): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) return value.join('');
  return fail(field, `expected a string or an array of strings, got ${describe(value)}`);
}

function validateExecution(value: unknown, field: string): void {
  const execution = expectRecord(value, field);
  for (const key of ['order', 'durationMs'] as const) {
    if (execution[key] !== undefined && typeof execution[key] !== 'number') {
      fail(`${field}.${key}`, `expected a number, got ${describe(execution[key])}`);
    }
  }
  if (execution.success !== undefined && typeof execution.success !== 'boolean') {
    fail(`${field}.success`, `expected true or false, got ${describe(execution.success)}`);
  }
}

function validateOutput(value: unknown, field: string): void {
  const output = expectRecord(value, field);
  if (!Array.isArray(output.items)) fail(`${field}.items`, `expected an array, got ${describe(output.items)}`);
  output.items.forEach((item, i) => {
    const checked = expectRecord(item, `${field}.items[${i}]`);
    if (typeof checked.mime !== 'string' || checked.mime === '') {
      fail(`${field}.items[${i}].mime`, `expected a MIME type string, got ${describe(checked.mime)}`);
    }
  });
  if (output.metadata !== undefined) expectRecord(output.metadata, `${field}.metadata`);
}

// ---------------------------------------------------------------------------------
// Writing

export interface SerializeOptions {
  /** Keep outputs and execution details (default true). */
  saveOutputs?: boolean;
}

const NOTEBOOK_KEYS = ['dlnb', 'metadata', 'cells'];
const CELL_KEYS = ['kind', 'language', 'source', 'execution', 'outputs', 'metadata'];
const OUTPUT_KEYS = ['items', 'metadata'];
const ITEM_KEYS = ['mime', 'encoding', 'data'];
const EXECUTION_KEYS = ['order', 'durationMs', 'success'];

/** Writes a notebook as stable, diff-friendly JSON text. */
export function serializeNotebook(notebook: DlnbNotebook, options: SerializeOptions = {}): string {
  const saveOutputs = options.saveOutputs ?? true;
  const cells = notebook.cells.map((cell) => {
    const { outputs, execution, ...rest } = cell;
    const kept: DlnbCell = saveOutputs ? cell : rest;
    return ordered(kept, CELL_KEYS, (key, value) => {
      if (key === 'outputs') {
        return (value as DlnbOutput[]).map((output) =>
          ordered(output, OUTPUT_KEYS, (k, v) =>
            k === 'items' ? (v as DlnbOutputItem[]).map((item) => ordered(item, ITEM_KEYS)) : v,
          ),
        );
      }
      return key === 'execution' ? ordered(value as DlnbExecution, EXECUTION_KEYS) : value;
    });
  });
  return JSON.stringify(ordered({ ...notebook, cells }, NOTEBOOK_KEYS), null, 2) + '\n';
}

/**
 * Copies `value` with the known keys first, in order, then any others as they came. Keys
 * are defined, not assigned: a `__proto__` key in a file is data to keep, and assigning it
 * would set the copy's prototype instead (and drop the field).
 */
function ordered<T extends object>(value: T, known: string[], mapValue: (key: string, v: unknown) => unknown = (_k, v) => v): T {
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const keys = [...known.filter((k) => k in source), ...Object.keys(source).filter((k) => !known.includes(k))];
  for (const key of keys) {
    if (source[key] !== undefined) {
      Object.defineProperty(result, key, {
        value: mapValue(key, source[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return result as T;
}
