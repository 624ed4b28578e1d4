// The kernel's code cache of TypeScript (src/kernel/compile/codeCache.ts and
// typescriptLoader.ts): written on a first start, used on later ones, and never in the
// way when it is corrupt or stale. The kernel tests use the real bundles (dist/kernel.js
// and dist/typescript.js; run `npm run build` first).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createKernel } from '../../src/kernel-client';
import { builtKernelOptions } from './builtKernel';
import type { ExecutionObserver } from '../../src/kernel-client/types';
import { loadWithCodeCache } from '../../src/kernel/compile/codeCache';
import { loadBundledTypeScript } from '../../src/kernel/compile/typescriptLoader';

const root = path.resolve(__dirname, '../..');
const bundledTypeScript = path.join(root, 'dist/typescript.js');
const GARBAGE = Buffer.from('not a V8 code cache '.repeat(100));

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dlnb-coldstart-'));
  temps.push(dir);
  return dir;
}
/** Inside each suite: a file-level `after` may run before the suites are done. */
function removeTempDirsAfterwards(): void {
  after(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

/** A CommonJS module unique to this call, so that V8's in-memory caches cannot answer for it. */
function writeModule(dir: string, answer: number): string {
  const file = path.join(dir, `answer-${answer}.js`);
  const helpers = Array.from({ length: 50 }, (_, i) => `function helper${i}(x) { return x + ${i}; }`).join('\n');
  writeFileSync(file, `${helpers}\nmodule.exports = { answer: () => helper0(${answer}), dir: __dirname };\n`);
  return file;
}

describe('loadWithCodeCache', () => {
  removeTempDirsAfterwards();
  it('runs the file as CommonJS and, without a cache file, caches nothing', () => {
    const dir = tempDir();
    const load = loadWithCodeCache(writeModule(dir, 41), undefined);
    assert.equal(load.cache, 'off');
    const exports = load.exports as { answer(): number; dir: string };
    assert.equal(exports.answer(), 41);
    assert.equal(exports.dir, dir, '__dirname is the folder of the file');
    load.saveCache();
    assert.deepEqual(readdirSync(dir), ['answer-41.js']);
  });

  it('writes the cache on the first load and uses it on the next', () => {
    const dir = tempDir();
    const file = writeModule(dir, 7);
    const cacheFile = path.join(dir, 'cache', 'answer.bin');
    const first = loadWithCodeCache(file, cacheFile);
    assert.equal(first.cache, 'missing');
    first.saveCache();
    assert.ok(existsSync(cacheFile), 'the cache file is written');
    assert.deepEqual(readdirSync(path.dirname(cacheFile)), ['answer.bin'], 'no temporary file is left behind');

    const second = loadWithCodeCache(file, cacheFile);
    assert.equal(second.cache, 'accepted');
    assert.equal((second.exports as { answer(): number }).answer(), 7);
  });

  it('ignores a corrupt cache, loads the file anyway and rewrites the cache', () => {
    const dir = tempDir();
    const file = writeModule(dir, 99);
    const cacheFile = path.join(dir, 'answer.bin');
    writeFileSync(cacheFile, GARBAGE);
    const load = loadWithCodeCache(file, cacheFile);
    assert.equal(load.cache, 'rejected');
    assert.equal((load.exports as { answer(): number }).answer(), 99);
    load.saveCache();
    assert.notDeepEqual(readFileSync(cacheFile), GARBAGE);
    assert.equal(loadWithCodeCache(file, cacheFile).cache, 'accepted');
  });

  it('rejects the cache of other source text under the same name', () => {
    const dir = tempDir();
    const cacheFile = path.join(dir, 'answer.bin');
    const old = loadWithCodeCache(writeModule(dir, 1), cacheFile);
    old.saveCache();
    const changed = loadWithCodeCache(writeModule(dir, 123456), cacheFile);
    assert.equal(changed.cache, 'rejected');
    assert.equal((changed.exports as { answer(): number }).answer(), 123456);
  });

  it('removes older caches of the same library when it writes a new one', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'lib-old.bin'), GARBAGE);
    writeFileSync(path.join(dir, 'other-old.bin'), GARBAGE);
    loadWithCodeCache(writeModule(dir, 5), path.join(dir, 'lib-new.bin'), 'lib-').saveCache();
    assert.deepEqual(
      readdirSync(dir)
        .filter((name) => name.endsWith('.bin'))
        .sort(),
      ['lib-new.bin', 'other-old.bin'],
    );
  });
});

