// Reads the shape of a Jupyter notebook before anything is converted, so a bad or partial
// file fails with the field that is wrong (`cells[3].source: ...`) and nothing is written.
// nbformat 4 is checked as it is; nbformat 3 (worksheets, `input`, `pyout`, heading cells)
// is first rewritten into the nbformat 4 shape.
import { ConvertError, isRecord, type IpynbCell, type IpynbNotebook } from './ipynbTypes';

function fail(field: string, problem: string): never {
  throw new ConvertError(`${field}: ${problem}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

function checkText(value: unknown, field: string): void {
  if (typeof value === 'string') return;
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) return;
  fail(field, `expected text (a string or a list of strings), got ${describe(value)}`);
}

export function checkIpynb(json: unknown): IpynbNotebook {
  if (!isRecord(json)) fail('file', `not a Jupyter notebook: expected a JSON object, got ${describe(json)}`);
  if (!('nbformat' in json)) fail('nbformat', 'missing: this file is not a Jupyter notebook');
  const version = json.nbformat;
  if (version === 3) return checkV4(upgradeV3(json));
  if (version !== 4) fail('nbformat', `version ${describe(version)} is not supported (dlnb reads nbformat 3 and 4)`);
  return checkV4(json);
}

function checkV4(json: Record<string, unknown>): IpynbNotebook {
  const metadata = json.metadata === undefined ? {} : json.metadata;
  if (!isRecord(metadata)) fail('metadata', `expected an object, got ${describe(metadata)}`);
  if (!Array.isArray(json.cells))
    fail(
      'cells',
      `expected a list of cells, got ${json.cells === undefined ? 'nothing (is the file cut short?)' : describe(json.cells)}`,
    );
  json.cells.forEach((cell, i) => checkCell(cell, `cells[${i}]`));
  return { nbformat: 4, nbformat_minor: Number(json.nbformat_minor) || 0, metadata, cells: json.cells as IpynbCell[] };
}

function checkCell(cell: unknown, field: string): void {
  if (!isRecord(cell)) fail(field, `expected a cell object, got ${describe(cell)}`);
  if (cell.cell_type !== 'markdown' && cell.cell_type !== 'code' && cell.cell_type !== 'raw') {
    fail(`${field}.cell_type`, `expected "markdown", "code" or "raw", got ${describe(cell.cell_type)}`);
  }
  checkText(cell.source, `${field}.source`);
  if (cell.metadata !== undefined && !isRecord(cell.metadata))
    fail(`${field}.metadata`, `expected an object, got ${describe(cell.metadata)}`);
  if (cell.metadata === undefined) cell.metadata = {};
  if (cell.cell_type !== 'code') return;
  if (cell.outputs === undefined) cell.outputs = [];
  if (!Array.isArray(cell.outputs)) fail(`${field}.outputs`, `expected a list, got ${describe(cell.outputs)}`);
  cell.outputs.forEach((output, i) => {
    const where = `${field}.outputs[${i}]`;
    if (!isRecord(output)) fail(where, `expected an output object, got ${describe(output)}`);
    if (output.output_type === 'stream') checkText(output.text, `${where}.text`);
    else if (output.output_type === 'display_data' || output.output_type === 'execute_result') {
      if (!isRecord(output.data)) fail(`${where}.data`, `expected an object of MIME types, got ${describe(output.data)}`);
    } else if (output.output_type !== 'error' && output.output_type !== 'update_display_data') {
      fail(`${where}.output_type`, `expected stream, display_data, execute_result or error, got ${describe(output.output_type)}`);
    }
  });
}

/** nbformat 3 output keys (`png`, `text`...) -> MIME types. */
const V3_MIMES: Record<string, string> = {
  text: 'text/plain',
  html: 'text/html',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  latex: 'text/latex',
  json: 'application/json',
  javascript: 'application/javascript',
};

function upgradeV3(json: Record<string, unknown>): Record<string, unknown> {
  const worksheets = json.worksheets;
  if (!Array.isArray(worksheets)) fail('worksheets', `expected a list (nbformat 3), got ${describe(worksheets)}`);
  const cells: unknown[] = [];
  worksheets.forEach((sheet, s) => {
    if (!isRecord(sheet) || !Array.isArray(sheet.cells)) fail(`worksheets[${s}].cells`, 'expected a list of cells');
    sheet.cells.forEach((cell, c) => cells.push(upgradeV3Cell(cell, `worksheets[${s}].cells[${c}]`)));
  });
  const metadata = isRecord(json.metadata) ? { ...json.metadata } : {};
  return { nbformat: 4, nbformat_minor: 0, metadata, cells };
}

function upgradeV3Cell(cell: unknown, field: string): Record<string, unknown> {
  if (!isRecord(cell)) fail(field, `expected a cell object, got ${describe(cell)}`);
  const metadata = isRecord(cell.metadata) ? cell.metadata : {};
  switch (cell.cell_type) {
    case 'heading': {
      checkText(cell.source, `${field}.source`);
      const text = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source);
      const level = Math.min(6, Math.max(1, Number(cell.level) || 1));
      return { cell_type: 'markdown', metadata, source: `${'#'.repeat(level)} ${text.replace(/\n/g, ' ')}` };
    }
    case 'code': {
      checkText(cell.input, `${field}.input`);
      const language = typeof cell.language === 'string' ? cell.language : undefined;
      const outputs = Array.isArray(cell.outputs) ? cell.outputs.map(upgradeV3Output) : cell.outputs;
      return {
        cell_type: 'code',
        metadata: language ? { ...metadata, vscode: { languageId: language } } : metadata,
        source: cell.input,
        execution_count: typeof cell.prompt_number === 'number' ? cell.prompt_number : null,
        outputs,
      };
    }
    default:
      return { ...cell, metadata };
  }
}

function upgradeV3Output(output: unknown): unknown {
  if (!isRecord(output)) return output;
  switch (output.output_type) {
    case 'pyout':
    case 'display_data': {
      const data: Record<string, unknown> = {};
      for (const [key, mime] of Object.entries(V3_MIMES)) if (key in output) data[mime] = output[key];
      const type = output.output_type === 'pyout' ? 'execute_result' : 'display_data';
      return { output_type: type, data, metadata: isRecord(output.metadata) ? output.metadata : {} };
    }
    case 'stream':
      return { output_type: 'stream', name: output.stream === 'stderr' ? 'stderr' : 'stdout', text: output.text };
    case 'pyerr':
      return { output_type: 'error', ename: output.ename, evalue: output.evalue, traceback: output.traceback };
    default:
      return output;
  }
}
