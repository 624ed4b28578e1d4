// The kernel as a user feels it: the round trip of a trivial cell, and a cold start up to
// the first result of a TensorFlow.js cell (worker start, wasm load, compile, run).
import path from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import type { CellRun, ExecutionObserver, KernelHandle, KernelStartOptions } from '../../src/kernel-client/types';
import type { BenchContext, Workload } from '../lib/context';
import { benchKernelOptions } from '../lib/kernelOptions';
import { median } from '../lib/measure';
import type { Row } from '../lib/table';

const WORKLOAD = 'kernel';
// What the speed work keeps: a trivial cell's round trip under 1 ms, a cold start under 0.5 s.
const ROUND_TRIP_TARGET_MS = 1;
const COLD_START_TARGET_S = 0.5;

const quietObserver: ExecutionObserver = { onStream() {}, onDisplay() {}, onUpdateDisplay() {} };

function cell(source: string): CellRun {
  return { cell: 1, source, cellSources: () => [source] };
}

type CreateKernel = (options: KernelStartOptions) => KernelHandle;

async function loadCreateKernel(root: string): Promise<{ createKernel?: CreateKernel; note?: string }> {
  if (!existsSync(path.join(root, 'dist/kernel.js'))) return { note: 'dist/kernel.js missing (run the build)' };
  try {
    const client = (await import('../../src/kernel-client/index')) as { createKernel?: CreateKernel };
    if (typeof client.createKernel !== 'function') return { note: 'kernel client has no createKernel yet' };
    return { createKernel: client.createKernel };
  } catch (error) {
    return { note: `kernel client failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function runCell(kernel: KernelHandle, source: string): Promise<void> {
  const done = await kernel.execute(cell(source), quietObserver);
  if (done.status !== 'ok') throw new Error(`cell \`${source}\` ended '${done.status}': ${done.error?.message ?? ''}`);
}

/**
 * A notebook of 10,000 cells of 2 KB each (20 MB), run in order: a run must cost in
 * proportion to the cell, not to the notebook (the sources are read only to explain a
 * ReferenceError). --quick runs 1,000.
 */
async function largeNotebook(createKernel: CreateKernel, options: KernelStartOptions, context: BenchContext): Promise<Row> {
  const count = context.quick ? 1000 : 10_000;
  const variant = `${count.toLocaleString('en-US')} cells of 2 KB, in order`;
  const padding = `// ${'x'.repeat(2000)}\n`;
  const sources = Array.from({ length: count }, (_, i) => `${padding}const v${i} = ${i};`);
  context.log(`${WORKLOAD}: ${variant}`);
  const kernel = createKernel(options);
  try {
    await kernel.start();
    const start = performance.now();
    for (const [i, source] of sources.entries()) {
      const done = await kernel.execute({ cell: i + 1, source, cellSources: () => sources }, quietObserver);
      if (done.status !== 'ok') throw new Error(`cell ${i + 1} ended '${done.status}'`);
    }
    return { workload: WORKLOAD, variant, value: (performance.now() - start) / 1000, unit: 's' };
  } catch (error) {
    return { workload: WORKLOAD, variant, unit: 's', note: `failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await kernel.dispose();
  }
}

export const kernelWorkload: Workload = {
  name: 'kernel',
  async run(context: BenchContext): Promise<Row[]> {
    const { createKernel, note } = await loadCreateKernel(context.root);
    const skipped = (variant: string, why: string, unit: 'ms' | 's'): Row => ({ workload: WORKLOAD, variant, unit, note: why });
    if (!createKernel) {
      return [skipped('round trip of `1 + 1`', note!, 'ms'), skipped('cold start to first tfjs result', note!, 's')];
    }
    // As in VS Code and `dlnb run`: a cache folder the first start ever fills (compiled TypeScript).
    const options = benchKernelOptions(context.root);
    const rows: Row[] = [];
    // The first start after an install writes that cache: users wait for it once, so it is not counted.
    const filling = createKernel(options);
    await filling.start().catch(() => undefined); // the counted runs below report a failing start
    await filling.dispose();

    const coldRuns = context.quick ? 1 : 3;
    context.log(`${WORKLOAD}: cold start x${coldRuns}`);
    const cold: number[] = [];
    const ready: number[] = [];
    let coldError: string | undefined;
    for (let i = 0; i < coldRuns && !coldError; i++) {
      const start = performance.now();
      const kernel = createKernel(options);
      try {
        await kernel.start();
        ready.push((performance.now() - start) / 1000);
        await runCell(kernel, 'tf.tensor([1, 2, 3]).sum().arraySync()');
        cold.push((performance.now() - start) / 1000);
      } catch (error) {
        coldError = error instanceof Error ? error.message : String(error);
      } finally {
        await kernel.dispose();
      }
    }
    rows.push(
      coldError
        ? skipped('cold start to first tfjs result', `failed: ${coldError}`, 's')
        : {
            workload: WORKLOAD,
            variant: 'cold start to first tfjs result',
            value: median(cold),
            unit: 's',
            target: { of: 'value', max: COLD_START_TARGET_S },
            note: `of which start() ${median(ready).toFixed(2)} s, first cell ${(median(cold) - median(ready)).toFixed(2)} s`,
          },
    );

    const trips = context.quick ? 10 : 50;
    context.log(`${WORKLOAD}: round trip x${trips}`);
    const kernel = createKernel(options);
    try {
      await kernel.start();
      for (let i = 0; i < 5; i++) await runCell(kernel, '1 + 1');
      const times: number[] = [];
      for (let i = 0; i < trips; i++) {
        const start = performance.now();
        await runCell(kernel, '1 + 1');
        times.push(performance.now() - start);
      }
      rows.push({
        workload: WORKLOAD,
        variant: 'round trip of `1 + 1`',
        value: median(times),
        unit: 'ms',
        target: { of: 'value', max: ROUND_TRIP_TARGET_MS },
      });
    } catch (error) {
      rows.push(skipped('round trip of `1 + 1`', `failed: ${error instanceof Error ? error.message : String(error)}`, 'ms'));
    } finally {
      await kernel.dispose();
    }
    rows.push(await largeNotebook(createKernel, options, context));
    rmSync(options.cacheDir!, { recursive: true, force: true });
    return rows;
  },
};
