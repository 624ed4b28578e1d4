// Placeholder: writes a Vega-Lite spec as an SVG file, rendered headless in Node.
export async function writeChartSvg(_spec: object, _file: string): Promise<void> {
  throw new Error('chart export is not available yet');
}
