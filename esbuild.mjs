// One esbuild context per target. `--watch` rebuilds on change, `--production` minifies
// and drops source maps. Type-checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, chmodSync } from 'node:fs';
import { buildDeclarations } from './scripts/build-declarations.mjs';
import { tfjsExports } from './scripts/lib/tfjsExports.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
// The language worker and the CLI load the TypeScript that ships for the kernel.
const shippedTypeScript = { typescript: './src/language/bundledTypeScript.ts' };

/** @type {esbuild.BuildOptions[]} */
const targets = [
  // Extension host: loaded by VS Code; must stay light so activation is fast.
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // Kernel worker: tfjs, the TypeScript transpiler, the learning kit and the plot API.
  // TypeScript is not bundled: it ships as dist/typescript.js and loads with a V8 code cache
  // (src/kernel/compile/typescriptLoader.ts), which cuts the kernel's cold start.
  {
    ...node,
    entryPoints: ['src/kernel/worker.ts'],
    outfile: 'dist/kernel.js',
    alias: { typescript: './src/kernel/compile/bundledTypeScript.ts' },
    // tfjs's exports as constants, not getters (scripts/lib/tfjsExports.mjs).
    plugins: [tfjsExports()],
    // The learning kit prints class names (`Linear(in_features=...)`, `MSELoss: ...`) from
    // constructor.name, so identifiers are not minified (test/package/kitMessages.test.ts
    // checks the names). Not esbuild's keepNames: it wraps every function and class it
    // creates in a defineProperty of `name`, closures made per op included, which made
    // tfjs's gradient machinery half again as slow in a training loop.
    minify: false,
    minifyWhitespace: production,
    minifySyntax: production,
  },
  // The kernel's second core (src/kernel/tf/parallel): the matrix multiply's wasm code and
  // a loop that takes halves of large products; the kernel worker starts it.
  { ...node, entryPoints: ['src/kernel/tf/parallel/helperThread.ts'], outfile: 'dist/gemmHelper.js' },
  // `dlnb run`: the same kernel client as the extension, plus headless chart export.
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    // vega-canvas's Node build awaits at top level (not allowed in CJS); SVG export needs no canvas.
    alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js', ...shippedTypeScript },
  },
  // Language worker: TypeScript's language service over open notebooks, started by the
  // extension host when a notebook opens; reads dist/declarations.json.
  { ...node, entryPoints: ['src/language/worker.ts'], outfile: 'dist/languageWorker.js', alias: shippedTypeScript },
  // Export and import (.ipynb, HTML, Markdown): required by the extension host only when an
  // export or import command runs, so markdown-it, KaTeX, highlight.js and Vega stay off
  // the activation path. The CLI bundles the same code.
  {
    ...node,
    entryPoints: ['src/convert/index.ts'],
    outfile: 'dist/export.js',
    alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
  },
  // Notebook renderer: runs in the output webview, loaded only when a chart is shown.
  {
    ...common,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    entryPoints: ['renderers/vegaRenderer.ts'],
    outfile: 'dist/renderer.js',
  },
  // Tensor and model outputs: a small renderer of its own, so they load no chart library.
  {
    ...common,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    entryPoints: ['renderers/values/valueRenderer.ts'],
    outfile: 'dist/valueRenderer.js',
  },
  // Loss-curve webview of the side panel: a plain script, loaded only when a curve is opened.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['renderers/lossChart/main.ts'],
    outfile: 'dist/lossChart.js',
  },
];

/** The wasm backend loads its binaries from disk at run time. */
function copyWasm() {
  const from = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  mkdirSync('dist/wasm', { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.wasm'))) {
    cpSync(`${from}/${file}`, `dist/wasm/${file}`);
  }
}

/**
 * The kernel's TypeScript compiler, loaded beside dist/kernel.js at run time. Its first line
 * names its version, which keys the kernel's code cache of it.
 */
async function buildTypeScript() {
  const { version } = JSON.parse(readFileSync('node_modules/typescript/package.json', 'utf8'));
  await esbuild.build({
    ...common,
    sourcemap: false,
    entryPoints: ['node_modules/typescript/lib/typescript.js'],
    outfile: 'dist/typescript.js',
    bundle: false,
    banner: { js: `// TypeScript ${version}` },
  });
}

/**
 * PNG charts in exported .ipynb files (src/convert/chartPng.ts): resvg's WebAssembly build
 * and the sans-serif font it sets chart text in, loaded beside dist/export.js and dist/cli.js.
 */
function copyChartRasterizer() {
  cpSync('node_modules/@resvg/resvg-wasm/index_bg.wasm', 'dist/resvg.wasm');
  mkdirSync('dist/fonts', { recursive: true });
  for (const weight of ['Regular', 'Bold']) {
    cpSync(`node_modules/katex/dist/fonts/KaTeX_SansSerif-${weight}.ttf`, `dist/fonts/KaTeX_SansSerif-${weight}.ttf`);
  }
}

copyWasm();
copyChartRasterizer();
await buildTypeScript();
// The editor's and `dlnb check`'s declarations: tfjs, Node and the cell globals.
buildDeclarations();
const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  chmodSync('dist/cli.js', 0o755);
}
