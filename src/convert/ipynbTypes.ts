// The Jupyter notebook format (nbformat 4) as far as dlnb reads and writes it, and the
// pieces both directions of the conversion share: splitting text into Jupyter's lists of
// lines, joining them back, and the kernel metadata that opens a notebook in tslab.
// The schema is https://github.com/jupyter/nbformat (nbformat/v4/nbformat.v4.5.schema.json).

export type MultilineString = string | string[];

export interface IpynbStream {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}

export interface IpynbError {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface IpynbDisplay {
  output_type: 'display_data' | 'execute_result';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  execution_count?: number | null;
}

export type IpynbOutput = IpynbStream | IpynbError | IpynbDisplay;

export interface IpynbCell {
  cell_type: 'markdown' | 'code' | 'raw';
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  execution_count?: number | null;
  outputs?: IpynbOutput[];
  attachments?: Record<string, Record<string, MultilineString>>;
}

export interface IpynbNotebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: IpynbCell[];
}

/** Jupyter's way to store text: lines, each but the last keeping its newline. */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function joinLines(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((line) => (typeof line === 'string' ? line : '')).join('');
  return '';
}

/** Kernel metadata of tslab, the TypeScript (and JavaScript) kernel for Jupyter. */
export function tslabMetadata(language: 'typescript' | 'javascript'): Record<string, unknown> {
  const typescript = language === 'typescript';
  return {
    kernelspec: {
      name: typescript ? 'tslab' : 'jslab',
      display_name: typescript ? 'TypeScript' : 'JavaScript',
      language,
    },
    language_info: {
      name: language,
      file_extension: typescript ? '.ts' : '.js',
      mimetype: typescript ? 'text/typescript' : 'text/javascript',
      codemirror_mode: typescript ? { name: 'javascript', typescript: true } : 'javascript',
    },
  };
}

/** Raised for a file that cannot be converted; nothing is written. */
export class ConvertError extends Error {
  override name = 'ConvertError';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
