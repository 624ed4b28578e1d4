// The UI in Chinese: every %key% of package.json has its English and Chinese text, every
// message the extension passes to vscode.l10n.t has a Chinese translation, and the tutorial
// command picks the edition of VS Code's display language.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import './hostFakeVscode';
import { CHINESE_TUTORIAL_PATH, TUTORIAL_PATH, tutorialPathFor } from '../../src/host/commands';

const root = join(__dirname, '..', '..');
const json = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, string>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('localization', () => {
  it('gives every %key% of package.json an English and a Chinese text', () => {
    const keys = [...readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length >= 20, `package.json uses %keys% for its titles (found ${keys.length})`);
    const [english, chinese] = [json('package.nls.json'), json('package.nls.zh-cn.json')];
    assert.deepEqual(
      keys.filter((k) => !english[k]),
      [],
      'keys without English text',
    );
    assert.deepEqual(
      keys.filter((k) => !chinese[k]),
      [],
      'keys without Chinese text',
    );
    assert.deepEqual(Object.keys(english).sort(), Object.keys(chinese).sort(), 'both files have the same keys');
    assert.equal(chinese['command.openTutorial.title'], '打开深度学习基础教程');
  });

  it('translates every message the extension shows through vscode.l10n.t', () => {
    const bundle = json('l10n/bundle.l10n.zh-cn.json');
    const messages = filesUnder(join(root, 'src', 'host'))
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        // Literal messages, and the constants some calls pass (e.g. l10n.t(NO_RUNS)).
        const literal = [...text.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]);
        const passed = [...text.matchAll(/l10n\.t\(([^)]*)\)/g)].flatMap((m) => m[1].match(/\b[A-Z][A-Z_]{3,}\b/g) ?? []);
        const constants = passed.flatMap((name) =>
          [...text.matchAll(new RegExp(`const ${name} =\\s*'((?:[^'\\\\]|\\\\.)*)'`, 'g'))].map((m) => m[1]),
        );
        return [...literal, ...constants];
      });
    assert.ok(messages.length >= 25, `found ${messages.length} messages`);
    assert.ok(messages.includes('No model or tensor is held in a top-level variable yet.'), 'messages passed as constants count');
    assert.deepEqual(
      messages.filter((m) => !bundle[m]),
      [],
      'messages without a Chinese translation',
    );
    for (const [english, chinese] of Object.entries(bundle)) {
      const placeholders = (text: string) => (text.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(placeholders(chinese), placeholders(english), `placeholders of "${english}"`);
    }
  });

  it('opens the Chinese tutorial for a Simplified Chinese display language', () => {
    for (const language of ['zh-cn', 'zh-CN', 'zh-hans', 'zh'])
      assert.deepEqual(tutorialPathFor(language), CHINESE_TUTORIAL_PATH, language);
    for (const language of ['en', 'en-us', 'de', 'zh-tw', 'ja'])
      assert.deepEqual(tutorialPathFor(language), TUTORIAL_PATH, language);
  });
});
