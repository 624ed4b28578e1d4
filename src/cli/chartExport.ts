// `dlnb run --charts DIR`: each chart a notebook shows, written as an SVG file. The drawing
// itself is shared with the exporters (src/convert/chartSvg.ts).
import { writeFile } from 'node:fs/promises';
import { chartToSvg } from '../convert/chartSvg';

export { HEADLESS_HEIGHT, HEADLESS_WIDTH, chartToSvg, withFixedSize } from '../convert/chartSvg';

/** Writes a Vega-Lite spec as an SVG file. */
export async function writeChartSvg(spec: object, file: string): Promise<void> {
  await writeFile(file, await chartToSvg(spec), 'utf8');
}
