// Sums the rows of a matrix: out[j] = Σᵢ x[i, j], for x [rows, cols] float32. This is
// the gradient of a broadcast bias (every dense layer's backward pass). The backend's
// own Sum transposes x first so that the summed axis is innermost; here each row is
// added into `out` four lanes at a time, reading x once, in order.
import {
  type Code,
  f32Add,
  f32Const,
  f32Load,
  f32Store,
  f32x4Add,
  f32x4Splat,
  type FunctionSpec,
  I32,
  i32Add,
  i32Const,
  i32GtS,
  i32LeS,
  increment,
  localGet,
  localSet,
  v128Load,
  v128Store,
  whileLoop,
} from './wasmBytes';

// Parameters: byte addresses of x and out, then rows and cols.
const X = 0;
const OUT = 1;
const ROWS = 2;
const COLS = 3;
// Locals.
const I = 4;
const J = 5;
const XP = 6; // x[i, j]
const OP = 7; // out[j]

/** Runs `body` for j = 0, 4, 8, ... while 4 columns remain, then for each column left. */
function columns(vectorBody: Code[], scalarBody: Code[]): Code[] {
  return [
    localSet(J, i32Const(0)),
    localSet(OP, localGet(OUT)),
    whileLoop(i32LeS(i32Add(localGet(J), i32Const(4)), localGet(COLS)), [
      ...vectorBody,
      increment(J, i32Const(4)),
      increment(OP, i32Const(16)),
      increment(XP, i32Const(16)),
    ]),
    whileLoop(i32GtS(localGet(COLS), localGet(J)), [
      ...scalarBody,
      increment(J, i32Const(1)),
      increment(OP, i32Const(4)),
      increment(XP, i32Const(4)),
    ]),
  ];
}

/** The exported function `column_sum(x, out, rows, cols)`. */
export function columnSumFunction(): FunctionSpec {
  const zeroOut = columns([v128Store(localGet(OP), f32x4Splat(f32Const(0)))], [f32Store(localGet(OP), f32Const(0))]);
  const addRow = columns(
    [v128Store(localGet(OP), f32x4Add(v128Load(localGet(OP)), v128Load(localGet(XP))))],
    [f32Store(localGet(OP), f32Add(f32Load(localGet(OP)), f32Load(localGet(XP))))],
  );
  return {
    name: 'column_sum',
    params: [I32, I32, I32, I32],
    locals: [I32, I32, I32, I32],
    body: [
      ...zeroOut,
      localSet(XP, localGet(X)),
      localSet(I, i32Const(0)),
      whileLoop(i32GtS(localGet(ROWS), localGet(I)), [...addRow, increment(I, i32Const(1))]),
    ],
  };
}
