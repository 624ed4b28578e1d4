// The kit's random number generator: `dl.manualSeed(n)` makes parameter initialisation
// and `dl.rand` / `dl.randn` reproducible, as `torch.manual_seed` does. The numbers
// differ from PyTorch's (another algorithm), only the reproducibility is the same.
import * as tf from '@tensorflow/tfjs';

/** mulberry32: tiny, fast, and good enough for initialisation and example data. */
export class SeededRandom {
  private state = 0;
  private spareNormal: number | null = null;

  constructor(seed: number = Math.floor(Math.random() * 2 ** 32)) {
    this.seed(seed);
  }

  seed(seed: number): void {
    if (!Number.isInteger(seed)) {
      throw new TypeError(`dl.manualSeed(seed): seed must be an integer, got ${seed}`);
    }
    // Seeds beyond 32 bits still differ: fold the high part in.
    this.state = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
    this.spareNormal = null;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u = 1 - this.uniform(); // in (0, 1], so log(u) is finite
    const angle = 2 * Math.PI * this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Uniform in [low, high), as a float32 tensor of `shape`. */
  uniformTensor(shape: number[], low = 0, high = 1): tf.Tensor {
    const values = new Float32Array(sizeOf(shape));
    for (let i = 0; i < values.length; i++) values[i] = low + (high - low) * this.uniform();
    return tf.tensor(values, shape, 'float32');
  }

  /** 0..n-1 in a random order (Fisher-Yates), as an int32 tensor: torch.randperm. */
  permutationTensor(n: number): tf.Tensor1D {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return tf.tensor1d(order, 'int32');
  }

  normalTensor(shape: number[]): tf.Tensor {
    const values = new Float32Array(sizeOf(shape));
    for (let i = 0; i < values.length; i++) values[i] = this.normal();
    return tf.tensor(values, shape, 'float32');
  }
}

/** `rand(256, 1)` and `rand([256, 1])` both mean the shape [256, 1], as in PyTorch. */
export function shapeFromArgs(what: string, args: Array<number | number[]>): number[] {
  const shape = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  for (const dim of shape) {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0) {
      throw new TypeError(`${what}: the shape must be non-negative integers, got [${shape.join(', ')}]`);
    }
  }
  return shape as number[];
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
