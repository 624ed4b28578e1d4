// The TypeScript compiler of the kernel bundle. It ships beside dist/kernel.js as
// dist/typescript.js, not inside it, so that it can load with a V8 code cache: compiling its
// 9 MB from scratch is the largest part of a kernel's cold start. The worker loads it once
// on `init`; the bundle's `import ts from 'typescript'` then resolves to it through
// bundledTypeScript.ts (esbuild.mjs aliases 'typescript' there, in the kernel target only).
// Tests that import src/kernel/compile directly get node_modules' TypeScript as before.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as TypeScript from 'typescript';
import { loadWithCodeCache, type CodeCacheState } from './codeCache';

const CACHE_PREFIX = 'typescript-';
/** A cell with the constructs users write first, so that the cache holds the code they run. */
const WARM_UP_CELL =
  'import * as m from "m";\nconst xs: number[] = [1, 2];\nfor (const x of xs) await m.f(x);\nclass A { y = 1 }\n';

export interface TypeScriptLoad {
  cache: CodeCacheState;
  /** Compiles a small cell, then writes the code cache if it was missing or rejected. Never throws. */
  warmUpAndSaveCache(): void;
}

let loaded: typeof TypeScript | undefined;

/** TypeScript's version, from the first line of dist/typescript.js (see esbuild.mjs). */
function versionOf(file: string): string {
  const head = Buffer.alloc(256);
  const fd = openSync(file, 'r');
  try {
    const bytes = readSync(fd, head, 0, head.length, 0);
    return /^\/\/ TypeScript (\S+)/.exec(head.toString('utf8', 0, bytes))?.[1] ?? 'unknown';
  } finally {
    closeSync(fd);
  }
}

/** Everything that invalidates the cache is in its name: a change means a new file. */
function cacheFileOf(file: string, cacheDir: string): string {
  const { size, mtimeMs } = statSync(file);
  const key = [versionOf(file), `v8-${process.versions.v8}`, size, Math.round(mtimeMs)].join('-');
  return path.join(cacheDir, `${CACHE_PREFIX}${key}.bin`);
}

/** A folder someone else owns (say, planted in a shared temp dir) could hold anything: no cache then. */
function ownedByOthers(dir: string): boolean {
  try {
    return process.getuid !== undefined && statSync(dir).uid !== process.getuid();
  } catch {
    return false; // Not there yet: it will be created with this user's rights.
  }
}

function cacheFileOrNone(file: string, cacheDir: string | undefined): string | undefined {
  if (!cacheDir || ownedByOthers(cacheDir)) return undefined;
  try {
    return cacheFileOf(file, cacheDir);
  } catch {
    return undefined;
  }
}

/**
 * Loads `file` (by default dist/typescript.js beside the kernel bundle) as the compiler the
 * kernel uses, caching its compiled code in `cacheDir` when one is given.
 */
export function loadBundledTypeScript(
  cacheDir: string | undefined,
  file = path.join(__dirname, 'typescript.js'),
): TypeScriptLoad {
  const load = loadWithCodeCache(file, cacheFileOrNone(file, cacheDir), CACHE_PREFIX);
  const ts = load.exports as typeof TypeScript;
  if (typeof ts.transpileModule !== 'function') throw new Error(`${file} is not the TypeScript compiler.`);
  loaded = ts;
  return {
    cache: load.cache,
    warmUpAndSaveCache() {
      if (load.cache === 'accepted' || load.cache === 'off') return;
      try {
        ts.transpileModule(WARM_UP_CELL, { compilerOptions: { target: ts.ScriptTarget.ES2022, sourceMap: true } });
      } catch {
        // A warm-up only decides what the cache holds.
      }
      load.saveCache();
    },
  };
}

/** The compiler `loadBundledTypeScript` loaded; the bundle's 'typescript' module. */
export function loadedTypeScript(): typeof TypeScript {
  if (!loaded) throw new Error('The kernel used TypeScript before loading it (loadBundledTypeScript runs on init).');
  return loaded;
}
