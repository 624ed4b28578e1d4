// Turns errors thrown by cell code into what users need: frames as `cell N, line L`
// (through each compiled cell's source map), kernel and Node internals hidden, and a
// hint when a ReferenceError names something another cell declares but has not run.
// Library frames (tfjs is bundled into the kernel, packages a cell imports) are folded into
// one line after the cell frames: they are where an error was thrown, rarely what to fix.
import { SourceMap, type SourceMapPayload } from 'node:module';
import type { CellError, CellLocation } from '../../shared/protocol';
import { inspectValue } from './display';

interface CompiledCell {
  cell: number;
  map: SourceMap;
  /** 1-based line of the compiler's closing `})();`: frames there are the wrapper's call. */
  wrapperLine: number;
}

/** Source maps kept per compiled run: a function from cell 3 may throw when cell 5 calls it. */
const MAX_KEPT_MAPS = 5000;

export class CellSourceMaps {
  private readonly byFile = new Map<string, CompiledCell>();

  add(fileName: string, cell: number, map: object, code: string): void {
    const wrapperLine = code.trimEnd().split('\n').length;
    this.byFile.set(fileName, { cell, map: new SourceMap(map as SourceMapPayload), wrapperLine });
    if (this.byFile.size > MAX_KEPT_MAPS) this.byFile.delete(this.byFile.keys().next().value as string);
  }

  /**
   * Maps a 1-based generated position to the cell's own 1-based line and column. Code the
   * compiler added (loop ticks) maps to the nearest user code before it; the wrapper's
   * own call is 'wrapper'; files that are not cells give undefined.
   */
  locate(fileName: string, line: number, column: number): CellLocation | 'wrapper' | undefined {
    const compiled = this.byFile.get(fileName);
    if (!compiled) return undefined;
    if (line >= compiled.wrapperLine) return 'wrapper';
    const entry = compiled.map.findEntry(line - 1, column - 1);
    if (!('originalLine' in entry)) return { cell: compiled.cell, line: 1 };
    return { cell: compiled.cell, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
}

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * V8 records 10 frames by default: an error thrown inside tfjs (reshape's shape check is
 * a dozen calls deep) then has no cell frame left to name. Deep enough for any library,
 * bounded so a runaway recursion's RangeError stays cheap to build.
 */
export const STACK_FRAMES_KEPT = 200;

export function keepDeepStacks(): void {
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, STACK_FRAMES_KEPT);
}

/** The one line that stands for frames outside the cells. */
export function foldedFramesLine(count: number): string {
  return `    ... ${count} ${count === 1 ? 'frame' : 'frames'} inside tfjs or other libraries`;
}

/** Builds a CellError from anything a cell threw. */
export function toCellError(thrown: unknown, maps: CellSourceMaps): CellError {
  const isError = thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'stack' in thrown);
  if (!isError) {
    const message = typeof thrown === 'string' ? thrown : inspectValue(thrown);
    return { name: 'Uncaught', message, stack: `Uncaught ${message}` };
  }
  const error = thrown as Error;
  const name = String(error.name ?? 'Error');
  const message = String(error.message ?? '');
  const frames: string[] = [];
  let location: CellLocation | undefined;
  // Frames not in a cell, counted only while a cell frame may still follow: those after the
  // outermost cell frame are the kernel running the cell, not a library the cell called.
  let libraryFrames = 0;
  let pending = 0;
  for (const raw of String(error.stack ?? '').split('\n')) {
    const match = FRAME.exec(raw);
    if (!match) continue;
    const [, fn, file, line, column] = match;
    const where = maps.locate(file, Number(line), Number(column));
    if (where === 'wrapper') break;
    if (!where) {
      pending++;
      continue;
    }
    libraryFrames += pending;
    pending = 0;
    location ??= where;
    const place = `cell ${where.cell}, line ${where.line}`;
    frames.push(fn ? `    at ${fn} (${place})` : `    at ${place}`);
  }
  if (libraryFrames > 0) frames.push(foldedFramesLine(libraryFrames));
  const header = message ? `${name}: ${message}` : name;
  return { name, message, stack: [header, ...frames].join('\n'), location };
}

/** A CellError for a cell that did not compile. */
export function syntaxError(cell: number, diagnostics: { message: string; line: number; column: number }[]): CellError {
  const first = diagnostics[0];
  const location: CellLocation = { cell, line: first.line, column: first.column };
  const lines = diagnostics.map((d) => `    at cell ${cell}, line ${d.line}: ${d.message}`);
  return { name: 'SyntaxError', message: first.message, stack: [`SyntaxError: ${first.message}`, ...lines].join('\n'), location };
}

/** The name in `x is not defined`, when that is the error. */
export function undefinedName(error: CellError): string | undefined {
  if (error.name !== 'ReferenceError') return undefined;
  return /^(\S+) is not defined$/.exec(error.message)?.[1];
}
