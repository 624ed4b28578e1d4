#!/usr/bin/env node
// Installs what the end-to-end and integration tests (and `npm start`) need, when missing:
// Debian's Chromium, the build tools and Kerberos headers code-server's native modules
// compile against, then Node 24 and code-server cached in `.cache/`. Quiet when all is there.
//
//   node scripts/ensure-deps.mjs            everything
//   node scripts/ensure-deps.mjs --no-browser   skip Chromium (`npm start` opens your own browser)
//   node scripts/ensure-deps.mjs --bench    what `npm run bench` uses: Chromium (the renderer's
//                                           figures), PyTorch and OpenBLAS (the reference
//                                           figures); without root it only says what is missing
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { codeServerReady, ensureCodeServer, ensureNode24 } from './lib/toolchain.mjs';
import { chromiumPath } from './code-server.mjs';

const log = (message) => console.log(`[deps] ${message}`);

/** Debian packages, each with how to tell it is already there. */
function missingSystemPackages({ browser, buildTools }) {
  const missing = [];
  if (browser && !existsSync(chromiumPath)) missing.push('chromium');
  // A Chinese font, so the screenshots of the workbench in Chinese show characters, not boxes.
  if (browser && !dpkgInstalled('fonts-wqy-microhei')) missing.push('fonts-wqy-microhei');
  if (buildTools) {
    if (!dpkgInstalled('libkrb5-dev')) missing.push('libkrb5-dev');
    if (!onPath('make') || !onPath('g++')) missing.push('build-essential');
    if (!onPath('python3')) missing.push('python3');
  }
  return missing;
}

function dpkgInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function installSystemPackages(packages) {
  if (packages.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing system packages: ${packages.join(' ')}.\n` + `Install them, e.g.: sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  log(`apt-get install ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
}

/** The bench runs without any of these (it prints why a figure is missing), so it never fails here. */
function ensureBenchPackages() {
  const missing = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  if (spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) missing.push('python3-torch');
  if (!dpkgInstalled('libopenblas0-pthread')) missing.push('libopenblas0-pthread');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(
      `not installed (the bench skips what needs them): ${missing.join(' ')}; e.g. sudo apt-get install -y ${missing.join(' ')}`,
    );
    return;
  }
  installSystemPackages(missing);
}

async function main() {
  if (process.argv.includes('--bench')) return ensureBenchPackages();
  const browser = !process.argv.includes('--no-browser');
  // Kerberos headers and compilers matter only while code-server's native modules build.
  installSystemPackages(missingSystemPackages({ browser, buildTools: !codeServerReady() }));
  await ensureNode24(log);
  await ensureCodeServer(log);
}

main().catch((error) => {
  console.error(`[deps] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
