// Words and numbers the host shows to users: memory sizes, tensor deltas, the status bar
// text and error outputs. Pure, so it is tested without VS Code.
import type { CellError, MemoryReport } from '../shared/protocol';
import type { KernelState } from '../kernel-client/types';
import { formatBytes, plural } from '../shared/memoryText';

export { formatBytes, leakNote, replacedNote } from '../shared/memoryText';

/** "+3 tensors" / "-2 tensors" for the cell status bar; undefined when the count did not change. */
export function tensorDeltaLabel(memory: MemoryReport): string | undefined {
  const delta = memory.tensorsAfter - memory.tensorsBefore;
  if (delta === 0) return undefined;
  return `${delta > 0 ? '+' : '-'}${plural(Math.abs(delta), 'tensor')}`;
}

export function tensorDeltaTooltip(memory: MemoryReport): string {
  const bytes = memory.bytesAfter - memory.bytesBefore;
  const sign = bytes >= 0 ? '+' : '-';
  return (
    `Live tensors: ${memory.tensorsBefore} before this cell, ${memory.tensorsAfter} after ` +
    `(${sign}${formatBytes(Math.abs(bytes))}).`
  );
}

export interface KernelStatus {
  /** Undefined until the notebook's kernel is first started. */
  state: KernelState | undefined;
  backend: string | undefined;
  tensors: number | undefined;
  bytes: number | undefined;
}

const STATE_ICON: Record<KernelState, string> = {
  starting: '$(loading~spin)',
  busy: '$(loading~spin)',
  idle: '$(circle-outline)',
  dead: '$(error)',
};

/** The status bar text: state, backend and live tensor memory. */
export function statusBarText(status: KernelStatus): string {
  if (!status.state) return '$(circle-outline) TF.js: not started';
  const backend = status.backend ? ` ${status.backend}` : '';
  let text = `${STATE_ICON[status.state]} TF.js${backend}: ${status.state}`;
  if (status.tensors !== undefined && status.state !== 'dead') {
    text += ` · ${plural(status.tensors, 'tensor')}`;
    if (status.bytes !== undefined) text += ` (${formatBytes(status.bytes)})`;
  }
  return text;
}

export interface ErrorOutput {
  name: string;
  message: string;
  stack: string;
}

/** ANSI styles VS Code's error renderer draws (the colours of the theme's terminal palette). */
const ANSI = { errorName: '\x1b[1;31m', place: '\x1b[32m', folded: '\x1b[2m', hint: '\x1b[36m', reset: '\x1b[0m' };

/** One line of a kernel stack, styled: the error's name red, `cell N, line L` green, folded frames dim. */
function styleLine(line: string, index: number, name: string): string {
  if (index === 0 && line.startsWith(name)) return `${ANSI.errorName}${name}${ANSI.reset}${line.slice(name.length)}`;
  if (/^\s+\.\.\. /.test(line)) return `${ANSI.folded}${line}${ANSI.reset}`;
  return line.replace(/cell \d+, line \d+/g, (place) => `${ANSI.place}${place}${ANSI.reset}`);
}

/** A stack without its ANSI styles: what the log and tests read. */
export function plainStack(stack: string): string {
  return stack.replace(/\x1b\[[\d;]*m/g, '');
}

/**
 * The kernel's error as VS Code's error renderer shows it: a `Name: message` header in red,
 * the cell frames (`cell N, line L`) first, library frames folded into one dim line, and
 * the hint after a blank line. The renderer draws ANSI styles, as it does for Jupyter's tracebacks.
 */
export function errorOutput(error: CellError): ErrorOutput {
  const header = `${error.name}: ${error.message}`;
  let stack = error.stack.trimEnd();
  if (!stack.startsWith(header)) stack = stack.trim() ? `${header}\n${stack}` : header;
  stack = stack
    .split('\n')
    .map((line, index) => styleLine(line, index, error.name))
    .join('\n');
  if (error.hint) stack += `\n\n${ANSI.hint}Hint: ${error.hint}${ANSI.reset}`;
  return { name: error.name, message: error.message, stack };
}

/** An error that the host itself reports in a cell (kernel gone, workspace untrusted). */
export function hostErrorOutput(name: string, message: string): ErrorOutput {
  return { name, message, stack: `${name}: ${message}` };
}

/** Any thrown value as one line for users and the log. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
