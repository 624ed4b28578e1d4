// Numbers and shapes as the panel shows them. Pure.

/** Four significant digits without trailing zeros: 0.061345 -> "0.06135", 3 -> "3". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  return String(Number(value.toPrecision(4)));
}

/** [1, 1] -> "[1,1]"; a scalar -> "[]". */
export function formatShape(shape: readonly number[] | undefined): string {
  return `[${(shape ?? []).join(',')}]`;
}

export function elementCount(shape: readonly number[] | undefined): number {
  return (shape ?? []).reduce((a, b) => a * b, 1);
}

/** 12345 -> "12,345". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function plural(count: number, word: string, words = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : words}`;
}
