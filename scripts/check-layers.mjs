// Lint for the layer rules: the extension host, the kernel worker, the kernel client,
// the CLI and the webview code are separate bundles and never import each other's
// runtime. Type-only imports are allowed (they vanish at build time).
// Exits 1 with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Layer of a repo-relative path, or undefined for files outside the layered code. */
function layerOf(path) {
  if (path === 'src/extension.ts' || path.startsWith('src/host/')) return 'host';
  for (const layer of ['kernel-client', 'kernel', 'cli', 'shared', 'language', 'convert']) {
    if (path.startsWith(`src/${layer}/`)) return layer;
  }
  if (path.startsWith('renderers/')) return 'webview';
  return undefined;
}

/** Which layers each layer may import at run time. */
const allowed = {
  host: ['host', 'shared', 'kernel-client'],
  'kernel-client': ['kernel-client', 'shared'],
  cli: ['cli', 'shared', 'kernel-client', 'language', 'convert'],
  // The language worker: TypeScript's language service; the CLI runs it in-process.
  language: ['language', 'shared'],
  // The exporters and importer: VS Code-free, loaded by the host only from their own bundle.
  convert: ['convert', 'shared'],
  kernel: ['kernel', 'shared'],
  shared: ['shared'],
  webview: ['webview', 'shared'],
};
/** Packages only some layers may load. */
const vscodeLayers = ['host'];
const nodeBuiltins = /^node:|^(fs|path|os|child_process|worker_threads|module|vm|util|crypto|url)$/;

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

const importPattern =
  /(^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|(^|\n)\s*import\s+['"]([^'"]+)['"]/g;

const problems = [];
for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'renderers'))]) {
  const path = relative(root, file);
  const layer = layerOf(path);
  if (!layer) continue;
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(importPattern)) {
    const typeOnly = Boolean(match[3]);
    const specifier = match[4] ?? match[5] ?? match[6] ?? match[8];
    if (typeOnly) continue;
    const line = text.slice(0, match.index).split('\n').length + (match[1] === '\n' || match[7] === '\n' ? 1 : 0);
    if (specifier === 'vscode' && !vscodeLayers.includes(layer)) {
      problems.push(`${path}:${line}: ${layer} code imports 'vscode' (only the extension host may)`);
    } else if (layer === 'webview' && nodeBuiltins.test(specifier)) {
      problems.push(`${path}:${line}: webview code imports the Node module '${specifier}'`);
    } else if (specifier.startsWith('.')) {
      const target = layerOf(relative(root, resolve(dirname(file), specifier)));
      if (target && !allowed[layer].includes(target)) {
        problems.push(`${path}:${line}: ${layer} code imports ${target} code at run time ('${specifier}')`);
      }
    }
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} layer violation(s). Use \`import type\` for types, or move shared code to src/shared.`);
  process.exit(1);
}
console.log('layers: ok');
