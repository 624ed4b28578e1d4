// Timing helpers: warm up first, then report the median of several runs.

export interface Measurement {
  /** Median wall-clock seconds of one run. */
  median: number;
  min: number;
  /** Median process CPU seconds of one run: steadier than wall time on a busy machine. */
  cpuMedian: number;
  runs: number[];
}

export interface MeasureOptions {
  warmup?: number;
  runs?: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Times `fn` (sync or async) `runs` times after `warmup` untimed calls. */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Measurement> {
  const { warmup = 1, runs = 5 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await fn();
    wall.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1e6);
  }
  return { median: median(wall), min: Math.min(...wall), cpuMedian: median(cpu), runs: wall };
}

/**
 * Measures several variants of one workload interleaved (A B C A B C ...), so a burst of
 * load from elsewhere on the machine hits all of them alike.
 */
export async function measureInterleaved<K extends string>(
  variants: Record<K, () => unknown>,
  options: MeasureOptions & { before?: (name: K) => unknown } = {},
): Promise<Record<K, Measurement>> {
  const { warmup = 1, runs = 5, before } = options;
  const names = Object.keys(variants) as K[];
  const wall = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + runs; round++) {
    for (const name of names) {
      await before?.(name);
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await variants[name]();
      if (round < warmup) continue;
      wall[name].push((performance.now() - start) / 1000);
      const used = process.cpuUsage(cpuStart);
      cpu[name].push((used.user + used.system) / 1e6);
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { median: median(wall[n]), min: Math.min(...wall[n]), cpuMedian: median(cpu[n]), runs: wall[n] }]),
  ) as Record<K, Measurement>;
}
