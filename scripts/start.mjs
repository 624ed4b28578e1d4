#!/usr/bin/env node
// `npm start`: try dlnb in a real VS Code in your browser. Packages the extension, installs
// it into a fresh code-server profile, opens the deep-learning tutorial and prints the URL.
// Ctrl+C stops code-server and everything it started.
//
//   npm start                  a free port
//   npm start -- --port 8080   a fixed one (loopback only: the server has no password)
//
// The workspace is `.cache/start/workspace/`, outside the repository's tracked files, so
// running and saving the tutorial never changes `examples/`. Notebooks you create there are
// kept between starts; the tutorial copy is refreshed from `examples/` on every start.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createProfile, installExtension, startCodeServer } from './code-server.mjs';
import { cacheDir, repoRoot } from './lib/toolchain.mjs';

const TUTORIAL = 'deep-learning-basics.dlnb';
const startDir = join(cacheDir, 'start');
const workspace = join(startDir, 'workspace');
const vsix = join(startDir, 'dlnb.vsix');

function portArgument() {
  const index = process.argv.indexOf('--port');
  if (index < 0) return undefined;
  const port = Number(process.argv[index + 1]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`--port needs a port number, got "${process.argv[index + 1] ?? ''}"`);
  }
  return port;
}

function step(message) {
  console.log(`[start] ${message}`);
}

async function main() {
  const port = portArgument();
  // code-server and Node 24, not Chromium: you bring the browser.
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'ensure-deps.mjs'), '--no-browser'], { stdio: 'inherit' });

  step('building and packaging the extension...');
  mkdirSync(startDir, { recursive: true });
  execFileSync('npm', ['run', '--silent', 'package', '--', vsix], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });

  mkdirSync(workspace, { recursive: true });
  copyFileSync(join(repoRoot, 'examples', TUTORIAL), join(workspace, TUTORIAL));
  // A fresh profile each start, so the extension just packaged is the one that runs.
  const profileDir = join(startDir, 'profile');
  rmSync(profileDir, { recursive: true, force: true });
  // The workbench opens the URL's file before the extension's notebook type is known and
  // would show it as JSON text; the association makes it wait for the notebook editor.
  const profile = createProfile(profileDir, { 'workbench.editorAssociations': { '*.dlnb': 'dlnb' } });
  step('installing the extension into code-server...');
  await installExtension(profile, vsix);

  // Workspace trust is off: the workspace holds only our copy of the shipped tutorial.
  const server = await startCodeServer({ profile, folder: workspace, port });
  let stopping = false;
  const stop = async (signal) => {
    stopping = true;
    step(`${signal}: stopping code-server...`);
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const url = server.workbenchUrl(workspace, [['openFile', server.remoteUri(join(workspace, TUTORIAL))]]);
  console.log(`
dlnb is running in VS Code (code-server) with the tutorial open:

  ${url}

Workspace: ${workspace}
Server log: ${profile.logFile}
Press Ctrl+C to stop.
`);
  const { code, signal } = await server.exited;
  if (stopping) return; // `stop` exits once the whole group is gone.
  console.error(`[start] code-server exited (${signal ?? `code ${code}`}); see ${profile.logFile}`);
  await server.stop();
  process.exit(1);
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
