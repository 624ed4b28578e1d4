// Float32 arithmetic of two tensors, four values at a time: add, sub, mul, div and
// squared difference, for the broadcasts a training step makes (same shapes, a scalar on
// either side, a row vector against every row of a matrix), and the gradient of a squared
// difference, 2·(a - b)·dy, in one pass. Each op is IEEE float32 arithmetic in the order
// tfjs's kernels do it, so results are bit for bit the backend's.
//
// Every function is `name(a, b, out, rows, cols)`: out is [rows, cols]; an operand is
// `full` ([rows, cols], read in order), `row` ([cols], the same row for every row of out)
// or `one` (a single value, splatted).
import {
  type Code,
  F32,
  f32Const,
  f32Load,
  f32Mul,
  f32Store,
  f32Sub,
  f32x4Mul,
  f32x4Splat,
  f32x4Sub,
  f32Add,
  f32Div,
  f32x4Add,
  f32x4Div,
  type FunctionSpec,
  I32,
  i32Add,
  i32Const,
  i32GtS,
  i32LeS,
  increment,
  localGet,
  localSet,
  overFloats,
  V128,
  v128Load,
  v128Load32Splat,
  v128Store,
  whileLoop,
} from './wasmBytes';

export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'sqdiff'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export type OperandLayout = 'full' | 'row' | 'one';

/** The operand layouts that have a function: which broadcasts run here, not in the backend. */
export const BINARY_LAYOUTS: readonly (readonly [OperandLayout, OperandLayout])[] = [
  ['full', 'full'],
  ['full', 'one'],
  ['one', 'full'],
  ['full', 'row'],
  ['row', 'full'],
];

export function binaryName(op: BinaryOp, a: OperandLayout, b: OperandLayout): string {
  return `${op}_${a}_${b}`;
}

/** The gradient of a squared difference for its first operand: 2·(a - b)·dy, all three [count]. */
export const SQDIFF_GRAD = 'sqdiff_grad';

// Parameters, then locals.
const [A, B, OUT, ROWS, COLS] = [0, 1, 2, 3, 4];
const [ROW, COL, AP, BP, OP] = [5, 6, 7, 8, 9];
const [A_SPLAT, B_SPLAT, DIFF_VECTOR] = [10, 11, 12];
const [A_ONE, B_ONE, DIFF_SCALAR] = [13, 14, 15];

/** `op` on four lanes (vector) or one value, as tfjs's kernels compute it. */
function apply(op: BinaryOp, vector: boolean, a: Code, b: Code): Code {
  const [add, sub, mul, div] = vector ? [f32x4Add, f32x4Sub, f32x4Mul, f32x4Div] : [f32Add, f32Sub, f32Mul, f32Div];
  if (op === 'add') return add(a, b);
  if (op === 'sub') return sub(a, b);
  if (op === 'mul') return mul(a, b);
  if (op === 'div') return div(a, b);
  // (a - b)², the difference rounded to float32 first, as the backend does.
  const diff = vector ? DIFF_VECTOR : DIFF_SCALAR;
  return [...localSet(diff, sub(a, b)), ...mul(localGet(diff), localGet(diff))];
}

function operand(layout: OperandLayout, pointer: number, splat: number, one: number, vector: boolean): Code {
  if (layout === 'one') return localGet(vector ? splat : one);
  return vector ? v128Load(localGet(pointer)) : f32Load(localGet(pointer));
}

/** Moves a pointer on by `bytes` unless its operand is a single value. */
const advance = (layout: OperandLayout, pointer: number, bytes: number): Code[] =>
  layout === 'one' ? [] : [increment(pointer, i32Const(bytes))];

/** The exported function `<op>_<a>_<b>(a, b, out, rows, cols)`. */
export function binaryFunction(op: BinaryOp, aLayout: OperandLayout, bLayout: OperandLayout): FunctionSpec {
  const element = (vector: boolean): Code[] => {
    const bytes = vector ? 16 : 4;
    const a = operand(aLayout, AP, A_SPLAT, A_ONE, vector);
    const b = operand(bLayout, BP, B_SPLAT, B_ONE, vector);
    const store = vector ? v128Store : f32Store;
    return [
      store(localGet(OP), apply(op, vector, a, b)),
      increment(COL, i32Const(vector ? 4 : 1)),
      increment(OP, i32Const(bytes)),
      ...advance(aLayout, AP, bytes),
      ...advance(bLayout, BP, bytes),
    ];
  };
  // A `row` operand starts over at every row; `full` ones run on through the rows.
  const rowStart = (layout: OperandLayout, pointer: number, base: number): Code[] =>
    layout === 'row' ? [localSet(pointer, localGet(base))] : [];
  const splat = (layout: OperandLayout, base: number, vectorLocal: number, scalarLocal: number): Code[] =>
    layout === 'one'
      ? [localSet(scalarLocal, f32Load(localGet(base))), localSet(vectorLocal, v128Load32Splat(localGet(base)))]
      : [];
  return {
    name: binaryName(op, aLayout, bLayout),
    params: [I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, V128, V128, V128, F32, F32, F32],
    body: [
      ...splat(aLayout, A, A_SPLAT, A_ONE),
      ...splat(bLayout, B, B_SPLAT, B_ONE),
      localSet(AP, localGet(A)),
      localSet(BP, localGet(B)),
      localSet(OP, localGet(OUT)),
      localSet(ROW, i32Const(0)),
      whileLoop(i32GtS(localGet(ROWS), localGet(ROW)), [
        ...rowStart(aLayout, AP, A),
        ...rowStart(bLayout, BP, B),
        localSet(COL, i32Const(0)),
        whileLoop(i32LeS(i32Add(localGet(COL), i32Const(4)), localGet(COLS)), element(true)),
        whileLoop(i32GtS(localGet(COLS), localGet(COL)), element(false)),
        increment(ROW, i32Const(1)),
      ]),
    ],
  };
}

/**
 * `sqdiff_grad(a, b, dy, out, count)`: out = dy · (2 · (a - b)), tfjs's gradient of a
 * squared difference (`mul(dy, mul(2, sub(a, b)))`) in one pass instead of three kernels.
 */
export function squaredDifferenceGradFunction(): FunctionSpec {
  const [a, b, dy, out, count] = [0, 1, 2, 3, 4];
  const [at, two] = [5, 6];
  const address = (base: number) => i32Add(localGet(base), localGet(at));
  const gradient = (vector: boolean): Code[] => {
    const [load, store, mul, sub] = vector ? [v128Load, v128Store, f32x4Mul, f32x4Sub] : [f32Load, f32Store, f32Mul, f32Sub];
    const twice = vector ? localGet(two) : f32Const(2);
    return [store(address(out), mul(load(address(dy)), mul(twice, sub(load(address(a)), load(address(b))))))];
  };
  return {
    name: SQDIFF_GRAD,
    params: [I32, I32, I32, I32, I32],
    locals: [I32, V128],
    body: [localSet(two, f32x4Splat(f32Const(2))), ...overFloats(count, at, gradient)],
  };
}
