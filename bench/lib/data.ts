// Deterministic synthetic data, so every run trains on the same numbers.

export function uniform(count: number, seed: number, low = 0, high = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = low + ((s >>> 0) / 2 ** 32) * (high - low);
  }
  return out;
}

export function normal(count: number, seed: number): Float32Array {
  const u = uniform(count * 2, seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = Math.sqrt(-2 * Math.log(1 - u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1]);
  }
  return out;
}
