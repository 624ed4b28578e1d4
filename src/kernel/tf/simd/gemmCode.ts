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

// Parameters: byte addresses of A, B, C and bias (0: none), the sizes, relu (0/1), and
// scratch for a packed panel. Variants take A stored transposed ([k, m]), as a
// gradient's xᵀ·dy has it (the block's four values of A at one k are then adjacent: one
// load and four broadcasts); and, packed, B stored transposed ([n, k]), as dy·Wᵀ has it.
//
// Packed variants first copy B into contiguous panels of k rows by 8 columns (a
// transposed B is transposed on the way, at no extra pass), then run chunks of rows
// over the panels (see gemmFunction).
const A = 0;
const B = 1;
const C = 2;
const M = 3;
const K = 4;
const N = 5;
const BIAS = 6;
const RELU = 7;
const PANEL = 8; // packed variants: scratch for one panel of B (k·8 floats)
const PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32, I32];

// Locals.
const I = 9; // first row of the block
const J = 10; // first column of the block
const KK = 11; // position along k
const ROW_A = 12; // bytes per row of A (k·4); transposed: bytes per step along k (m·4)
const ROW_B = 13; // bytes per row of B and C (n·4)
const BP = 14; // B[kk, j]
const CP = 15; // C[i, j]
const AP = [16, 17, 18, 19]; // A[i + r, kk] for the block's rows r
const ACC = [20, 21, 22, 23, 24, 25, 26, 27]; // C block, row-major: ACC[r * vectors + v]
const BV = [28, 29]; // the B row's slices
const AV = 30; // A value broadcast
const SCALAR_ACC = [31, 32, 33, 34]; // C block of one column
const SB = 35; // B value
const AB = 36; // one of four A values, broadcast (transposed A)
const SRC = 37; // packing: where the next B value comes from
const DST = 38; // packing: where it goes in the panel
const COL = 39; // packing a transposed B: the column
const CHUNK = 40; // packed: the first row of the chunk of rows
const ROW_END = 41; // the row after the last of the rows being done
const LOCALS = [
  I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32,
  V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128,
  F32, F32, F32, F32, F32,
  V128,
  I32, I32, I32, I32, I32,
];

/** Rows of A per chunk in packed variants: 16 rows of k = 256 are 16 kB, half an L1 cache. */
const ROWS_PER_CHUNK = 16;

export interface Variant {
  /** Fused multiply-adds (relaxed SIMD). */
  fused: boolean;
  /** A is stored [k, m]. */
  transposedA: boolean;
  /** Each panel of B is copied to PANEL first. */
  packed: boolean;
  /** B is stored [n, k] (packed variants only). */
  transposedB: boolean;
}

/** One block of `rows` (4 or 1) by `width` (8, 4 or 1) at (I, J). */
function block(rows: number, width: number, { fused, transposedA, packed }: Variant): Code[] {
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
  // A panel holds its k rows of `width` values back to back.
  step.push(increment(BP, packed ? i32Const(width * 4) : localGet(ROW_B)), increment(KK, i32Const(1)));

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
    localSet(BP, packed ? panelAddress() : i32Add(localGet(B), i32Shl(localGet(J), i32Const(2)))),
    localSet(KK, i32Const(0)),
    whileLoop(i32GtS(localGet(K), localGet(KK)), step),
    ifThen(localGet(RELU), relu),
    ...stores,
  ];
}

/**
 * Where the panel of columns J.. starts: panels lie back to back, widest first, so the
 * columns before J take J·k values whatever their panels' widths.
 */
function panelAddress(): Code {
  return i32Add(localGet(PANEL), i32Mul(localGet(J), i32Shl(localGet(K), i32Const(2))));
}

