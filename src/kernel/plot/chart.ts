// The value `plot.*` returns: shown once when drawn, shown again with `display(chart)`,
// and not shown a second time when it is a cell's last expression.
import { MIME, type MimeBundle } from '../../shared/protocol';
import { ALREADY_SHOWN, MIME_BUNDLE, type HasMimeBundle } from '../richValue';

export class Chart implements HasMimeBundle {
  readonly [ALREADY_SHOWN] = true;

  constructor(
    /** The Vega-Lite spec, plain data. */
    readonly spec: Record<string, unknown>,
    /** One line for text-only outputs, e.g. `<chart "Loss": line, 100 points>`. */
    readonly summary: string,
  ) {}

  [MIME_BUNDLE](): MimeBundle {
    return { [MIME.vegaLite]: this.spec, [MIME.text]: this.summary };
  }

  toString(): string {
    return this.summary;
  }
}

/** `<chart "title": line + scatter, 300 points (showing 100)>`; without a count when unknown. */
export function describeChart(title: string | undefined, kinds: string[], total?: number, shown = total): string {
  const head = title ? `chart "${title}"` : 'chart';
  const marks = [...new Set(kinds)].join(' + ');
  if (total === undefined || shown === undefined) return `<${head}: ${marks}>`;
  const count = `${total.toLocaleString('en-US')} point${total === 1 ? '' : 's'}`;
  const sampled = shown < total ? ` (showing ${shown.toLocaleString('en-US')})` : '';
  return `<${head}: ${marks}, ${count}${sampled}>`;
}
