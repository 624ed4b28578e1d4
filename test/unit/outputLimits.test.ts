// Bounds on what one cell can send out of the kernel: plot.vega data is thinned to the
// chart budget (dlnb.chartMaxPoints) with a note, like every other plot, and a cell's rich
// outputs are capped in count and bytes, with a note, as its text already was.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPlotApi } from '../../src/kernel/plot/index';
import { CellOutput, MAX_DISPLAY_BYTES, MAX_DISPLAYS } from '../../src/kernel/runtime/output';
import { MIME, type MimeBundle, type WorkerEvent } from '../../src/shared/protocol';

type Spec = Record<string, any>;

function plotWith(maxPoints: number) {
  const specs: Spec[] = [];
  const io = {
    display: (bundle: MimeBundle) => void specs.push(bundle[MIME.vegaLite] as Spec),
    updateDisplay: () => undefined,
    onCellEnd: () => undefined,
  };
  return { specs, plot: createPlotApi({ io, maxPoints }) };
}

describe('plot.vega data budget', () => {
  const points = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i, y: Math.sin(i) }));
  const encoding = { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } };

  it('thins 1,000,000 points to the budget and says so in the title', () => {
    const { specs, plot } = plotWith(5000);
    const given = { mark: 'point', data: { values: points(1_000_000) }, encoding };
    plot.vega(given);
    const spec = specs[0];
    assert.ok(spec.data.values.length <= 5000 && spec.data.values.length > 1000, `${spec.data.values.length} points kept`);
    const shown = spec.data.values.length.toLocaleString('en-US');
    assert.deepEqual(spec.title, { text: `showing ${shown} of 1,000,000 points`, fontSize: 11, fontWeight: 'normal' });
    assert.equal(given.data.values.length, 1_000_000, "the user's spec is not changed");
  });

  it('keeps a title the spec has, with the note under it, and leaves small specs as they are', () => {
    const { specs, plot } = plotWith(100);
    plot.vega({ title: 'Sine', mark: 'line', data: { values: points(1000) }, encoding });
    assert.deepEqual(specs[0].title, { text: 'Sine', subtitle: 'showing 100 of 1,000 points' });
    plot.vega({ title: 'Small', mark: 'line', data: { values: points(100) }, encoding });
    assert.equal(specs[1].title, 'Small');
    assert.equal(specs[1].data.values.length, 100);
  });
});

describe('rich outputs per cell', () => {
  function output() {
    const events: WorkerEvent[] = [];
    const cell = new CellOutput((event) => events.push(event), 200_000);
    cell.begin(1);
    const displays = () => events.filter((e) => e.type === 'display').length;
    const text = () => events.flatMap((e) => (e.type === 'stream' ? [e.text] : [])).join('');
    return { cell, events, displays, text };
  }

  it(`shows at most ${MAX_DISPLAYS} displays, then one note`, () => {
    const { cell, displays, text } = output();
    for (let i = 0; i < 100_000; i++) cell.display({ bundle: { [MIME.text]: `display ${i}` } });
    cell.flush();
    assert.equal(displays(), MAX_DISPLAYS);
    assert.equal(
      text(),
      `\n… this cell showed ${MAX_DISPLAYS.toLocaleString('en-US')} outputs, the most one cell may show; later ones were left out\n`,
    );
  });

  it('caps the bytes of rich outputs too, and a new cell starts a new budget', () => {
    const { cell, displays, text } = output();
    const big = 'x'.repeat(1 << 20);
    const count = Math.ceil(MAX_DISPLAY_BYTES / (1 << 20)) + 5;
    for (let i = 0; i < count; i++) cell.display({ bundle: { [MIME.text]: big } });
    cell.flush();
    assert.ok(displays() < count && displays() >= count - 6, `${displays()} of ${count} shown`);
    assert.match(text(), /outputs of \d+ MB, the most one cell may show; later ones were left out/);
    cell.begin(2);
    const before = displays();
    cell.display({ bundle: { [MIME.text]: 'next cell' } });
    assert.equal(displays(), before + 1);
  });
});
