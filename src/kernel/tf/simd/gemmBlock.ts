// One block of the matrix multiply's output as WebAssembly SIMD: a few rows by a few
// columns of C, accumulated in registers over all of k, then bias, relu and stores.
// gemmCode.ts walks these blocks over the whole product.
import {
  A,
  B,
  C,
  K,
  BIAS,
  RELU,
  I,
  J,
  KK,
  ROW_A,
  ROW_B,
  BP,
  CP,
  AP,
  ACC,
  BV,
  AV,
  SCALAR_ACC,
  SB,
  AB,
  type Variant,
  panelAddress,
  tailColumns,
} from './gemmLayout';
import {
  type Code,
  f32Add,
  f32Const,
  f32Load,
  f32Max,
  f32Mul,
  f32Store,
  f32x4Add,
  f32x4Broadcast,
  f32x4Max,
  f32x4Mul,
  f32x4RelaxedMadd,
  f32x4Splat,
  i32Add,
  i32Const,
  i32GtS,
  i32Mul,
  i32Shl,
  ifThen,
  increment,
  localGet,
  localSet,
  v128Load,
  v128Load32Lane,
  v128Load32Splat,
  v128Load32Zero,
  v128Store,
  v128Store32Lane,
  v128Store64Lane,
  whileLoop,
} from './wasmBytes';

/**
 * The bias of a tail panel's columns, read without reading past the bias (lanes past its
 * columns are zero), into every accumulator.
 */
function tailBias(accumulators: number[], biasAddress: Code): Code[] {
  const [first] = accumulators;
  return [
    localSet(first, v128Load32Zero(biasAddress)),
    ifThen(i32GtS(tailColumns(), i32Const(1)), [localSet(first, v128Load32Lane(biasAddress, localGet(first), 1, 4))]),
    ifThen(i32GtS(tailColumns(), i32Const(2)), [localSet(first, v128Load32Lane(biasAddress, localGet(first), 2, 8))]),
    ...accumulators.slice(1).map((acc) => localSet(acc, localGet(first))),
  ];
}

/** Stores a tail panel's columns of one row of C, and nothing past them. */
function tailStore(acc: number): Code {
  return ifThen(
    i32GtS(tailColumns(), i32Const(1)),
    [
      v128Store64Lane(localGet(CP), localGet(acc), 0),
      ifThen(i32GtS(tailColumns(), i32Const(2)), [v128Store32Lane(localGet(CP), localGet(acc), 2, 8)]),
    ],
    [v128Store32Lane(localGet(CP), localGet(acc), 0)],
  );
}

/**
 * One block of `rows` (up to MAX_BLOCK_ROWS) by `width` (8, 4 or 1) at (I, J). A `tail`
 * block is 4 wide over a packed panel whose last columns are zeros (see gemmCode.ts): it
 * multiplies all four and loads and stores only the columns C has.
 */
export function block(rows: number, width: number, { fused, transposedA, packed }: Variant, tail = false): Code[] {
  const vectors = width / 4;
  const scalar = width === 1;
  const accumulators = scalar ? SCALAR_ACC.slice(0, rows) : ACC.slice(0, rows * vectors);
  const column = (v: number) => v % (scalar ? 1 : vectors);
  const biasAddress = i32Add(localGet(BIAS), i32Shl(localGet(J), i32Const(2)));
  const fromBias = tail
    ? tailBias(accumulators, biasAddress)
    : accumulators.map((acc, i) => localSet(acc, scalar ? f32Load(biasAddress) : v128Load(biasAddress, 16 * column(i))));
  const zero = scalar ? f32Const(0) : f32x4Splat(f32Const(0));
  const fromZero = accumulators.map((acc) => localSet(acc, zero));

  // Transposed: one pointer walks A[kk, i..i+4); otherwise one per row walks A[i + r, kk].
  const rowPointers = transposedA
    ? [localSet(AP[0], i32Add(localGet(A), i32Shl(localGet(I), i32Const(2))))]
    : AP.slice(0, rows).map((p, r) =>
        localSet(
          p,
          r === 0 ? i32Add(localGet(A), i32Mul(localGet(I), localGet(ROW_A))) : i32Add(localGet(AP[r - 1]), localGet(ROW_A)),
        ),
      );
  const aScalar = (r: number) => (transposedA ? f32Load(localGet(AP[0]), 4 * r) : f32Load(localGet(AP[r])));
  const step: Code[] = [];
  if (scalar) step.push(localSet(SB, f32Load(localGet(BP))));
  else for (let v = 0; v < vectors; v++) step.push(localSet(BV[v], v128Load(localGet(BP), 16 * v)));
  const fourAdjacent = transposedA && rows === 4 && !scalar;
  if (fourAdjacent) step.push(localSet(AV, v128Load(localGet(AP[0]))));
  for (let r = 0; r < rows; r++) {
    if (scalar) {
      const acc = SCALAR_ACC[r];
      step.push(localSet(acc, f32Add(localGet(acc), f32Mul(aScalar(r), localGet(SB)))));
      continue;
    }
    const aValue = fourAdjacent ? AB : AV;
    if (fourAdjacent) step.push(localSet(AB, f32x4Broadcast(localGet(AV), r)));
    else if (transposedA) step.push(localSet(AV, v128Load32Splat(localGet(AP[0]), 4 * r)));
    else step.push(localSet(AV, v128Load32Splat(localGet(AP[r]))));
    for (let v = 0; v < vectors; v++) {
      const acc = ACC[r * vectors + v];
      const product = fused
        ? f32x4RelaxedMadd(localGet(aValue), localGet(BV[v]), localGet(acc))
        : f32x4Add(localGet(acc), f32x4Mul(localGet(aValue), localGet(BV[v])));
      step.push(localSet(acc, product));
    }
  }
  if (transposedA) step.push(increment(AP[0], localGet(ROW_A)));
  else for (let r = 0; r < rows; r++) step.push(increment(AP[r], i32Const(4)));
  // A panel holds its k rows of `width` values back to back.
  step.push(increment(BP, packed ? i32Const(width * 4) : localGet(ROW_B)), increment(KK, i32Const(1)));

  const relu = accumulators.map((acc) => localSet(acc, scalar ? f32Max(localGet(acc), zero) : f32x4Max(localGet(acc), zero)));
  const stores: Code[] = [
    localSet(CP, i32Add(i32Add(localGet(C), i32Mul(localGet(I), localGet(ROW_B))), i32Shl(localGet(J), i32Const(2)))),
  ];
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < (scalar ? 1 : vectors); v++) {
      const acc = accumulators[scalar ? r : r * vectors + v];
      if (tail) stores.push(tailStore(acc));
      else stores.push(scalar ? f32Store(localGet(CP), localGet(acc)) : v128Store(localGet(CP), localGet(acc), 16 * v));
    }
    if (r + 1 < rows) stores.push(increment(CP, localGet(ROW_B)));
  }

  return [
    ifThen(localGet(BIAS), fromBias, fromZero),
    ...rowPointers,
    localSet(BP, packed ? panelAddress() : i32Add(localGet(B), i32Shl(localGet(J), i32Const(2)))),
    localSet(KK, i32Const(0)),
    whileLoop(i32GtS(localGet(K), localGet(KK)), step),
    ifThen(localGet(RELU), relu),
    ...stores,
  ];
}