/** Copies B[:, J..J+width) into its panel, k rows of `width` values. */
function pack(width: number, transposedB: boolean): Code[] {
  const step = 4 * width;
  if (transposedB) {
    // Column by column: B[J + c, :] is contiguous; its values go `width` apart.
    const bytesPerColumn = i32Shl(localGet(K), i32Const(2));
    return [
      localSet(COL, i32Const(0)),
      whileLoop(i32GtS(i32Const(width), localGet(COL)), [
        localSet(SRC, i32Add(localGet(B), i32Mul(i32Add(localGet(J), localGet(COL)), bytesPerColumn))),
        localSet(DST, i32Add(panelAddress(), i32Shl(localGet(COL), i32Const(2)))),
        localSet(KK, i32Const(0)),
        whileLoop(i32GtS(localGet(K), localGet(KK)), [
          f32Store(localGet(DST), f32Load(localGet(SRC))),
          increment(SRC, i32Const(4)),
          increment(DST, i32Const(step)),
          increment(KK, i32Const(1)),
        ]),
        increment(COL, i32Const(1)),
      ]),
    ];
  }
  const copy =
    width === 1
      ? [f32Store(localGet(DST), f32Load(localGet(SRC)))]
      : Array.from({ length: width / 4 }, (_, v) => v128Store(localGet(DST), v128Load(localGet(SRC), 16 * v), 16 * v));
  return [
    localSet(SRC, i32Add(localGet(B), i32Shl(localGet(J), i32Const(2)))),
    localSet(DST, panelAddress()),
    localSet(KK, i32Const(0)),
    whileLoop(i32GtS(localGet(K), localGet(KK)), [
      ...copy,
      increment(SRC, localGet(ROW_B)),
      increment(DST, i32Const(step)),
      increment(KK, i32Const(1)),
    ]),
  ];
}

/** Runs `body` for each panel of B, J advancing by its width: 8 wide, then 4, then 1. */
function forEachPanel(body: (width: number) => Code[]): Code[] {
  const panels = (width: number) =>
    whileLoop(width === 1 ? i32GtS(localGet(N), localGet(J)) : i32LeS(i32Add(localGet(J), i32Const(width)), localGet(N)), [
      ...body(width),
      increment(J, i32Const(width)),
    ]);
  return [localSet(J, i32Const(0)), panels(8), panels(4), panels(1)];
}

/** The blocks of rows I..ROW_END of one panel: four rows at a time, then one at a time. */
function rowsOfPanel(width: number, variant: Variant): Code[] {
  return [
    whileLoop(i32LeS(i32Add(localGet(I), i32Const(4)), localGet(ROW_END)), [...block(4, width, variant), increment(I, i32Const(4))]),
    whileLoop(i32GtS(localGet(ROW_END), localGet(I)), [...block(1, width, variant), increment(I, i32Const(1))]),
  ];
}

/** The exported name of a variant: gemm, then _p (packed), _at, _bt. */
export function gemmName({ transposedA, packed, transposedB }: Omit<Variant, 'fused'>): string {
  return `gemm${packed ? '_p' : ''}${transposedA ? '_at' : ''}${transposedB ? '_bt' : ''}`;
}

/**
 * The function `gemm…(a, b, c, m, k, n, bias, relu, panel)` of one variant.
 *
 * In place (small m): for each panel of B, every block of rows; B is read where it is.
 * Packed: all of B is first copied into panels (scratch of k·n floats), then rows go in
 * chunks of ROWS_PER_CHUNK, each chunk over every panel, so that the chunk's rows of A
 * stay in the L1 cache while the panels stream past. Looping the other way round
 * streams all of A once per panel, the bottleneck at 256 rows and more.
 */
export function gemmFunction(variant: Variant): FunctionSpec {
  if (variant.transposedB && !variant.packed) throw new Error('gemm: a transposed B is read through a packed panel');
  const setup = [
    localSet(ROW_A, i32Shl(localGet(variant.transposedA ? M : K), i32Const(2))),
    localSet(ROW_B, i32Shl(localGet(N), i32Const(2))),
  ];
  const body = variant.packed
    ? [
        ...setup,
        ...forEachPanel((width) => pack(width, variant.transposedB)),
        localSet(CHUNK, i32Const(0)),
        whileLoop(i32GtS(localGet(M), localGet(CHUNK)), [
          localSet(ROW_END, i32Add(localGet(CHUNK), i32Const(ROWS_PER_CHUNK))),
          ifThen(i32GtS(localGet(ROW_END), localGet(M)), [localSet(ROW_END, localGet(M))]),
          ...forEachPanel((width) => [localSet(I, localGet(CHUNK)), ...rowsOfPanel(width, variant)]),
          localSet(CHUNK, localGet(ROW_END)),
        ]),
      ]
    : [...setup, localSet(ROW_END, localGet(M)), ...forEachPanel((width) => [localSet(I, i32Const(0)), ...rowsOfPanel(width, variant)])];
  return { name: gemmName(variant), params: PARAMS, locals: LOCALS, body };
}
