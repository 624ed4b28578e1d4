// Where the matrix multiply's wasm functions (gemmCode.ts, gemmBlock.ts) keep things:
// the index of every parameter and local, shared by the code that emits them, and the
// variants one function can be compiled as.
import { type Code, I32, F32, i32Add, i32Const, i32Mul, i32Shl, localGet, V128 } from './wasmBytes';

// Parameters: byte addresses of A, B, C and bias (0: none), the sizes, relu (0/1), and
// scratch for a packed panel. Variants take A stored transposed ([k, m]), as a
// gradient's xᵀ·dy has it (the block's four values of A at one k are then adjacent: one
// load and four broadcasts); and, packed, B stored transposed ([n, k]), as dy·Wᵀ has it.
export const A = 0;
export const B = 1;
export const C = 2;
export const M = 3;
export const K = 4;
export const N = 5;
export const BIAS = 6;
export const RELU = 7;
export const PANEL = 8; // packed variants: scratch for one panel of B (k·8 floats)
export const PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32, I32];

// Locals.
export const I = 9; // first row of the block
export const J = 10; // first column of the block
export const KK = 11; // position along k
export const ROW_A = 12; // bytes per row of A (k·4); transposed: bytes per step along k (m·4)
export const ROW_B = 13; // bytes per row of B and C (n·4)
export const BP = 14; // B[kk, j]
export const CP = 15; // C[i, j]
export const AP = [16, 17, 18, 19]; // A[i + r, kk] for the block's rows r
export const ACC = [20, 21, 22, 23, 24, 25, 26, 27]; // C block, row-major: ACC[r * vectors + v]
export const BV = [28, 29]; // the B row's slices
export const AV = 30; // A value broadcast
export const SCALAR_ACC = [31, 32, 33, 34]; // C block of one column
export const SB = 35; // B value
export const AB = 36; // one of four A values, broadcast (transposed A)
export const SRC = 37; // packing: where the next B value comes from
export const DST = 38; // packing: where it goes in the panel
export const COL = 39; // packing a transposed B: the column
export const CHUNK = 40; // packed: the first row of the chunk of rows
export const ROW_END = 41; // the row after the last of the rows being done
export const LOCALS = [
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
  I32,
  V128,
  V128,
  V128,
  V128,
  V128,
  V128,
  V128,
  V128,
  V128,
  V128,
  V128,
  F32,
  F32,
  F32,
  F32,
  F32,
  V128,
  I32,
  I32,
  I32,
  I32,
  I32,
];

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

/**
 * Where the panel of columns J.. starts: panels lie back to back, widest first, so the
 * columns before J take J·k values whatever their panels' widths.
 */
export function panelAddress(): Code {
  return i32Add(localGet(PANEL), i32Mul(localGet(J), i32Shl(localGet(K), i32Const(2))));
}
