// The .vsix: it builds, holds what runs and nothing else (no sources, tests or maps),
// and ships no native binaries, so one package serves every platform.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/** Entry names from a zip's central directory. */
function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

test('the .vsix holds the bundles, wasm, media, both tutorials and the translations, and no sources or tests', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'dlnb-vsix-')), 'dlnb.vsix');
  execFileSync('npm', ['run', '--silent', 'package', '--', out], { stdio: 'pipe' });
  const files = zipEntries(readFileSync(out))
    .filter((name) => name.startsWith('extension/'))
    .map((name) => name.slice('extension/'.length));

  for (const required of [
    'package.json',
    'README.md',
    'dist/extension.js',
    'dist/kernel.js',
    'dist/gemmHelper.js',
    'dist/typescript.js',
    'dist/languageWorker.js',
    'dist/declarations.json',
    'media/dlnb-typescript.tmLanguage.json',
    'media/dlnb-typescript.language-configuration.json',
    'dist/renderer.js',
    'dist/export.js',
    'dist/resvg.wasm',
    'dist/fonts/KaTeX_SansSerif-Regular.ttf',
    'dist/valueRenderer.js',
    'dist/wasm/tfjs-backend-wasm-simd.wasm',
    'media/dlnb.svg',
    'examples/deep-learning-basics.dlnb',
    'examples/deep-learning-basics.zh-CN.dlnb',
    // The UI's translations: package.json's %keys% and the messages the extension shows.
    'package.nls.json',
    'package.nls.zh-cn.json',
    'l10n/bundle.l10n.zh-cn.json',
  ]) {
    // vsce stores the README as readme.md.
    const found = files.some((file) => file.toLowerCase() === required.toLowerCase());
    assert.ok(found, `${required} is missing from the .vsix (it has: ${files.join(', ')})`);
  }
  const unwanted = files.filter(
    (name) => /\.(ts|map|node|tsbuildinfo)$/.test(name) || /^(src|test|renderers|scripts|bench|node_modules)\//.test(name),
  );
  assert.deepEqual(unwanted, [], 'sources, tests, source maps or native binaries in the .vsix');
});
