// Charts as PNG, for viewers of an exported .ipynb that show neither Vega-Lite nor SVG.
// Vega's own PNG needs the native `canvas` package, which a one-for-every-platform .vsix
// cannot ship, so the chart's SVG is rasterized by resvg compiled to WebAssembly instead.
// resvg reads no system fonts here (none are sure to exist): chart text is set in KaTeX's
// sans-serif (Latin letters and digits), shipped beside the bundle; text in other scripts
// is drawn only in the SVG. Assets: dist/resvg.wasm and dist/fonts/ (copied by esbuild.mjs),
// or node_modules when run from source.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

const FONT_FAMILY = 'KaTeX_SansSerif';
const FONT_FILES = ['KaTeX_SansSerif-Regular.ttf', 'KaTeX_SansSerif-Bold.ttf'];

type Resvg = typeof import('@resvg/resvg-wasm');

let ready: Promise<{ resvg: Resvg; fonts: Uint8Array[] }> | undefined;

/** Beside the bundle (dist/), else in node_modules (running from src/convert). */
function assetPath(bundled: string, inNodeModules: string): string {
  const beside = path.join(__dirname, bundled);
  return existsSync(beside) ? beside : path.resolve(__dirname, '../../node_modules', inNodeModules);
}

async function load(): Promise<{ resvg: Resvg; fonts: Uint8Array[] }> {
  const resvg = await import('@resvg/resvg-wasm');
  const wasm = assetPath('resvg.wasm', '@resvg/resvg-wasm/index_bg.wasm');
  await resvg.initWasm(await readFile(wasm));
  const fonts = await Promise.all(
    FONT_FILES.map((file) => readFile(assetPath(path.join('fonts', file), `katex/dist/fonts/${file}`))),
  );
  return { resvg, fonts };
}

/** Rasterizes chart SVG at twice its size, so it stays sharp on high-density screens. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  ready ??= load();
  const { resvg, fonts } = await ready;
  const renderer = new resvg.Resvg(svg, {
    font: { fontBuffers: fonts, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: 2 },
  });
  try {
    const image = renderer.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    renderer.free();
  }
}
