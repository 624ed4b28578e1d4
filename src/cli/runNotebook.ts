// `dlnb run`: every code cell in order in a fresh kernel, output streamed to the terminal,
// the first failure reported as `cell N, line L: ...`, outputs optionally written back.
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { createKernel } from '../kernel-client';
import type { CellRun, KernelHandle } from '../kernel-client/types';
import { decodeNotebookBytes, DlnbFormatError, parseNotebook, serializeNotebook, type DlnbNotebook } from '../shared/dlnbFormat';
import { leakNote, replacedNote } from '../shared/memoryText';
import { NotebookChangedError, writeNotebookFileAtomic } from '../shared/notebookFile';
import type { CellError, ExecuteDone } from '../shared/protocol';
import type { RunArgs } from './args';
import { CellRecorder, type Terminal } from './cellRecorder';
import { writeChartSvg } from './chartExport';
import { checkOutputTargets, writeBeside } from './outputTargets';
import { endKernel, exitStuck } from './stuckKernel';

export const EXIT_OK = 0;
export const EXIT_CELL_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** After --timeout, how long a cell may take to stop softly before its worker is replaced. */
const TIMEOUT_GRACE_MS = 750;

export interface RunEnvironment {
  /** dist/kernel.js and dist/wasm, next to the CLI bundle. */
  workerPath: string;
  wasmDir: string;
  terminal: Terminal;
}

/** The error as the first lines users read: `cell N, line L: Name: message`, then the stack. */
export function formatCellError(cell: number, error: CellError): string {
  const where = error.location ? `cell ${error.location.cell}, line ${error.location.line}` : `cell ${cell}`;
  const what = error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  // Cell frames, and the one line that says how many library frames were folded.
  const frames = error.stack.split('\n').filter((line) => /^\s+(at |\.\.\. )/.test(line));
  const hint = error.hint ? [`hint: ${error.hint}`] : [];
  return [`${where}: ${what}`, ...frames, ...hint].join('\n') + '\n';
}

/** Per user, so that no one reads code another user wrote; later runs start faster. */
function kernelCacheDir(): string {
  return path.join(os.tmpdir(), `dlnb-cache-${process.getuid?.() ?? os.userInfo().username}`);
}

export async function runNotebook(args: RunArgs, env: RunEnvironment): Promise<number> {
  const { terminal } = env;
  const file = path.resolve(args.file);
  let notebook: DlnbNotebook;
  let original: Buffer;
  try {
    original = await readFile(file);
    notebook = parseNotebook(decodeNotebookBytes(original));
  } catch (error) {
    const reason = error instanceof DlnbFormatError ? error.message : (error as Error).message;
    terminal.stderr(`dlnb: cannot read ${args.file}: ${reason}\n`);
    return EXIT_BAD_INPUT;
  }
  const unwritable = await checkOutputTargets(args);
  if (unwritable) {
    terminal.stderr(`dlnb: ${unwritable}; no cell was run\n`);
    return EXIT_BAD_INPUT;
  }

  const kernel = createKernel({
    workerPath: env.workerPath,
    wasmDir: env.wasmDir,
    notebookDir: path.dirname(file),
    backend: args.backend,
    memoryLimitMb: args.memoryMb,
    memoryLimitSetting: 'raise it with --memory MB',
    secondCore: !args.oneCore,
    maxOutputChars: 200_000,
    livePanel: false,
    chartMaxPoints: 5000,
    cacheDir: kernelCacheDir(),
  });
  const runIdToCell = new Map<number, number>();
  let uncaughtErrors = 0;
  kernel.onUncaught((error, runId) => {
    uncaughtErrors++;
    const cell = error.location?.cell ?? (runId !== undefined ? runIdToCell.get(runId) : undefined) ?? 0;
    terminal.stderr(`uncaught error from a timer or promise of cell ${cell}:\n` + formatCellError(cell, error));
  });
  // Text a timer prints after its cell ended, as it comes (it is not saved with --save).
  kernel.onLateOutput((name, text) => terminal[name](text));
  // After an interrupt the kernel may be stuck; a kernel that ran to the end is given time to finish.
  const interrupts = { sent: false };
  const stopOnSigint = () => {
    interrupts.sent = true;
    void kernel.interrupt();
  };
  process.once('SIGINT', stopOnSigint);
  // Only chart export runs library code in this process (the cells run in the worker): a
  // promise it leaves failing must be reported, not end the run and lose its outputs.
  const onStrayRejection = (reason: unknown) => {
    uncaughtErrors++;
    terminal.stderr(`dlnb: chart export failed: ${reason instanceof Error ? reason.message : String(reason)}\n`);
  };
  process.on('unhandledRejection', onStrayRejection);

  let stopped: boolean | undefined;
  try {
    for (const message of await kernel.start()) terminal.stderr(`dlnb: ${message}\n`);
    const status = await runCells(notebook, kernel, args, terminal, runIdToCell, interrupts);
    const saved = await saveOutputs(notebook, args, original, terminal);
    stopped = await endKernel(kernel, terminal, interrupts.sent);
    if (status !== EXIT_OK || !saved) return status === EXIT_OK ? EXIT_CELL_FAILED : status;
    return uncaughtErrors > 0 ? EXIT_CELL_FAILED : EXIT_OK;
  } finally {
    process.removeListener('SIGINT', stopOnSigint);
    process.removeListener('unhandledRejection', onStrayRejection);
    // Whatever happened above, a kernel that will not end must not hold the command line.
    stopped ??= await endKernel(kernel, terminal, interrupts.sent);
    if (!stopped) await exitStuck(terminal);
  }
}

