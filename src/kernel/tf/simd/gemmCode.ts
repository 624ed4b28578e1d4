// The matrix multiply as WebAssembly SIMD: C[m, n] = A[m, k] · B[k, n] (+ bias[n],
// then relu if asked), every matrix row-major float32 in the backend's own memory.
//
// Why our own: the backend hands products to XNNPACK, which packs B into a new layout on
// every call with a new B. In training every B is new (updated weights, fresh
// gradients), and for 256x256 operands the packing costs about 40% on top of the
// multiply. This kernel reads B in place: for each panel of 8 columns it walks the rows
// of A four at a time, keeping a 4x8 block of C in eight SIMD registers, broadcasting one
// value of A and multiplying it into two 4-wide slices of the B row (loop order chosen
// so the B panel stays in the L1 cache while A streams past). Edges use 4-wide, 1-row
// and scalar blocks. With relaxed SIMD the multiply-adds are fused (FMA).
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
  type FunctionSpec,
  I32,
  F32,
  i32Add,
  i32Const,
  i32GtS,
  i32LeS,
  i32Mul,
  i32Shl,
  ifThen,
  increment,
  localGet,
  localSet,
  V128,
  v128Load,
  v128Load32Splat,
  v128Store,
  whileLoop,
} from './wasmBytes';

// Parameters: byte addresses of A, B, C and bias (0: none), the sizes, and relu (0/1).
// A second function takes A stored transposed ([k, m]), as a gradient's xᵀ·dy has it:
// the block's four values of A at one k are then adjacent, one load and four broadcasts.
const A = 0;
const B = 1;
const C = 2;
const M = 3;
const K = 4;
const N = 5;
const BIAS = 6;
const RELU = 7;
const PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32];

// Locals.
const I = 8; // first row of the block
const J = 9; // first column of the block
const KK = 10; // position along k
const ROW_A = 11; // bytes per row of A (k·4); transposed: bytes per step along k (m·4)
const ROW_B = 12; // bytes per row of B and C (n·4)
const BP = 13; // B[kk, j]
const CP = 14; // C[i, j]
const AP = [15, 16, 17, 18]; // A[i + r, kk] for the block's rows r
const ACC = [19, 20, 21, 22, 23, 24, 25, 26]; // C block, row-major: ACC[r * vectors + v]
const BV = [27, 28]; // the B row's slices
const AV = 29; // A value broadcast
const SCALAR_ACC = [30, 31, 32, 33]; // C block of one column
const SB = 34; // B value
const AB = 35; // one of four A values, broadcast (transposed A)
const LOCALS = [
  I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32,
  V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128,
  F32, F32, F32, F32, F32,
  V128,
];

interface Variant {
  /** Fused multiply-adds (relaxed SIMD). */
  fused: boolean;
  /** A is stored [k, m]. */
  transposedA: boolean;
}

/** One block of `rows` (4 or 1) by `width` (8, 4 or 1) at (I, J). */
function block(rows: number, width: number, { fused, transposedA }: Variant): Code[] {
  const vectors = width / 4;
  const scalar = width === 1;
  const accumulators = scalar ? SCALAR_ACC.slice(0, rows) : ACC.slice(0, rows * vectors);
  const column = (v: number) => v % (scalar ? 1 : vectors);
  const biasAddress = i32Add(localGet(BIAS), i32Shl(localGet(J), i32Const(2)));
  const fromBias = accumulators.map((acc, i) =>
    localSet(acc, scalar ? f32Load(biasAddress) : v128Load(biasAddress, 16 * column(i))),
  );
  const zero = scalar ? f32Const(0) : f32x4Splat(f32Const(0));
  const fromZero = accumulators.map((acc) => localSet(acc, zero));

  // Transposed: one pointer walks A[kk, i..i+4); otherwise one per row walks A[i + r, kk].
  const rowPointers = transposedA
    ? [localSet(AP[0], i32Add(localGet(A), i32Shl(localGet(I), i32Const(2))))]
    : AP.slice(0, rows).map((p, r) =>
        localSet(p, r === 0 ? i32Add(localGet(A), i32Mul(localGet(I), localGet(ROW_A))) : i32Add(localGet(AP[r - 1]), localGet(ROW_A))),
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
    else step.push(localSet(AV, v128Load32Splat(transposedA ? localGet(AP[0]) : localGet(AP[r]))));
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
  step.push(increment(BP, localGet(ROW_B)), increment(KK, i32Const(1)));

  const relu = accumulators.map((acc) => localSet(acc, scalar ? f32Max(localGet(acc), zero) : f32x4Max(localGet(acc), zero)));
  const stores: Code[] = [localSet(CP, i32Add(i32Add(localGet(C), i32Mul(localGet(I), localGet(ROW_B))), i32Shl(localGet(J), i32Const(2))))];
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < (scalar ? 1 : vectors); v++) {
      const acc = accumulators[scalar ? r : r * vectors + v];
      stores.push(scalar ? f32Store(localGet(CP), localGet(acc)) : v128Store(localGet(CP), localGet(acc), 16 * v));
    }
    if (r + 1 < rows) stores.push(increment(CP, localGet(ROW_B)));
  }

  return [
    ifThen(localGet(BIAS), fromBias, fromZero),
    ...rowPointers,
    localSet(BP, i32Add(localGet(B), i32Shl(localGet(J), i32Const(2)))),
    localSet(KK, i32Const(0)),
    whileLoop(i32GtS(localGet(K), localGet(KK)), step),
    ifThen(localGet(RELU), relu),
    ...stores,
  ];
}

/** All blocks of one panel of `width` columns at J: rows four at a time, then one at a time. */
function panel(width: number, variant: Variant): Code[] {
  return [
    localSet(I, i32Const(0)),
    whileLoop(i32LeS(i32Add(localGet(I), i32Const(4)), localGet(M)), [...block(4, width, variant), increment(I, i32Const(4))]),
    whileLoop(i32GtS(localGet(M), localGet(I)), [...block(1, width, variant), increment(I, i32Const(1))]),
    increment(J, i32Const(width)),
  ];
}

/**
 * The exported function `gemm(a, b, c, m, k, n, bias, relu)`, or with a transposed A
 * `gemm_at(...)` with the same parameters (a then holds [k, m]).
 */
export function gemmFunction(variant: Variant): FunctionSpec {
  const panelsWhile = (width: number) =>
    whileLoop(width === 1 ? i32GtS(localGet(N), localGet(J)) : i32LeS(i32Add(localGet(J), i32Const(width)), localGet(N)), panel(width, variant));
  return {
    name: variant.transposedA ? 'gemm_at' : 'gemm',
    params: PARAMS,
    locals: LOCALS,
    body: [
      localSet(ROW_A, i32Shl(localGet(variant.transposedA ? M : K), i32Const(2))),
      localSet(ROW_B, i32Shl(localGet(N), i32Const(2))),
      localSet(J, i32Const(0)),
      panelsWhile(8),
      panelsWhile(4),
      panelsWhile(1),
    ],
  };
}
