// Finds the file of an ESM-only package (one whose "exports" offer only an "import"
// condition) from the notebook's folder. require.resolve refuses those, and `import()`
// in the worker bundle would resolve from the extension's folder instead of the
// notebook's, so the package is looked up here as Node would: node_modules folders
// upwards, then its "exports" (conditions import, node, default), "module" or "main".
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const CONDITIONS = ['import', 'node', 'default'];

/** The absolute file a bare specifier (`pkg`, `@scope/pkg/sub`) imports, or undefined. */
export function resolveEsmPackage(specifier: string, fromDir: string): string | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? './' + parts.slice(nameLength).join('/') : '.';
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const packageDir = path.join(dir, 'node_modules', name);
    const manifestFile = path.join(packageDir, 'package.json');
    if (existsSync(manifestFile)) {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
      const target = manifest.exports !== undefined ? exportTarget(manifest.exports, subpath) : legacyTarget(manifest, subpath);
      return target ? path.join(packageDir, target) : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && Object.keys(exports).some((k) => k.startsWith('.'));
  const entry = isSubpathMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  return conditionTarget(entry);
}

function conditionTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map(conditionTarget).find(Boolean);
  if (typeof entry !== 'object' || entry === null) return undefined;
  for (const condition of CONDITIONS) {
    const target = conditionTarget((entry as Record<string, unknown>)[condition]);
    if (target) return target;
  }
  return undefined;
}

function legacyTarget(manifest: Record<string, unknown>, subpath: string): string | undefined {
  if (subpath !== '.') return subpath;
  const main = manifest.module ?? manifest.main;
  return typeof main === 'string' ? main : 'index.js';
}
