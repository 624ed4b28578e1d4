// A real VS Code for tests and `npm start`: code-server (installed by ensure-deps.mjs) in a
// profile of its own (config, data, cache, user data and extensions all in one folder), on a
// free port, in a process group of its own so that stopping it also stops the file watchers
// and extension hosts it spawns.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { codeServerEntry, codeServerReady, node24Bin, node24Env } from './lib/toolchain.mjs';

export const chromiumPath = process.env.DLNB_CHROMIUM ?? '/usr/bin/chromium';

/** User settings that keep the workbench quiet and the same on every start. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

/**
 * Creates the folders one code-server instance keeps its state in, all under `root`.
 * @param {string} root
 * @param {Record<string, unknown>} [settings] merged over {@link quietSettings}
 */
export function createProfile(root, settings = {}) {
  const profile = {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    xdgCache: join(root, 'xdg-cache'),
    logFile: join(root, 'code-server.log'),
  };
  for (const dir of [profile.extensionsDir, profile.xdgConfig, profile.xdgData, profile.xdgCache]) {
    mkdirSync(dir, { recursive: true });
  }
  const userDir = join(profile.userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify({ ...quietSettings, ...settings }, null, 2));
  return profile;
}

function profileEnv(profile, extra = {}) {
  return node24Env({
    XDG_CONFIG_HOME: profile.xdgConfig,
    XDG_DATA_HOME: profile.xdgData,
    XDG_CACHE_HOME: profile.xdgCache,
    ...extra,
  });
}

function commonArgs(profile) {
  return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

function assertInstalled() {
  if (!codeServerReady()) {
    throw new Error('code-server is not installed; run `npm run deps` (node scripts/ensure-deps.mjs).');
  }
}

/** Installs a .vsix into the profile's extensions folder (what a user's "Install from VSIX" does). */
export async function installExtension(profile, vsixPath) {
  assertInstalled();
  if (!existsSync(vsixPath)) throw new Error(`No extension package at ${vsixPath}; run \`npm run package\`.`);
  const args = [codeServerEntry, ...commonArgs(profile), '--force', '--install-extension', vsixPath];
  const { code, output } = await runToEnd(node24Bin, args, profileEnv(profile));
  if (code !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsixPath} failed (exit ${code}):\n${output}`);
  }
}

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolvePromise(port));
    });
  });
}

/**
 * Starts code-server and resolves once it answers HTTP.
 * @param {object} options
 * @param {ReturnType<typeof createProfile>} options.profile
 * @param {string} [options.folder] folder opened when the browser has no `?folder=`
 * @param {boolean} [options.trustWorkspaces] keep the workspace-trust prompt (default: off)
 * @param {string[]} [options.vscodeOptions] passed through as `--vscode-option`
 * @param {Record<string, string>} [options.env] extra environment for the server and its extension hosts
 * @param {number} [options.port] default: a free port
 * @param {string} [options.locale] VS Code's display language, e.g. `zh-cn` (default: English)
 */
export async function startCodeServer({ profile, folder, trustWorkspaces = false, vscodeOptions = [], env = {}, port, locale }) {
  assertInstalled();
  // Loopback only: the server runs without authentication.
  const host = '127.0.0.1';
  port ??= await freePort();
  const args = [
    codeServerEntry,
    ...commonArgs(profile),
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(trustWorkspaces ? [] : ['--disable-workspace-trust']),
    ...(locale ? ['--locale', locale] : []),
    ...vscodeOptions.flatMap((option) => ['--vscode-option', option]),
    ...(folder ? [folder] : []),
  ];
  const log = createWriteStream(profile.logFile, { flags: 'a' });
  // `detached` makes the server the leader of a new process group (setsid), so `stop` can
  // signal everything it started, including watchers that outlive the main process.
  const child = spawn(node24Bin, args, {
    env: profileEnv(profile, env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const pgid = /** @type {number} */ (child.pid);
  const exited = new Promise((resolvePromise) => child.on('exit', (code, signal) => resolvePromise({ code, signal })));
  const killOnExit = () => signalGroup(pgid, 'SIGKILL');
  process.on('exit', killOnExit);

  let stopping;
  const server = {
    host,
    port,
    url: `http://${host}:${port}/`,
    pid: pgid,
    logFile: profile.logFile,
    exited,
    /** `vscode-remote://` URI of a path on this server, as the workbench names remote files. */
    remoteUri: (path) => `vscode-remote://${host}:${port}${path}`,
    /** Workbench URL opening `folder`, with an optional `payload` (array of [key, value]). */
    workbenchUrl: (openFolder, payload) => {
      const query = new URLSearchParams();
      if (openFolder) query.set('folder', openFolder);
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${server.url}?${query}`;
    },
    /** Stops the whole process group: SIGTERM, then SIGKILL for whatever is left. */
    stop: () => (stopping ??= stopGroup(pgid, exited).finally(() => process.off('exit', killOnExit))),
  };

  try {
    await waitForHttp(`${server.url}healthz`, exited, 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${error.message}\n--- ${profile.logFile} ---\n${tail(profile.logFile)}`);
  }
  return server;
}

async function waitForHttp(url, exited, timeoutMs) {
  let gone = false;
  exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('code-server exited while starting');
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000}s`);
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone.
  }
}

async function stopGroup(pgid, exited) {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  await Promise.race([exited, delay(5_000)]);
  // Give the rest of the group (extension hosts, watchers) a moment, then make sure.
  for (let i = 0; i < 20 && signalGroup(pgid, 0); i++) await delay(100);
  signalGroup(pgid, 'SIGKILL');
  for (let i = 0; i < 50 && signalGroup(pgid, 0); i++) await delay(100);
}

function runToEnd(command, args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
