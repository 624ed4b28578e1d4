// A 512x512 matMul in GFLOP/s, plain and with the first operand transposed, on wasm with
// and without the fast kernels; and with a new b on every call, as in training, where
// every weight and gradient is a new tensor (XNNPACK re-packs b for each new one).
// The fast and stock kernels are swapped on one wasm backend in one process, interleaved:
// unlike a second backend, the swap does not slow the other variants (measured).
import * as tf from '@tensorflow/tfjs';
import { BACKEND_LABEL, useBackend, type BenchBackend } from '../lib/backend';
import { pytorchFigure, type BenchContext, type Workload } from '../lib/context';
import { normal } from '../lib/data';
import { measureInterleaved } from '../lib/measure';
import type { Row } from '../lib/table';

const N = 512;
const WORKLOAD = 'matMul 512x512';
/** GFLOP/s for the plain product with dlnb's kernels, one thread. */
const TARGET_GFLOPS = 65;
const PLAIN = `plain, ${BACKEND_LABEL.wasm}`;

export const matmulWorkload: Workload = {
  name: 'matmul',
  async run(context: BenchContext): Promise<Row[]> {
    const a = tf.tensor2d(normal(N * N, 41), [N, N]);
    const b = tf.tensor2d(normal(N * N, 42), [N, N]);
    const rows: Row[] = [];
    const bValues = b.dataSync();
    const cases: { variant: string; backend: BenchBackend; transposeA: boolean; repeat: number; newB?: boolean }[] = [
      { variant: PLAIN, backend: 'wasm', transposeA: false, repeat: 10 },
      { variant: `plain, new b each call, ${BACKEND_LABEL.wasm}`, backend: 'wasm', transposeA: false, repeat: 10, newB: true },
      { variant: `aᵀ·b, ${BACKEND_LABEL.wasm}`, backend: 'wasm', transposeA: true, repeat: 10 },
      { variant: `plain, ${BACKEND_LABEL['wasm-plain']}`, backend: 'wasm-plain', transposeA: false, repeat: 10 },
      {
        variant: `plain, new b each call, ${BACKEND_LABEL['wasm-plain']}`,
        backend: 'wasm-plain',
        transposeA: false,
        repeat: 10,
        newB: true,
      },
      { variant: `aᵀ·b, ${BACKEND_LABEL['wasm-plain']}`, backend: 'wasm-plain', transposeA: true, repeat: 1 },
    ];
    const variants = Object.fromEntries(
      cases.map((c) => [
        c.variant,
        () => {
          for (let i = 0; i < c.repeat; i++) {
            // A new tensor from the same values: about 2% of the time it measures.
            const right = c.newB ? tf.tensor2d(bValues, [N, N]) : b;
            tf.matMul(a, right, c.transposeA, false).dispose();
            if (right !== b) right.dispose();
          }
        },
      ]),
    );
    const runs = context.quick ? 2 : 5;
    context.log(`${WORKLOAD}: ${cases.length} variants x${runs}`);
    const results = await measureInterleaved(variants, {
      runs,
      before: (name) => useBackend(cases.find((c) => c.variant === name)!.backend),
    });
    for (const c of cases) {
      const gflops = (seconds: number) => (2 * N ** 3 * c.repeat) / seconds / 1e9;
      rows.push({
        workload: WORKLOAD,
        variant: c.variant,
        value: gflops(results[c.variant].median),
        cpu: gflops(results[c.variant].cpuMedian),
        unit: 'GFLOP/s',
        target: c.variant === PLAIN ? { of: 'value', min: TARGET_GFLOPS } : undefined,
        ...pytorchFigure(context, (f) => (c.transposeA ? f.matmul512_transposed_gflops : f.matmul512_gflops)),
      });
    }
    await useBackend('wasm');
    tf.dispose([a, b]);
    return rows;
  },
};
