// The bench judges each figure against its target, both ways (a time at most, a speed at
// least), and the README's speed table shows every target with whether it was met, so
// what the README claims is what the last run measured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { speedTable } from '../../bench/lib/readme';
import { CORES_WORKLOAD } from '../../bench/workloads/cores';
import { targetMet, type Row } from '../../bench/lib/table';

const row = (fields: Partial<Row> & Pick<Row, 'workload' | 'variant' | 'unit'>): Row => fields;

const rows: Row[] = [
  row({
    workload: 'matMul 512x512',
    variant: 'plain, wasm + dlnb kernels',
    unit: 'GFLOP/s',
    value: 26.4,
    pytorch: 97,
    target: { of: 'value', min: 65 },
  }),
  row({
    workload: 'kernel',
    variant: 'cold start to first tfjs result',
    unit: 's',
    value: 0.386,
    target: { of: 'value', max: 0.5 },
  }),
  row({
    workload: CORES_WORKLOAD,
    variant: 'matMul 1024x1024, 10 products, dlnb on two cores against PyTorch on two threads',
    unit: 'x',
    value: 3.55,
    note: "5 pairs, 3.1-4.0x; 65 GFLOP/s against PyTorch's 199 GFLOP/s",
    target: { of: 'value', max: 1 },
  }),
  row({ workload: 'kernel', variant: 'round trip of `1 + 1`', unit: 'ms', value: 1.4, target: { of: 'value', max: 1 } }),
  row({
    workload: 'extension',
    variant: 'activation (require + activate)',
    unit: 'ms',
    value: 19.5,
    target: { of: 'value', max: 30 },
  }),
];

describe('bench targets', () => {
  it('meets a speed target at or above its minimum and a time target at or below its maximum', () => {
    const speed = (value: number) => targetMet({ ...rows[0], value });
    assert.deepEqual([speed(64.9), speed(65), speed(120)], [false, true, true]);
    const time = (value: number) => targetMet({ ...rows[1], value });
    assert.deepEqual([time(0.49), time(0.5), time(0.51)], [true, true, false]);
    assert.equal(targetMet({ ...rows[1], value: undefined }), undefined, 'a skipped row is neither met nor missed');
  });

  it('lists each figure in the README with its target and whether this run met it', () => {
    const table = speedTable(rows, { available: false, notes: [] }, '2026-12-03T00:00:00Z', 'Node 24').split('\n');
    assert.ok(
      table.includes('- 512x512 matrix multiply, one thread: 26.4 GFLOP/s (PyTorch, one thread: 97; target ≥ 65 GFLOP/s ✗)'),
    );
    assert.ok(
      table.includes(
        "- matMul 1024x1024, 10 products, dlnb on two cores against PyTorch on two threads: 3.55x (65 GFLOP/s against PyTorch's 199 GFLOP/s; target ≤ 1x ✗)",
      ),
    );
    assert.ok(table.includes('- kernel start to the first tfjs result: 0.39 s (target < 0.5 s ✓)'));
    assert.ok(table.includes('- round trip of a trivial cell: 1.40 ms (target < 1 ms ✗)'));
    assert.ok(table.includes('- extension activation: 19.5 ms (target < 30 ms ✓)'));
  });
});