async function runCells(
  notebook: DlnbNotebook,
  kernel: KernelHandle,
  args: RunArgs,
  terminal: Terminal,
  runIdToCell: Map<number, number>,
  interrupts: { sent: boolean },
): Promise<number> {
  const cellSources = () => notebook.cells.map((cell) => (cell.kind === 'code' ? cell.source : ''));
  let order = 0;
  let chartsFailed = false;
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.kind !== 'code') continue;
    const number = index + 1;
    const recorder = new CellRecorder(terminal);
    const { done, timedOut } = await runWithTimeout(
      kernel,
      { cell: number, source: cell.source, cellSources },
      recorder,
      args.timeoutSeconds,
      interrupts,
    );
    runIdToCell.set(done.id, number);
    recorder.finish();
    if (done.result) recorder.result(done.result);
    if (done.error) recorder.error(done.error);
    for (const note of [replacedNote(done.memory), leakNote(done.memory)]) {
      const lines = note?.split('\n').filter(Boolean) ?? [];
      for (const line of lines) terminal.stderr(`cell ${number}: ${line}\n`);
    }
    cell.outputs = recorder.outputs;
    cell.execution = { order: ++order, durationMs: Math.round(done.durationMs), success: done.status === 'ok' };
    if (args.chartsDir) chartsFailed = !(await exportCharts(recorder.charts(), number, args.chartsDir, terminal)) || chartsFailed;

    if (timedOut) {
      terminal.stderr(`cell ${number}: timed out after ${args.timeoutSeconds} s (--timeout) and was interrupted\n`);
      return EXIT_CELL_FAILED;
    }
    if (done.status !== 'ok') {
      terminal.stderr(done.error ? formatCellError(number, done.error) : `cell ${number}: ${done.status}\n`);
      return EXIT_CELL_FAILED;
    }
  }
  return chartsFailed ? EXIT_CELL_FAILED : EXIT_OK;
}

async function runWithTimeout(
  kernel: KernelHandle,
  run: CellRun,
  recorder: CellRecorder,
  timeoutSeconds: number | undefined,
  interrupts: { sent: boolean },
): Promise<{ done: ExecuteDone; timedOut: boolean }> {
  let timedOut = false;
  const timer =
    timeoutSeconds === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          interrupts.sent = true;
          // A shorter grace than the editor's: the run must end within the limit plus 2 s.
          void kernel.interrupt(TIMEOUT_GRACE_MS);
        }, timeoutSeconds * 1000);
  try {
    const done = await kernel.execute(run, recorder);
    return { done, timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/** Writes each chart as DIR/cell-N-K.svg; false when one could not be written (the run goes on). */
async function exportCharts(specs: object[], cell: number, dir: string, terminal: Terminal): Promise<boolean> {
  let ok = true;
  for (const [i, spec] of specs.entries()) {
    const target = path.join(dir, `cell-${cell}-${i + 1}.svg`);
    try {
      await writeChartSvg(spec, target);
    } catch (error) {
      ok = false;
      terminal.stderr(`dlnb: cell ${cell}: chart ${i + 1} was not exported to ${target}: ${(error as Error).message}\n`);
    }
  }
  return ok;
}

/**
 * --save writes back atomically, unless the file changed on disk while the cells ran: then
 * the outputs go beside it. --out writes elsewhere; the source file is otherwise untouched.
 */
async function saveOutputs(notebook: DlnbNotebook, args: RunArgs, original: Buffer, terminal: Terminal): Promise<boolean> {
  const target = args.out ?? (args.save ? args.file : undefined);
  if (!target) return true;
  const text = serializeNotebook(notebook, { saveOutputs: true });
  try {
    await writeNotebookFileAtomic(path.resolve(target), text, { unchangedSince: args.out ? undefined : original });
    return true;
  } catch (error) {
    if (error instanceof NotebookChangedError) return saveBeside(args.file, text, terminal);
    terminal.stderr(`dlnb: ${(error as Error).message}\n`);
    return false;
  }
}

async function saveBeside(file: string, text: string, terminal: Terminal): Promise<false> {
  try {
    const beside = await writeBeside(path.resolve(file), text);
    terminal.stderr(
      `dlnb: ${file} changed on disk while its cells ran, so it was left as it is; the outputs were saved to ${path.relative(process.cwd(), beside) || beside}\n`,
    );
  } catch (error) {
    terminal.stderr(
      `dlnb: ${file} changed on disk while its cells ran, so it was left as it is; the outputs could not be saved beside it: ${(error as Error).message}\n`,
    );
  }
  return false;
}
