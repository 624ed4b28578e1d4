// A tensor's full values as text for "Show Values" and "Copy Values": nested arrays that
// paste straight back into `tf.tensor(...)`, float32 values written with as few digits as
// still read back to the same float32.

/** Tensors larger than this are cut, with a note, so the text stays openable. */
export const MAX_TEXT_VALUES = 1_000_000;

/** Shortest decimal that rounds to the same float32, e.g. 0.1 rather than 0.10000000149011612. */
export function float32Text(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

function formatOne(value: number, dtype: string): string {
  if (dtype === 'bool') return value ? 'true' : 'false';
  if (dtype === 'float32') return Number.isNaN(value) ? 'NaN' : float32Text(value);
  return String(value);
}

/**
 * Row-major `values` as nested arrays; rows of the innermost dimension stay on one line.
 * `values` may hold fewer elements than `shape` (cut at MAX_TEXT_VALUES): a note ends the text.
 */
export function formatValues(values: ArrayLike<number>, shape: number[], dtype: string): string {
  if (shape.length === 0) return formatOne(values[0], dtype);
  if (shape.includes(0)) return '['.repeat(shape.length) + ']'.repeat(shape.length);
  const limit = Math.min(values.length, MAX_TEXT_VALUES);
  const lines: string[] = [];
  // Walks the innermost rows in order, opening and closing brackets as indices roll over.
  const rowLength = shape[shape.length - 1];
  const outer = shape.slice(0, -1);
  const rows = outer.reduce((a, b) => a * b, 1);
  const index = outer.map(() => 0);
  for (let row = 0; row < rows; row++) {
    const start = row * rowLength;
    if (start >= limit && rowLength > 0) {
      lines.push(`  … ${rows * rowLength - start} more values not shown`);
      break;
    }
    let opened = 0;
    for (let d = outer.length - 1; d >= 0 && index[d] === 0; d--) opened++;
    const cells: string[] = [];
    for (let i = start; i < Math.min(start + rowLength, limit); i++) cells.push(formatOne(values[i], dtype));
    let closed = 0;
    for (let d = outer.length - 1; d >= 0 && index[d] === outer[d] - 1; d--) closed++;
    // Continuation rows line up under the first row's innermost bracket.
    const indent = row === 0 ? '' : ' '.repeat(outer.length - opened);
    const line = `${indent}${'['.repeat(opened + 1)}${cells.join(', ')}]${']'.repeat(closed)}`;
    lines.push(row === rows - 1 ? line : line + ',');
    for (let d = outer.length - 1; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
  return lines.join('\n');
}
