// `dlnb` on the command line. The kernel worker and the wasm binaries ship next to this
// bundle: dist/cli.js, dist/kernel.js, dist/wasm/.
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { USAGE, UsageError, parseArgs } from './args';
import { checkNotebooks } from './checkNotebooks';
import { exportCommand, importCommand } from './convertCommands';
import { EXIT_BAD_INPUT, EXIT_CELL_FAILED, runNotebook } from './runNotebook';

// `dlnb run nb.dlnb | head`: a closed pipe ends the run quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Relaxed SIMD gives the kernel's matrix multiply fused multiply-adds (about 1.4x). V8
// ships it from Node 22 and in VS Code's own runtime; older Node has it behind a flag,
// which this process (ours alone, unlike the editor's extension host) may set before the
// worker compiles any wasm.
if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

async function main(argv: string[]): Promise<number> {
  const terminal = {
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
  };
  if (argv[0] === 'check') return checkNotebooks(argv.slice(1), terminal);
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    terminal.stderr(`dlnb: ${error.message}\n\n${USAGE}`);
    return EXIT_BAD_INPUT;
  }
  if (args.command === 'help') {
    terminal.stdout(USAGE);
    return 0;
  }
  const env = { workerPath: path.join(__dirname, 'kernel.js'), wasmDir: path.join(__dirname, 'wasm'), terminal };
  if (args.command === 'export') return exportCommand(args, env);
  if (args.command === 'import') return importCommand(args, env);
  return runNotebook(args, env);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dlnb: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_CELL_FAILED;
  },
);
