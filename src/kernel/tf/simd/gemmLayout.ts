// Where the matrix multiply's wasm functions (gemmCode.ts, gemmBlock.ts) keep things:
// the index of every parameter and local, shared by the code that emits them, and the
// variants one function can be compiled as.
import { type Code, I32, F32, i32Add, i32Const, i32Mul, i32Shl, i32Sub, localGet, V128 } from './wasmBytes';

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
export const PANEL = 8; // packed variants: scratch for the panels of B (panelFloats(k, n))
// Floats from one row of A to the next (k, or m when transposed), more when A is a part of
// a wider matrix: the two halves of a product split between two threads read it so.
export const LDA = 9;
// Packed variants: 1 to pack B into PANEL first, 0 when PANEL already holds it (the rows
// of one product run in several calls, as when two threads share them out).
export const PACK_B = 10;
export const PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32];

// Locals, numbered in order after the parameters.
let next = PARAMS.length;
const take = (count: number) => Array.from({ length: count }, () => next++);
export const I = next++; // first row of the block
export const J = next++; // first column of the block
export const KK = next++; // position along k
export const ROW_A = next++; // bytes per row of A (lda·4); transposed: bytes per step along k
export const ROW_B = next++; // bytes per row of B and C (n·4)
export const BP = next++; // B[kk, j]
export const CP = next++; // C[i, j]
export const SRC = next++; // packing: where the next B value comes from
export const DST = next++; // packing: where it goes in the panel
export const COL = next++; // packing a transposed B: the column
export const CHUNK = next++; // packed: the first row of the chunk of rows
export const ROW_END = next++; // the row after the last of the rows being done
/** The most rows one block takes (6 with fused multiply-adds, see gemmBlock.ts). */
export const MAX_BLOCK_ROWS = 6;
export const AP = take(MAX_BLOCK_ROWS); // A[i + r, kk] for the block's rows r
const LAST_I32 = next;
export const ACC = take(2 * MAX_BLOCK_ROWS); // C block, row-major: ACC[r * vectors + v]
export const BV = take(2); // the B row's slices
export const AV = next++; // A value broadcast
export const AB = next++; // one of four A values, broadcast (transposed A)
const LAST_V128 = next;
export const SCALAR_ACC = take(MAX_BLOCK_ROWS); // C block of one column
export const SB = next++; // B value
export const LOCALS = [
  ...Array<number>(LAST_I32 - PARAMS.length).fill(I32),
  ...Array<number>(LAST_V128 - LAST_I32).fill(V128),
  ...Array<number>(next - LAST_V128).fill(F32),
];

export interface Variant {
  /** Fused multiply-adds (relaxed SIMD). */
  fused: boolean;
  /**
   * Rows per block: 4, or MAX_BLOCK_ROWS (6) with fused multiply-adds. Six rows by eight
   * columns keep twelve accumulators, two B slices and the broadcast A value in fifteen
   * registers, all V8 leaves free on x64; twelve independent chains hide the multiply-add
   * latency better than eight (measured here: 56 against 49 GFLOP/s for bare chains, 50
   * against 47 for a 512 product on V8 13.6). Without fusion each product needs one
   * more register, and older V8 spills even fused six-row blocks (half the speed on 12.4).
   */
  rows: number;
  /** A is stored [k, m]. */
  transposedA: boolean;
  /** Each panel of B is copied to PANEL first. */
  packed: boolean;
  /** B is stored [n, k] (packed variants only). */
  transposedB: boolean;
}

/**
 * The floats packed variants need for the panels of a k x n matrix B: the last 1 to 3
 * columns take a whole 4-wide panel (padded with zeros, see gemmCode.ts).
 */
export function panelFloats(k: number, n: number): number {
  return k * 4 * Math.ceil(n / 4);
}

/** The columns a tail panel holds (1 to 3: the rest of its four are zeros). */
export function tailColumns(): Code {
  return i32Sub(localGet(N), localGet(J));
}

/**
 * Where the panel of columns J.. starts: panels lie back to back, widest first, so the
 * columns before J take J·k values whatever their panels' widths.
 */
export function panelAddress(): Code {
  return i32Add(localGet(PANEL), i32Mul(localGet(J), i32Shl(localGet(K), i32Const(2))));
}
