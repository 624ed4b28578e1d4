// Sums of many float32 values, accurate to float32 rounding of the true sum. The wasm
// backend adds in float32, one value after another: once the running total is large, each
// small addend loses its low bits (tf.ones([2e7]).sum() stops at 16777216, 2^24, and a
// mean over 6e8 ones is 0.84). PyTorch and NumPy add pairwise; here each partial sum is a
// float64 (a JS number): its worst-case error, n·2⁻⁵³ of the sum of magnitudes over four
// accumulators, stays below float32's own rounding (2⁻²⁴) for any tensor that fits in
// memory. Four accumulators let the CPU overlap the additions.

/** out[o] = Σᵢ x[o·inner + i], for o < outer. */
export function sumRows(x: Float32Array, outer: number, inner: number, out: Float32Array, scale = 1): void {
  for (let o = 0; o < outer; o++) {
    const start = o * inner;
    const end = start + inner;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = start;
    for (; i + 4 <= end; i += 4) {
      a += x[i];
      b += x[i + 1];
      c += x[i + 2];
      d += x[i + 3];
    }
    for (; i < end; i++) a += x[i];
    out[o] = (a + b + (c + d)) * scale;
  }
}

/** out[j] = Σᵢ x[i·cols + j], for j < cols: the sum over the rows of a [rows, cols] matrix. */
export function sumColumns(x: Float32Array, rows: number, cols: number, out: Float32Array, scale = 1): void {
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    for (let j = 0; j < cols; j++) sums[j] += x[start + j];
  }
  for (let j = 0; j < cols; j++) out[j] = sums[j] * scale;
}
