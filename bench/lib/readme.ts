// `npm run bench -- --readme`: rewrites the speed table in README.md, between its
// `speed-table` markers, from this run's rows. The table is never edited by hand, so what
// the README claims is what the bench last measured.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PyTorchResult } from './pytorch';
import { CORES_WORKLOAD } from '../workloads/cores';
import { targetLimit, targetMark, type Row } from './table';

const START = '<!-- speed-table:start (written by `npm run bench -- --readme`) -->';
const END = '<!-- speed-table:end -->';

const USER_PATH = 'as users meet it';
const COLUMNS = [
  'first run, cells sent as the kernel starts',
  'first run, cells sent 2 s after the kernel starts',
  'warm runs',
] as const;

function ratioCell(row: Row | undefined): string {
  if (row?.value === undefined) return '—';
  const target = row.target ? ` (${targetLimit(row)} ${targetMark(row)})` : '';
  return `${row.value.toFixed(2)}x${target}`;
}

function userPathTable(rows: Row[]): string[] {
  const programs = [...new Set(rows.filter((r) => r.workload === USER_PATH).map((r) => r.variant.split(': ')[0]))];
  const find = (program: string, column: string) =>
    rows.find((r) => r.workload === USER_PATH && r.variant === `${program}: ${column}`);
  return [
    `| program, as notebook cells | ${COLUMNS.join(' | ')} |`,
    `| --- | ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...programs.map((program) => `| ${program} | ${COLUMNS.map((column) => ratioCell(find(program, column))).join(' | ')} |`),
  ];
}

/** `target ≥ 65 GFLOP/s ✗` for a row with a target, else empty. */
function targetText(row: Row): string {
  return row.target ? `target ${targetLimit(row)} ${targetMark(row)}` : '';
}

/** `- label: figure (details)`, leaving out empty details. */
function listLine(label: string, figure: string, details: string[]): string {
  const shown = details.filter(Boolean);
  return `- ${label}: ${figure}${shown.length ? ` (${shown.join('; ')})` : ''}`;
}

function otherRows(rows: Row[]): string[] {
  const pick = (workload: string, variant: string) => rows.find((r) => r.workload === workload && r.variant === variant);
  const lines: string[] = [];
  const matMul = pick('matMul 512x512', 'plain, wasm + dlnb kernels');
  if (matMul?.value !== undefined) {
    const theirs = matMul.pytorch === undefined ? '' : `PyTorch, one thread: ${matMul.pytorch.toFixed(0)}`;
    lines.push(
      listLine('512x512 matrix multiply, one thread', `${matMul.value.toFixed(1)} GFLOP/s`, [theirs, targetText(matMul)]),
    );
  }
  for (const row of rows.filter((r) => r.workload === CORES_WORKLOAD && r.value !== undefined)) {
    lines.push(listLine(row.variant, `${row.value!.toFixed(2)}x`, [row.note?.split('; ')[1] ?? '', targetText(row)]));
  }
  const figures: [row: Row | undefined, label: string, digits: number][] = [
    [pick('kernel', 'cold start to first tfjs result'), 'kernel start to the first tfjs result', 2],
    [pick('kernel', 'round trip of `1 + 1`'), 'round trip of a trivial cell', 2],
    [pick('extension', 'activation (require + activate)'), 'extension activation', 1],
  ];
  for (const [row, label, digits] of figures) {
    if (row?.value !== undefined) lines.push(listLine(label, `${row.value.toFixed(digits)} ${row.unit}`, [targetText(row)]));
  }
  return lines;
}

/** The README's table; `runtime` names the Node that ran dlnb. */
export function speedTable(rows: Row[], pytorch: PyTorchResult, date: string, runtime: string): string {
  const reference = pytorch.available
    ? `PyTorch ${pytorch.torch} on one thread with OpenBLAS${pytorch.forcedCore ? ` (${pytorch.forcedCore} kernels)` : ''}`
    : 'PyTorch (not available in this run)';
  return [
    START,
    `Time as a ratio to ${reference}, dlnb on ${runtime}, median of paired runs in fresh processes (measured ${date.slice(0, 10)}, ` +
      `${rows.find((r) => r.workload === USER_PATH)?.note?.split(',')[0] ?? 'no'} each; lower is better):`,
    '',
    ...userPathTable(rows),
    '',
    ...otherRows(rows),
    END,
  ].join('\n');
}

/**
 * Replaces the table between the markers, formatted as `npm run format:check` wants it;
 * false when README.md has no markers.
 */
export async function writeSpeedTable(root: string, table: string): Promise<boolean> {
  const file = path.join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return false;
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = readme.slice(0, start) + table + readme.slice(end + END.length);
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
  return true;
}
