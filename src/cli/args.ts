// `dlnb` command-line arguments: parsed strictly, so a typo is an error and not a
// silently ignored flag.
import type { Backend } from '../shared/protocol';

export interface RunArgs {
  command: 'run';
  file: string;
  save: boolean;
  out?: string;
  timeoutSeconds?: number;
  chartsDir?: string;
  backend: Backend;
  /** The kernel's heap limit (--memory). */
  memoryMb: number;
  /** --one-core: no helper thread for large matrix products. */
  oneCore: boolean;
}

export interface ExportArgs {
  command: 'export';
  file: string;
  to: ExportFormat;
  out?: string;
  /** Run the notebook first, in a fresh kernel, and export it with its new outputs. */
  execute: boolean;
  timeoutSeconds?: number;
  backend: Backend;
}

export interface ImportArgs {
  command: 'import';
  file: string;
  out?: string;
  force: boolean;
}

export const DEFAULT_MEMORY_MB = 4096;
/** Below this the kernel cannot even load TensorFlow.js. */
export const MIN_MEMORY_MB = 256;

export type CliArgs = RunArgs | ExportArgs | ImportArgs | { command: 'help' };

export const EXPORT_FORMAT_NAMES = ['ipynb', 'html', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMAT_NAMES)[number];

export const USAGE = `Usage: dlnb run FILE.dlnb [options]
       dlnb check FILE.dlnb... [--json]   type-check without running (dlnb check --help)
       dlnb export FILE.dlnb --to ipynb|html|md [--out PATH] [--execute]
       dlnb import FILE.ipynb [--out PATH] [--force]

Runs every code cell of a dlnb notebook in order, in a fresh TensorFlow.js kernel,
streaming its output. Exits 0 when every cell succeeds, 1 when a cell fails or times
out, 2 when the notebook cannot be read, where its outputs go cannot be written, or the
arguments are wrong. A cell blocked in a system call past --timeout ends dlnb with SIGKILL
(exit status 137) once the outputs are written.

Options of dlnb run:
  --save               write the outputs back into FILE.dlnb
  --out FILE           write the notebook with its outputs to FILE instead
  --timeout SECONDS    interrupt a cell that runs longer than this
  --memory MB          the kernel's memory (heap) limit (default: ${DEFAULT_MEMORY_MB})
  --charts DIR         write each Vega-Lite chart as DIR/cell-N-K.svg
  --backend wasm|cpu   TensorFlow.js backend (default: wasm)
  --one-core           keep the kernel to one CPU core (by default large matrix
                       products are shared with a helper thread on a second core)
  -h, --help           show this help

dlnb export writes the notebook as a Jupyter notebook (.ipynb), one self-contained
HTML page, or Markdown with its charts as SVG files in a folder beside it. The output
goes next to FILE unless --out says where; --execute runs the notebook first (the
export is written only if every cell succeeds; --timeout and --backend apply).

dlnb import converts a Jupyter notebook (nbformat 3 or 4) into FILE.dlnb beside it;
it does not overwrite an existing notebook unless --force is given.
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: string[]): CliArgs {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') {
    return { command: 'help' };
  }
  const [command, ...rest] = argv;
  if (command === 'export') return parseExportArgs(rest);
  if (command === 'import') return parseImportArgs(rest);
  if (command !== 'run')
    throw new UsageError(`unknown command '${command}' (try: dlnb run FILE.dlnb, dlnb check, dlnb export, dlnb import)`);

  const args: RunArgs = { command: 'run', file: '', save: false, backend: 'wasm', memoryMb: DEFAULT_MEMORY_MB, oneCore: false };
  const value = valueReader(rest);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    switch (arg) {
      case '--save':
        args.save = true;
        break;
      case '--out':
        args.out = value(arg, i++);
        break;
      case '--charts':
        args.chartsDir = value(arg, i++);
        break;
      case '--timeout':
        args.timeoutSeconds = parseTimeout(value(arg, i++));
        break;
      case '--memory': {
        const mb = Number(value(arg, i++));
        if (!Number.isInteger(mb) || mb < MIN_MEMORY_MB)
          throw new UsageError(`--memory needs a whole number of megabytes, at least ${MIN_MEMORY_MB}, got '${rest[i]}'`);
        args.memoryMb = mb;
        break;
      }
      case '--backend':
        args.backend = parseBackend(value(arg, i++));
        break;
      case '--one-core':
        args.oneCore = true;
        break;
      default:
        args.file = positional(arg, args.file);
    }
  }
  if (!args.file) throw new UsageError('missing the notebook to run (dlnb run FILE.dlnb)');
  if (args.save && args.out) throw new UsageError('use either --save or --out FILE, not both');
  return args;
}

function parseExportArgs(rest: string[]): ExportArgs {
  const args: Partial<ExportArgs> & { command: 'export'; file: string } = {
    command: 'export',
    file: '',
    execute: false,
    backend: 'wasm',
  };
  const value = valueReader(rest);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--to') {
      const to = value(arg, i++);
      if (!(EXPORT_FORMAT_NAMES as readonly string[]).includes(to))
        throw new UsageError(`--to must be ipynb, html or md, got '${to}'`);
      args.to = to as ExportFormat;
    } else if (arg === '--out') args.out = value(arg, i++);
    else if (arg === '--execute') args.execute = true;
    else if (arg === '--timeout') args.timeoutSeconds = parseTimeout(value(arg, i++));
    else if (arg === '--backend') args.backend = parseBackend(value(arg, i++));
    else args.file = positional(arg, args.file);
  }
  if (!args.file) throw new UsageError('missing the notebook to export (dlnb export FILE.dlnb --to ipynb|html|md)');
  if (!args.to) throw new UsageError('say which format with --to ipynb, --to html or --to md');
  if (!args.execute && (args.timeoutSeconds !== undefined || args.backend !== 'wasm')) {
    throw new UsageError('--timeout and --backend apply only with --execute');
  }
  return args as ExportArgs;
}

function parseImportArgs(rest: string[]): ImportArgs {
  const args: ImportArgs = { command: 'import', file: '', force: false };
  const value = valueReader(rest);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--out') args.out = value(arg, i++);
    else if (arg === '--force') args.force = true;
    else args.file = positional(arg, args.file);
  }
  if (!args.file) throw new UsageError('missing the notebook to import (dlnb import FILE.ipynb)');
  return args;
}

function valueReader(rest: string[]): (flag: string, i: number) => string {
  return (flag, i) => {
    const given = rest[i + 1];
    if (given === undefined || given.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return given;
  };
}

function positional(arg: string, current: string): string {
  if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
  if (current) throw new UsageError(`one notebook at a time: got '${current}' and '${arg}'`);
  return arg;
}

function parseTimeout(given: string): number {
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout needs a positive number of seconds, got '${given}'`);
  return seconds;
}

function parseBackend(backend: string): Backend {
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got '${backend}'`);
  return backend;
}
