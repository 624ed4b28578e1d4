// How numbers read in tensor and model outputs: short, aligned, and honest about size
// (exponents for very large and very small values, as NumPy prints them).

export function formatValue(value: number | string, dtype: string): string {
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (dtype === 'int32' || (Number.isInteger(value) && Math.abs(value) < 1e6)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e5 || magnitude < 1e-4)) return value.toExponential(3);
  return String(Number(value.toFixed(4)));
}

/** 1234567 -> "1,234,567". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
