// The renderer's downsampling of specs it did not build (e.g. from plot.vega or a saved
// notebook): budget shared across data sources, scatters thinned on a grid, lines
// strided, the given spec never changed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downsampleSpec, maxPointsOf } from '../../renderers/downsample';

const rows = (n: number, f: (i: number) => Record<string, unknown>) => Array.from({ length: n }, (_, i) => f(i));
const encoding = { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } };

describe('renderer downsampling', () => {
  it('leaves a spec within budget as it is', () => {
    const spec = { data: { values: rows(10, (i) => ({ a: i, b: i })) }, mark: 'point', encoding };
    const result = downsampleSpec(spec, 100);
    assert.equal(result.spec, spec);
    assert.deepEqual([result.shown, result.total], [10, 10]);
  });

  it('shares the budget across layers, striding lines and keeping their ends', () => {
    const spec = {
      layer: [
        { data: { values: rows(9000, (i) => ({ a: i % 97, b: (i * 31) % 89 })) }, mark: { type: 'circle' }, encoding },
        { data: { values: rows(1000, (i) => ({ a: i, b: i * 2 })) }, mark: 'line', encoding },
      ],
    };
    const copy = structuredClone(spec);
    const { spec: out, shown, total } = downsampleSpec(spec, 1000);
    assert.deepEqual(spec, copy, 'the given spec is not changed');
    assert.equal(total, 10_000);
    const [points, line] = (out.layer as { data: { values: { a: number; b: number }[] } }[]).map((l) => l.data.values);
    assert.equal(line.length, 100);
    assert.deepEqual([line[0].a, line[99].a], [0, 999]);
    assert.ok(points.length <= 900 && points.length > 800, `${points.length} points`);
    assert.equal(shown, points.length + line.length);
  });

  it('thins a coloured scatter per group, keeping each group and the full extent', () => {
    const spec = {
      data: { values: rows(6000, (i) => ({ a: i % 100, b: Math.floor(i / 100), g: i < 5990 ? 'many' : 'few' })) },
      mark: 'point',
      encoding: { ...encoding, color: { field: 'g', type: 'nominal' } },
    };
    const values = (downsampleSpec(spec, 600).spec.data as { values: { a: number; b: number; g: string }[] }).values;
    assert.ok(values.length <= 600 && values.length > 500, `${values.length} kept`);
    const few = values.filter((v) => v.g === 'few');
    assert.ok(few.length >= 2, `the small group keeps its own cells (${few.length} points)`);
    const many = values.filter((v) => v.g === 'many');
    const span = (k: 'a' | 'b') => [Math.min(...many.map((v) => v[k])), Math.max(...many.map((v) => v[k]))];
    assert.deepEqual(span('a'), [0, 99], 'the cloud keeps its full extent');
    assert.deepEqual([span('b')[0], span('b')[1] >= 58], [0, true]);
  });

  it('downsamples named datasets too', () => {
    const spec = { datasets: { big: rows(5000, (i) => ({ a: i })) }, data: { name: 'big' }, mark: 'line' };
    const { spec: out, shown } = downsampleSpec(spec, 500);
    assert.equal((out.datasets as Record<string, unknown[]>).big.length, 500);
    assert.equal(shown, 500);
  });

  it('reads the budget from usermeta.dlnb.maxPoints', () => {
    assert.equal(maxPointsOf({ usermeta: { dlnb: { maxPoints: 700 } } }), 700);
    assert.equal(maxPointsOf({}), 5000);
    assert.equal(maxPointsOf({ usermeta: { dlnb: { maxPoints: 'many' } } }), 5000);
  });
});
