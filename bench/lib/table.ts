// One row per figure; every workload returns rows and this file prints them as a table.

/** `x` is a ratio between two of our own figures (a slowdown). */
export type Unit = 's' | 'ms' | 'GFLOP/s' | 'x';

export interface Target {
  /** What is compared: the figure itself, or its ratio to PyTorch. */
  of: 'value' | 'ratio';
  /** The most it may be (times, ratios)... */
  max?: number;
  /** ...or the least (speeds in GFLOP/s). */
  min?: number;
}

export interface Row {
  workload: string;
  variant: string;
  /** Undefined when the row was skipped; `note` says why. */
  value?: number;
  unit: Unit;
  /** PyTorch's figure in the same unit, when PyTorch ran. */
  pytorch?: number;
  /**
   * The figure and PyTorch's from process CPU time rather than wall-clock time: on a busy
   * machine these stay close to what an idle one would show (single-threaded work only).
   */
  cpu?: number;
  pytorchCpu?: number;
  target?: Target;
  note?: string;
}

/** How many times slower than PyTorch (time over time; for GFLOP/s, theirs over ours). */
export function ratioToPyTorch(row: Row): number | undefined {
  return ratio(row.unit, row.value, row.pytorch);
}

/** The same ratio from CPU time. */
export function cpuRatioToPyTorch(row: Row): number | undefined {
  return ratio(row.unit, row.cpu, row.pytorchCpu);
}

function ratio(unit: Unit, ours: number | undefined, theirs: number | undefined): number | undefined {
  if (ours === undefined || theirs === undefined || ours <= 0) return undefined;
  return unit === 'GFLOP/s' ? theirs / ours : ours / theirs;
}

/**
 * Ratio targets are judged on CPU time when both sides have it: on an idle machine it
 * equals wall time, and on a busy one it does not depend on what else was running when
 * PyTorch ran.
 */
export function targetMet(row: Row): boolean | undefined {
  if (!row.target || row.value === undefined) return undefined;
  const figure = row.target.of === 'ratio' ? (cpuRatioToPyTorch(row) ?? ratioToPyTorch(row)) : row.value;
  if (figure === undefined) return undefined;
  const { min, max } = row.target;
  return (min === undefined || figure >= min) && (max === undefined || figure <= max);
}

function formatValue(value: number | undefined, unit: Unit): string {
  if (value === undefined) return '—';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

/** The target as written, `< 0.5 s`, `≥ 65 GFLOP/s`, `≤ 1x` or `≤ 1x PyTorch`; empty without one. */
export function targetLimit(row: Row): string {
  if (!row.target) return '';
  const { of, min, max } = row.target;
  if (of === 'ratio') return `≤ ${max}x PyTorch`;
  if (min !== undefined) return `≥ ${min} ${row.unit}`;
  return row.unit === 'x' ? `≤ ${max}x` : `< ${max} ${row.unit}`;
}

/** ✓ met, ✗ missed, · not measured. */
export function targetMark(row: Row): string {
  const met = targetMet(row);
  return met === undefined ? '·' : met ? '✓' : '✗';
}

function formatTarget(row: Row): string {
  return row.target ? `${targetMark(row)} ${targetLimit(row)}` : '';
}

export function formatTable(rows: Row[]): string {
  const header = ['workload', 'variant', 'figure', 'PyTorch', 'ratio', 'target', 'cpu', 'PyTorch cpu', 'cpu ratio', 'note'];
  const times = (r: number | undefined) => (r === undefined ? '' : `${r.toFixed(2)}x`);
  const cells = rows.map((row) => [
    row.workload,
    row.variant,
    formatValue(row.value, row.unit),
    row.pytorch === undefined ? '' : formatValue(row.pytorch, row.unit),
    times(ratioToPyTorch(row)),
    formatTarget(row),
    row.cpu === undefined ? '' : formatValue(row.cpu, row.unit),
    row.pytorchCpu === undefined ? '' : formatValue(row.pytorchCpu, row.unit),
    times(cpuRatioToPyTorch(row)),
    row.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((s, i) => s.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
