// The same integration suites on VS Code desktop through @vscode/test-electron, for machines
// that can download VS Code (it fetches a build from update.code.visualstudio.com). Where that
// download is blocked, use `npm run test:integration`, which runs them in code-server.
//
//   node --import tsx test/integration/runnerElectron.ts [suite folder]
// Set DLNB_VSCODE_EXECUTABLE to use an installed VS Code instead of downloading one.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../e2e/workbench';
import { buildIntegrationTests } from './runnerBuild';

async function main(): Promise<number> {
  const testsEntry = await buildIntegrationTests(resolve(repoRoot, process.argv[2] ?? 'test/integration/suite'));
  const root = mkdtempSync(join(tmpdir(), 'dlnb-electron-'));
  const workspace = join(root, 'workspace');
  mkdirSync(workspace);
  try {
    return await runTests({
      vscodeExecutablePath: process.env.DLNB_VSCODE_EXECUTABLE,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsEntry,
      extensionTestsEnv: { DLNB_TEST_RESULTS: join(root, 'results.ndjson') },
      // The suites need a trusted workspace and no other extensions in the way.
      launchArgs: [
        workspace,
        '--disable-workspace-trust',
        '--disable-extensions',
        '--user-data-dir',
        join(root, 'user-data'),
        '--extensions-dir',
        join(root, 'extensions'),
      ],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:electron: ${error instanceof Error ? error.message : error}`);
    console.error('If VS Code cannot be downloaded here, run `npm run test:integration` (code-server) instead.');
    process.exit(1);
  },
);
