// The matrix multiply as WebAssembly SIMD: C[m, n] = A[m, k] · B[k, n] (+ bias[n],
// then relu if asked), every matrix row-major float32 in the backend's own memory.
//
// Why our own: the backend hands products to XNNPACK, which packs B into a new layout on
// every call with a new B. In training every B is new (updated weights, fresh
// gradients), and for 256x256 operands the packing costs about 40% on top of the
// multiply. This kernel reads B in place: for each panel of 8 columns it walks the rows
// of A four or six at a time (see Variant.rows), keeping a 4x8 or 6x8 block of C in SIMD
// registers, broadcasting one value of A and multiplying it into two 4-wide slices of the
// B row (loop order chosen
// so the B panel stays in the L1 cache while A streams past). Edges use 4-wide, 1-row
// and scalar blocks; packed variants run the last 1-3 columns as a 4-wide panel padded
// with zeros instead of scalars. With relaxed SIMD the multiply-adds are fused (FMA).
//
// Packed variants first copy B into contiguous panels of k rows by 8 columns (a
// transposed B is transposed on the way, at no extra pass), then run chunks of rows
// over the panels (see gemmFunction).
//
// Here: packing, the walk over panels and rows, and the exported function. One block's
// code is in gemmBlock.ts; the parameter and local indices, and the variants, in
// gemmLayout.ts.
import { block } from './gemmBlock';
import {
  B,
  M,
  K,
  N,
  PARAMS,
  I,
  J,
  KK,
  ROW_A,
  ROW_B,
  SRC,
  DST,
  COL,
  CHUNK,
  ROW_END,
  LOCALS,
  LDA,
  PACK_B,
  MAX_BLOCK_ROWS,
  type Variant,
  panelAddress,
  tailColumns,
} from './gemmLayout';
import {
  type Code,
  f32Const,
  f32Load,
  f32Store,
  type FunctionSpec,
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
  v128Load,
  v128Store,
  f32x4Splat,
  whileLoop,
} from './wasmBytes';

/** Rows of A per chunk in packed variants: 24 rows of k = 256 are 24 kB, half an L1 cache. */
const ROWS_PER_CHUNK = 24;

/**
 * Copies the panel's columns of B, one at a time, `width` floats apart in the panel:
 * `columns` of them (B[J + c, :] is contiguous when B is transposed, else a column).
 */
function packByColumns(width: number, transposedB: boolean, columns: Code): Code[] {
  const first = transposedB
    ? i32Add(localGet(B), i32Mul(i32Add(localGet(J), localGet(COL)), i32Shl(localGet(K), i32Const(2))))
    : i32Add(localGet(B), i32Shl(i32Add(localGet(J), localGet(COL)), i32Const(2)));
  return [
    localSet(COL, i32Const(0)),
    whileLoop(i32GtS(columns, localGet(COL)), [
      localSet(SRC, first),
      localSet(DST, i32Add(panelAddress(), i32Shl(localGet(COL), i32Const(2)))),
      localSet(KK, i32Const(0)),
      whileLoop(i32GtS(localGet(K), localGet(KK)), [
        f32Store(localGet(DST), f32Load(localGet(SRC))),
        increment(SRC, transposedB ? i32Const(4) : localGet(ROW_B)),
        increment(DST, i32Const(4 * width)),
        increment(KK, i32Const(1)),
      ]),
      increment(COL, i32Const(1)),
    ]),
  ];
}

/**
 * The tail panel: the last 1 to 3 columns of B, then zeros, 4 wide, so that they run as a
 * 4-wide block (see block's `tail`) instead of column by column on scalars. The padding
 * lanes are never stored; zeros keep whatever the scratch held before (denormals, NaNs)
 * from slowing their multiply-adds.
 */
function packTail(transposedB: boolean): Code[] {
  return [
    localSet(DST, panelAddress()),
    localSet(KK, i32Const(0)),
    whileLoop(i32GtS(localGet(K), localGet(KK)), [
      v128Store(localGet(DST), f32x4Splat(f32Const(0))),
      increment(DST, i32Const(16)),
      increment(KK, i32Const(1)),
    ]),
    ...packByColumns(4, transposedB, tailColumns()),
  ];
}

