// Builds dlnb.vsix from the production bundles (run `node esbuild.mjs --production` first;
// `npm run package` does both) and prints what went in and how big it is.
// The .vsix holds only bundled JavaScript and wasm: one file for every platform.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
const out = process.argv[2] ?? 'dlnb.vsix';
// All runtime code is bundled into dist/, so no node_modules go into the package.
// Relative links in the README stay relative: the .vsix carries docs/format.md beside it.
const packageFlags = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out];

execFileSync(process.execPath, [vsce, 'package', ...packageFlags], { stdio: ['ignore', 'inherit', 'inherit'] });
const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { encoding: 'utf8' }).trim().split('\n');
console.log(`\n${out}: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB, ${files.length} files`);
for (const file of files) console.log(`  ${file}`);
