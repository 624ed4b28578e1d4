// `dlnb export` and `dlnb import`: thin adapters over src/convert. A notebook that cannot
// be read, converted or run writes nothing and exits 2 (bad input) or 1 (a cell failed).
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConvertError, defaultExportPath, exportNotebook, importIpynb } from '../convert';
import { DlnbFormatError, parseNotebook, type DlnbNotebook } from '../shared/dlnbFormat';
import { writeNotebookFileAtomic } from '../shared/notebookFile';
import { DEFAULT_MEMORY_MB, type ExportArgs, type ImportArgs } from './args';
import { EXIT_BAD_INPUT, EXIT_CELL_FAILED, EXIT_OK, runNotebook, type RunEnvironment } from './runNotebook';

export async function exportCommand(args: ExportArgs, env: RunEnvironment): Promise<number> {
  const { terminal } = env;
  let notebook: DlnbNotebook;
  try {
    notebook = parseNotebook(await readFile(args.file, 'utf8'));
  } catch (error) {
    const reason = error instanceof DlnbFormatError ? error.message : (error as Error).message;
    terminal.stderr(`dlnb: cannot read ${args.file}: ${reason}\n`);
    return EXIT_BAD_INPUT;
  }
  if (args.execute) {
    const executed = await executeFirst(args, env);
    if (typeof executed === 'number') return executed;
    notebook = executed;
  }
  const target = path.resolve(args.out ?? defaultExportPath(args.file, args.to));
  if (target === path.resolve(args.file)) {
    terminal.stderr(`dlnb: the export would overwrite the notebook itself; choose another --out\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    const { files, warnings } = await exportNotebook(notebook, args.to, target);
    for (const warning of warnings) terminal.stderr(`dlnb: ${warning}\n`);
    for (const file of files) terminal.stderr(`dlnb: wrote ${path.relative(process.cwd(), file) || file}\n`);
    return EXIT_OK;
  } catch (error) {
    terminal.stderr(`dlnb: could not export ${args.file}: ${(error as Error).message}\n`);
    return EXIT_CELL_FAILED;
  }
}

/** Runs the notebook into a temporary copy (the file itself is not touched) and reads it back. */
async function executeFirst(args: ExportArgs, env: RunEnvironment): Promise<DlnbNotebook | number> {
  const temp = path.join(os.tmpdir(), `dlnb-export-${process.pid}-${Date.now()}.dlnb`);
  try {
    const status = await runNotebook(
      {
        command: 'run',
        file: args.file,
        save: false,
        out: temp,
        timeoutSeconds: args.timeoutSeconds,
        backend: args.backend,
        memoryMb: DEFAULT_MEMORY_MB,
        oneCore: false,
      },
      env,
    );
    if (status !== EXIT_OK) {
      env.terminal.stderr(`dlnb: nothing exported: the notebook did not run to the end\n`);
      return status;
    }
    return parseNotebook(await readFile(temp, 'utf8'));
  } finally {
    await rm(temp, { force: true });
  }
}

export async function importCommand(args: ImportArgs, env: Pick<RunEnvironment, 'terminal'>): Promise<number> {
  const { terminal } = env;
  const parsed = path.parse(args.file);
  const target = path.resolve(args.out ?? path.join(parsed.dir, `${parsed.name}.dlnb`));
  let text: string;
  try {
    text = importIpynb(await readFile(args.file, 'utf8'));
  } catch (error) {
    const reason = error instanceof ConvertError ? error.message : (error as Error).message;
    terminal.stderr(`dlnb: cannot import ${args.file}: ${reason}\nNothing was written.\n`);
    return EXIT_BAD_INPUT;
  }
  if (existsSync(target) && !args.force) {
    terminal.stderr(
      `dlnb: ${path.relative(process.cwd(), target) || target} already exists; use --out PATH or --force to replace it\n`,
    );
    return EXIT_BAD_INPUT;
  }
  await writeNotebookFileAtomic(target, text);
  terminal.stderr(`dlnb: wrote ${path.relative(process.cwd(), target) || target}\n`);
  return EXIT_OK;
}
