// Deterministic numbers for tests that compare kernels on random data: a failure
// reproduces from its seed.

/** `count` uniform numbers in [-1, 1) from a xorshift generator seeded with `seed`. */
export function randoms(count: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  });
}