describe('loadBundledTypeScript', () => {
  removeTempDirsAfterwards();
  it('caches dist/typescript.js under its TypeScript and V8 versions, then uses the cache', () => {
    assert.ok(existsSync(bundledTypeScript), `${bundledTypeScript} is missing: run \`npm run build\` first`);
    const cacheDir = tempDir();
    const first = loadBundledTypeScript(cacheDir, bundledTypeScript);
    assert.equal(first.cache, 'missing');
    first.warmUpAndSaveCache();
    const [name, ...others] = readdirSync(cacheDir);
    assert.deepEqual(others, []);
    assert.match(name!, new RegExp(`^typescript-\\d+\\.\\d+\\.\\d+-v8-${process.versions.v8.replace(/\./g, '\\.')}-`));
    assert.equal(loadBundledTypeScript(cacheDir, bundledTypeScript).cache, 'accepted');
  });
});

describe('kernel start with a cache folder', () => {
  removeTempDirsAfterwards();
  const quiet: ExecutionObserver = { onStream() {}, onDisplay() {}, onUpdateDisplay() {} };

  /** Starts a kernel, runs a TypeScript cell using tfjs, and stops it. */
  async function startAndRun(cacheDir: string): Promise<void> {
    const kernel = createKernel(builtKernelOptions({ memoryLimitMb: 2048, maxOutputChars: 10_000, cacheDir }));
    try {
      await kernel.start();
      const source = 'const xs: number[] = [1, 2, 3];\ntf.tensor(xs).sum().arraySync()';
      const done = await kernel.execute({ cell: 1, source, cellSources: () => [source] }, quiet);
      assert.equal(done.status, 'ok', JSON.stringify(done.error));
      assert.equal(done.result?.bundle['text/plain'], '6');
    } finally {
      await kernel.dispose();
    }
  }

  /** The one cache file of TypeScript in `dir` (the kernel writes it before 'ready'). */
  function cacheFileIn(dir: string): string {
    const names = existsSync(dir) ? readdirSync(dir) : [];
    const caches = names.filter((n) => n.startsWith('typescript-') && n.endsWith('.bin'));
    assert.equal(caches.length, 1, `one TypeScript code cache in ${dir}: ${names.join(', ')}`);
    return path.join(dir, caches[0]!);
  }

  it('writes the cache on the first start and leaves it as it is on the next', async () => {
    const cacheDir = path.join(tempDir(), 'not-yet-there');
    await startAndRun(cacheDir);
    const cacheFile = cacheFileIn(cacheDir);
    const written = statSync(cacheFile);
    await startAndRun(cacheDir);
    const later = statSync(cacheFile);
    // An accepted cache is not written again; a rejected one would be (a new inode, by rename).
    assert.equal(later.ino, written.ino);
    assert.equal(later.mtimeMs, written.mtimeMs);
  });

  it('starts with a corrupt cache and replaces it', async () => {
    const cacheDir = tempDir();
    await startAndRun(cacheDir);
    const cacheFile = cacheFileIn(cacheDir);
    writeFileSync(cacheFile, GARBAGE);
    await startAndRun(cacheDir);
    assert.equal(cacheFileIn(cacheDir), cacheFile);
    assert.notDeepEqual(readFileSync(cacheFile), GARBAGE, 'the corrupt cache is replaced');
    const rewritten = statSync(cacheFile);
    await startAndRun(cacheDir);
    assert.equal(statSync(cacheFile).mtimeMs, rewritten.mtimeMs, 'and the new one is used as it is');
  });
});
