// What one output shows outside VS Code, for the HTML and Markdown exporters: the richest
// of its MIME items that a static page can hold, decided once here so both agree.
import type { DlnbOutput, DlnbOutputItem } from '../shared/dlnbFormat';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../shared/mimeKinds';
import { stripAnsi } from './htmlEscape';
import { isRecord } from './ipynbTypes';
import { VEGA_LITE_MIME } from './toIpynb';

export type OutputPart =
  | { kind: 'chart'; spec: object }
  | { kind: 'error'; text: string }
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'image'; mime: string; base64: string }
  | { kind: 'markdown'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'unshown'; mimes: string[] };

const RASTER_IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function outputPart(output: DlnbOutput): OutputPart {
  const find = (test: (mime: string) => boolean): DlnbOutputItem | undefined => output.items.find((item) => test(item.mime));
  const chart = find((mime) => VEGA_LITE_MIME.test(mime));
  if (chart && isRecord(chart.data)) return { kind: 'chart', spec: chart.data };
  const error = find((mime) => mime === ERROR_MIME);
  if (error) return { kind: 'error', text: errorText(error.data) };
  const stream = find((mime) => mime === STDOUT_MIME || mime === STDERR_MIME);
  if (stream)
    return { kind: 'stream', name: stream.mime === STDERR_MIME ? 'stderr' : 'stdout', text: stripAnsi(String(stream.data)) };
  for (const mime of RASTER_IMAGES) {
    const image = find((m) => m === mime);
    if (image && typeof image.data === 'string' && BASE64.test(image.data)) return { kind: 'image', mime, base64: image.data };
  }
  const svg = find((mime) => mime === 'image/svg+xml');
  if (svg && typeof svg.data === 'string')
    return { kind: 'image', mime: 'image/svg+xml', base64: Buffer.from(svg.data).toString('base64') };
  const markdown = find((mime) => mime === 'text/markdown');
  if (markdown && typeof markdown.data === 'string') return { kind: 'markdown', text: markdown.data };
  const text = find((mime) => mime === 'text/plain');
  if (text) return { kind: 'text', text: stripAnsi(typeof text.data === 'string' ? text.data : JSON.stringify(text.data)) };
  const json = find((mime) => mime === 'application/json' || mime.endsWith('+json'));
  if (json) return { kind: 'text', text: JSON.stringify(json.data, null, 2) };
  return { kind: 'unshown', mimes: output.items.map((item) => item.mime) };
}

function errorText(data: unknown): string {
  if (!isRecord(data)) return String(data);
  const header = `${String(data.name ?? 'Error')}: ${String(data.message ?? '')}`;
  const stack = typeof data.stack === 'string' ? stripAnsi(data.stack) : '';
  return stack.includes(String(data.message ?? '')) ? stack : [header, stack].filter(Boolean).join('\n');
}