/** Copies B[:, J..J+width) into its panel, k rows of `width` (8 or 4) values. */
function pack(width: number, transposedB: boolean): Code[] {
  const step = 4 * width;
  // Transposed, column by column: the panel's values of one column are `width` apart.
  if (transposedB) return packByColumns(width, true, i32Const(width));
  const copy = Array.from({ length: width / 4 }, (_, v) => v128Store(localGet(DST), v128Load(localGet(SRC), 16 * v), 16 * v));
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

/**
 * Runs `body` for each panel of B, J advancing by its width: 8 wide, then 4, then the
 * last 1 to 3 columns, one at a time (width 1) or, for packed variants, as one tail panel
 * padded with zeros to 4 (`tail`).
 */
function forEachPanel(paddedTail: boolean, body: (width: number, tail: boolean) => Code[]): Code[] {
  const panels = (width: number) =>
    whileLoop(width === 1 ? i32GtS(localGet(N), localGet(J)) : i32LeS(i32Add(localGet(J), i32Const(width)), localGet(N)), [
      ...body(width, false),
      increment(J, i32Const(width)),
    ]);
  const rest = paddedTail ? ifThen(i32GtS(localGet(N), localGet(J)), body(4, true)) : panels(1);
  return [localSet(J, i32Const(0)), panels(8), panels(4), rest];
}

/** The blocks of rows I..ROW_END of one panel: a full block at a time, then four, then one. */
function rowsOfPanel(width: number, variant: Variant, tail: boolean): Code[] {
  const full = variant.rows;
  const blocksOf = (rows: number) =>
    whileLoop(i32LeS(i32Add(localGet(I), i32Const(rows)), localGet(ROW_END)), [
      ...block(rows, width, variant, tail),
      increment(I, i32Const(rows)),
    ]);
  return [
    blocksOf(full),
    ...(full > 4
      ? [
          ifThen(i32LeS(i32Add(localGet(I), i32Const(4)), localGet(ROW_END)), [
            ...block(4, width, variant, tail),
            increment(I, i32Const(4)),
          ]),
        ]
      : []),
    whileLoop(i32GtS(localGet(ROW_END), localGet(I)), [...block(1, width, variant, tail), increment(I, i32Const(1))]),
  ];
}

/** The exported name of a variant: gemm, then _p (packed), _at, _bt. */
export function gemmName({ transposedA, packed, transposedB }: Omit<Variant, 'fused' | 'rows'>): string {
  return `gemm${packed ? '_p' : ''}${transposedA ? '_at' : ''}${transposedB ? '_bt' : ''}`;
}

/**
 * The function `gemm…(a, b, c, m, k, n, bias, relu, panel, lda, packB)` of one variant.
 *
 * In place (small m): for each panel of B, every block of rows; B is read where it is.
 * Packed: all of B is first copied into panels (scratch of k·n floats), then rows go in
 * chunks of ROWS_PER_CHUNK, each chunk over every panel, so that the chunk's rows of A
 * stay in the L1 cache while the panels stream past. Looping the other way round
 * streams all of A once per panel, the bottleneck at 256 rows and more.
 */
export function gemmFunction(variant: Variant): FunctionSpec {
  if (variant.rows !== 4 && (variant.rows !== MAX_BLOCK_ROWS || !variant.fused))
    throw new Error(`gemm: no blocks of ${variant.rows} rows`);
  if (variant.transposedB && !variant.packed) throw new Error('gemm: a transposed B is read through a packed panel');
  const setup = [localSet(ROW_A, i32Shl(localGet(LDA), i32Const(2))), localSet(ROW_B, i32Shl(localGet(N), i32Const(2)))];
  const body = variant.packed
    ? [
        ...setup,
        ifThen(
          localGet(PACK_B),
          forEachPanel(true, (width, tail) => (tail ? packTail(variant.transposedB) : pack(width, variant.transposedB))),
        ),
        localSet(CHUNK, i32Const(0)),
        whileLoop(i32GtS(localGet(M), localGet(CHUNK)), [
          localSet(ROW_END, i32Add(localGet(CHUNK), i32Const(ROWS_PER_CHUNK))),
          ifThen(i32GtS(localGet(ROW_END), localGet(M)), [localSet(ROW_END, localGet(M))]),
          ...forEachPanel(true, (width, tail) => [localSet(I, localGet(CHUNK)), ...rowsOfPanel(width, variant, tail)]),
          localSet(CHUNK, localGet(ROW_END)),
        ]),
      ]
    : [
        ...setup,
        localSet(ROW_END, localGet(M)),
        ...forEachPanel(false, (width) => [localSet(I, i32Const(0)), ...rowsOfPanel(width, variant, false)]),
      ];
  return { name: gemmName(variant), params: PARAMS, locals: LOCALS, body };
}
