// Turns what users pass to `plot.*` into plain number columns: arrays, typed arrays,
// tfjs tensors (read by duck type, so a tensor from any copy of tfjs works) and arrays
// of objects with named fields. Charts are small, so reading tensors synchronously is fine.

/** The part of a tfjs `Tensor` the plot API reads. */
export interface TensorLike {
  shape: number[];
  dataSync(): ArrayLike<number> | ArrayLike<string> | ArrayLike<boolean>;
}

/** A column of numbers: a plain array, a typed array or a 1-D (or `[n,1]`) tensor. */
export type NumbersLike = ArrayLike<number> | TensorLike;

/** Points: `[n,2]` tensor, `[[x, y], ...]` pairs, or objects with named fields. */
export type PointsLike = TensorLike | ArrayLike<readonly number[]> | ReadonlyArray<Record<string, unknown>>;

/** Anything `plot.line` / `plot.scatter` accept as their first argument. */
export type PlotData = NumbersLike | PointsLike;

/** One set of points: x and y columns, and an optional group (series name) per point. */
export interface Columns {
  xs: Float64Array;
  ys: Float64Array;
  groups?: string[];
}

export function isTensorLike(value: unknown): value is TensorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as TensorLike).shape) &&
    typeof (value as TensorLike).dataSync === 'function'
  );
}

/** True for anything that can stand as chart data (as opposed to an options object). */
export function isDataLike(value: unknown): value is PlotData {
  return isTensorLike(value) || Array.isArray(value) || ArrayBuffer.isView(value);
}

function describe(value: unknown): string {
  if (isTensorLike(value)) return `a tensor of shape [${value.shape.join(',')}]`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return value === null ? 'null' : typeof value;
}

function toNumber(value: unknown, where: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || value === undefined) return NaN;
  if (isTensorLike(value) && value.shape.every((d) => d === 1)) return Number(value.dataSync()[0]);
  throw new TypeError(`${where}: expected numbers, got ${typeof value} (${String(value).slice(0, 40)})`);
}

/**
 * Reads a column of numbers. Tensors must be 1-D or `[n,1]` unless `flatten` is set
 * (histograms take values of any shape).
 */
export function toNumbers(value: unknown, where: string, flatten = false): Float64Array {
  if (isTensorLike(value)) {
    const { shape } = value;
    const columnShaped = shape.length === 1 || (shape.length === 2 && shape[1] === 1);
    if (!flatten && !columnShaped) {
      throw new TypeError(`${where}: expected a 1-D tensor or shape [n,1], got shape [${shape.join(',')}]`);
    }
    return Float64Array.from(value.dataSync() as ArrayLike<number>, (v) => toNumber(v, where));
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Float64Array.from(value as unknown as ArrayLike<number>, Number);
  }
  if (Array.isArray(value)) {
    const items = flatten ? (value.flat(Infinity) as unknown[]) : value;
    return Float64Array.from(items, (v, i) => toNumber(v, `${where}[${i}]`));
  }
  throw new TypeError(`${where}: expected an array, a typed array or a tensor, got ${describe(value)}`);
}

/** Group names per point from `by`: a field of object rows, or one label per point. */
export function toGroups(by: unknown, rows: unknown, n: number, where: string): string[] | undefined {
  if (by === undefined) return undefined;
  let labels: unknown[];
  if (typeof by === 'string') {
    if (!isObjectRows(rows)) throw new TypeError(`${where}: by: '${by}' names a field, so pass an array of objects`);
    labels = rows.map((row) => row[by]);
  } else if (isTensorLike(by)) {
    labels = Array.from(by.dataSync() as ArrayLike<unknown>);
  } else if (Array.isArray(by) || ArrayBuffer.isView(by)) {
    labels = Array.from(by as ArrayLike<unknown>);
  } else {
    throw new TypeError(`${where}: by must be a field name, an array of labels or a tensor, got ${describe(by)}`);
  }
  if (labels.length !== n) throw new RangeError(`${where}: by has ${labels.length} labels for ${n} points`);
  return labels.map((label) => String(label));
}

export function isObjectRows(value: unknown): value is Array<Record<string, unknown>> {
  return (
    Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null && !Array.isArray(value[0])
  );
}

export interface FieldNames {
  /** Field of object rows that holds x (default `x`). */
  x?: string;
  /** Field of object rows that holds y (default `y`). */
  y?: string;
}

/**
 * Reads points from one argument: numbers alone (y against their index), `[n,2]` tensors,
 * `[x, y]` pairs, or object rows with fields `x` and `y` (or the names given).
 */
export function toColumns(data: unknown, fields: FieldNames, where: string): Columns {
  if (isObjectRows(data)) {
    const xField = fields.x ?? 'x';
    const yField = fields.y ?? 'y';
    for (const field of [xField, yField]) {
      if (!(field in data[0])) {
        const known = Object.keys(data[0]).join(', ');
        throw new TypeError(
          `${where}: the rows have no field '${field}' (they have: ${known}); name it with { x: '...', y: '...' }`,
        );
      }
    }
    return {
      xs: Float64Array.from(data, (row, i) => toNumber(row[xField], `${where}: row ${i}.${xField}`)),
      ys: Float64Array.from(data, (row, i) => toNumber(row[yField], `${where}: row ${i}.${yField}`)),
    };
  }
  if (isTensorLike(data) && data.shape.length === 2 && data.shape[1] === 2) {
    return splitPairs(Float64Array.from(data.dataSync() as ArrayLike<number>, Number));
  }
  if (Array.isArray(data) && data.length > 0 && Array.isArray(data[0])) {
    if (!data.every((p) => Array.isArray(p) && p.length === 2)) {
      throw new TypeError(`${where}: expected [x, y] pairs`);
    }
    return splitPairs(Float64Array.from(data.flat() as unknown[], (v, i) => toNumber(v, `${where}[${i >> 1}]`)));
  }
  if (isTensorLike(data) && data.shape.length > 1 && !(data.shape.length === 2 && data.shape[1] === 1)) {
    throw new TypeError(`${where}: expected a tensor of shape [n], [n,1] or [n,2], got [${data.shape.join(',')}]`);
  }
  const ys = toNumbers(data, where);
  return { xs: Float64Array.from(ys, (_, i) => i), ys };
}

/** Reads separate x and y columns, which must have the same length. */
export function toXY(x: unknown, y: unknown, where: string): Columns {
  const xs = toNumbers(x, `${where}: x`);
  const ys = toNumbers(y, `${where}: y`);
  if (xs.length !== ys.length) {
    throw new RangeError(`${where}: x has ${xs.length} values but y has ${ys.length}`);
  }
  return { xs, ys };
}

function splitPairs(flat: Float64Array): Columns {
  const n = flat.length / 2;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = flat[2 * i];
    ys[i] = flat[2 * i + 1];
  }
  return { xs, ys };
}
