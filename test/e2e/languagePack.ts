// A stand-in for VS Code's Chinese language pack, for the tests in Chinese. VS Code takes a
// display language only when a language pack for it is installed: with `--locale zh-cn` and
// none, it falls back to English, extensions included (their package.nls.zh-cn.json is not
// read and vscode.env.language is "en"). The real pack comes from the Marketplace, which the
// test machines cannot reach, so this builds one that declares zh-cn and translates nothing:
// the workbench's own texts stay English, and dlnb's contributions show in Chinese.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installExtension, type Profile } from '../../scripts/code-server.mjs';

const PUBLISHER = 'dlnb-test';
const NAME = 'dlnb-test-language-pack-zh-hans';
const VERSION = '0.0.1';

/**
 * Installs the stand-in pack into `profile` and registers it the way VS Code records an
 * installed language pack (user-data/languagepacks.json), which code-server reads at start
 * to resolve `--locale`; installing from the command line does not write that file.
 */
export async function installChineseLanguagePack(profile: Profile): Promise<void> {
  await installExtension(profile, chineseLanguagePackVsix());
  const translations = join(profile.extensionsDir, `${PUBLISHER}.${NAME}-${VERSION}`, 'translations', 'main.i18n.json');
  const packs = {
    'zh-cn': {
      hash: createHash('md5').update(`${PUBLISHER}.${NAME}@${VERSION}`).digest('hex'),
      extensions: [{ extensionIdentifier: { id: `${PUBLISHER}.${NAME}` }, version: VERSION }],
      translations: { vscode: translations },
      label: '中文(简体)',
    },
  };
  writeFileSync(join(profile.userDataDir, 'languagepacks.json'), JSON.stringify(packs, null, 2));
}

/** Builds the stand-in pack as a .vsix and returns its path. */
function chineseLanguagePackVsix(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dlnb-zh-pack-'));
  const manifest = {
    name: NAME,
    displayName: 'Chinese (Simplified) stand-in language pack for dlnb tests',
    description: 'Declares zh-cn for VS Code; translates nothing.',
    publisher: PUBLISHER,
    version: VERSION,
    license: 'MIT',
    engines: { vscode: '^1.90.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        {
          languageId: 'zh-cn',
          languageName: 'Chinese Simplified',
          localizedLanguageName: '中文(简体)',
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'README.md'), 'A stand-in language pack for tests.\n');
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  mkdirSync(join(dir, 'translations'));
  writeFileSync(join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
  const out = join(dir, 'language-pack.vsix');
  execFileSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--out', out], { cwd: dir, stdio: 'pipe' });
  return out;
}
