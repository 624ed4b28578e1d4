// The bench compares dlnb with PyTorch at its best: when OpenBLAS falls back to kernels
// older than the CPU (an unknown Xeon taken for a Prescott), it forces the right ones, and
// otherwise leaves OpenBLAS's own choice alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coreToForce } from '../../bench/lib/pytorch';

const AVX512 = new Set(['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl']);
const AVX2 = new Set(['sse4_2', 'avx', 'avx2', 'fma']);
const SSE = new Set(['sse', 'sse2', 'sse3', 'sse4_2']);

describe('the OpenBLAS core the bench forces on PyTorch', () => {
  it('replaces a pre-AVX2 fallback with the strongest core the flags allow', () => {
    assert.equal(coreToForce('Prescott', AVX512), 'SkylakeX');
    assert.equal(coreToForce('Nehalem', AVX2), 'Haswell');
    assert.equal(coreToForce('Sandybridge', new Set([...AVX512].filter((f) => f !== 'avx512vl'))), 'Haswell');
  });

  it("keeps OpenBLAS's own choice when it already runs AVX2 or better, or the CPU cannot", () => {
    assert.equal(coreToForce('Haswell', AVX512), undefined);
    assert.equal(coreToForce('SkylakeX', AVX512), undefined);
    assert.equal(coreToForce('Cooperlake', AVX512), undefined);
    assert.equal(coreToForce('Zen', AVX2), undefined);
    assert.equal(coreToForce('Prescott', SSE), undefined);
    assert.equal(coreToForce(undefined, AVX512), undefined);
  });
});
