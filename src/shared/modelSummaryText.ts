// A model summary (see ModelSummary in protocol.ts) as words and a plain-text table: the
// text/plain of a model output (what `dlnb run` prints) and the Parameters view's tooltip.
import type { ModelSummary } from './protocol';

/** 12345 -> "12,345". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "13 parameters: 13 trainable, 0 not trainable". */
export function parameterLine(summary: ModelSummary): string {
  return (
    `${count(summary.totalParams)} ${summary.totalParams === 1 ? 'parameter' : 'parameters'}: ` +
    `${count(summary.trainableParams)} trainable, ${count(summary.nonTrainableParams)} not trainable`
  );
}

/** The summary as Keras prints one: a title, one row per layer, the totals. */
export function summaryText(summary: ModelSummary): string {
  const header = ['Layer', 'Type', 'Output shape', 'Params'];
  const rows = summary.layers.map((l) => [
    '  '.repeat(Math.max(0, l.depth - 1)) + l.name,
    l.type,
    l.outputShape,
    count(l.params),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const more = summary.cut ? ['(more layers not listed)'] : [];
  return [summary.title, rule, line(header), rule, ...rows.map(line), ...more, rule, parameterLine(summary)].join('\n');
}
