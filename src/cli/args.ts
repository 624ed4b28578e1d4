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
}

export const DEFAULT_MEMORY_MB = 4096;
/** Below this the kernel cannot even load TensorFlow.js. */
export const MIN_MEMORY_MB = 256;

export type CliArgs = RunArgs | { command: 'help' };

export const USAGE = `Usage: dlnb run FILE.dlnb [options]

Runs every code cell of a dlnb notebook in order, in a fresh TensorFlow.js kernel,
streaming its output. Exits 0 when every cell succeeds, 1 when a cell fails or times
out, 2 when the notebook cannot be read, where its outputs go cannot be written, or the
arguments are wrong. A cell blocked in a system call past --timeout ends dlnb with SIGKILL
(exit status 137) once the outputs are written.

Options:
  --save               write the outputs back into FILE.dlnb
  --out FILE           write the notebook with its outputs to FILE instead
  --timeout SECONDS    interrupt a cell that runs longer than this
  --memory MB          the kernel's memory (heap) limit (default: ${DEFAULT_MEMORY_MB})
  --charts DIR         write each Vega-Lite chart as DIR/cell-N-K.svg
  --backend wasm|cpu   TensorFlow.js backend (default: wasm)
  -h, --help           show this help
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: string[]): CliArgs {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') {
    return { command: 'help' };
  }
  const [command, ...rest] = argv;
  if (command !== 'run') throw new UsageError(`unknown command '${command}' (try: dlnb run FILE.dlnb)`);

  const args: RunArgs = { command: 'run', file: '', save: false, backend: 'wasm', memoryMb: DEFAULT_MEMORY_MB };
  const value = (flag: string, i: number): string => {
    const given = rest[i + 1];
    if (given === undefined || given.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return given;
  };
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
      case '--timeout': {
        const seconds = Number(value(arg, i++));
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout needs a positive number of seconds, got '${rest[i]}'`);
        args.timeoutSeconds = seconds;
        break;
      }
      case '--memory': {
        const mb = Number(value(arg, i++));
        if (!Number.isInteger(mb) || mb < MIN_MEMORY_MB) throw new UsageError(`--memory needs a whole number of megabytes, at least ${MIN_MEMORY_MB}, got '${rest[i]}'`);
        args.memoryMb = mb;
        break;
      }
      case '--backend': {
        const backend = value(arg, i++);
        if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got '${backend}'`);
        args.backend = backend;
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
        if (args.file) throw new UsageError(`one notebook at a time: got '${args.file}' and '${arg}'`);
        args.file = arg;
    }
  }
  if (!args.file) throw new UsageError('missing the notebook to run (dlnb run FILE.dlnb)');
  if (args.save && args.out) throw new UsageError('use either --save or --out FILE, not both');
  return args;
}
