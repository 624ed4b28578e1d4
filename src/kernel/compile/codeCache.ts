// Loads a CommonJS file through `vm.Script` with a V8 code cache beside it, so that a large
// library (the TypeScript compiler) is not parsed and compiled from scratch on every kernel
// start. Node 20 has no `module.enableCompileCache`, hence this. The cache is only ever a
// speed-up: a missing, stale or corrupt cache file means a plain load, never an error.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** What became of the cache on this load: `off` when no cache file was given. */
export type CodeCacheState = 'accepted' | 'rejected' | 'missing' | 'off';

export interface CachedLoad {
  /** The file's `module.exports`. */
  exports: unknown;
  cache: CodeCacheState;
  /**
   * Writes the cache file when it was missing or rejected, from the code compiled so far
   * (call it after a warm-up so the functions it ran are cached too). Never throws.
   */
  saveCache(): void;
}

/** The function Node wraps every CommonJS module in; it must not change between loads. */
function wrapCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function compile(file: string, source: string, cachedData: Buffer | undefined): vm.Script {
  try {
    return new vm.Script(wrapCommonJs(source), { filename: file, cachedData });
  } catch (error) {
    // A syntax error is the file's own fault: say so. Anything else came from the cache.
    if (!cachedData || error instanceof SyntaxError) throw error;
    return new vm.Script(wrapCommonJs(source), { filename: file });
  }
}

/**
 * Written to a temporary name, then renamed: two kernels starting at once may both write,
 * and a reader sees either a whole old file or a whole new one. Older caches of the same
 * library (names with `stalePrefix` and the same extension) are removed: nothing reads them again.
 */
function writeCache(cacheFile: string, data: Buffer, stalePrefix: string | undefined): void {
  const dir = path.dirname(cacheFile);
  const temp = `${cacheFile}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, data);
    renameSync(temp, cacheFile);
  } catch {
    rmSync(temp, { force: true });
    return;
  }
  if (!stalePrefix) return;
  const extension = path.extname(cacheFile);
  for (const name of readdirSync(dir)) {
    const stale = name.startsWith(stalePrefix) && name.endsWith(extension) && name !== path.basename(cacheFile);
    if (stale) rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Runs `file` as a CommonJS module, with V8's code cache read from (and later written to)
 * `cacheFile`. Name the cache file after everything that invalidates it (library version,
 * `process.versions.v8`, the file's size and mtime); `stalePrefix`, when given, is the part
 * of the name shared by every version of it.
 */
export function loadWithCodeCache(file: string, cacheFile: string | undefined, stalePrefix?: string): CachedLoad {
  const source = readFileSync(file, 'utf8');
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const script = compile(file, source, cachedData);
  const cache: CodeCacheState = !cacheFile
    ? 'off'
    : !cachedData
      ? 'missing'
      : script.cachedDataRejected === false
        ? 'accepted'
        : 'rejected';
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    cache,
    saveCache() {
      if (!cacheFile || cache === 'accepted') return;
      try {
        writeCache(cacheFile, script.createCachedData(), stalePrefix);
      } catch {
        // The next start compiles from scratch again; nothing else is lost.
      }
    },
  };
}
