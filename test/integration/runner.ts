// Runs the integration suites inside a real VS Code's extension host: code-server, with
// the repository as the extension under development (run `npm run build` first), opened in
// headless Chromium with the `extensionDevelopmentPath` / `extensionTestsPath` payload that
// @vscode/test-electron passes to VS Code desktop. index.ts (in the extension host) writes
// each result to a file; this process prints them and exits non-zero on any failure.
//
//   node --import tsx test/integration/runner.ts [suite folder]   (default: test/integration/suite)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createProfile, startCodeServer } from '../../scripts/code-server.mjs';
import { launchChromium, repoRoot, waitFor } from '../e2e/workbench';
import { buildIntegrationTests } from './runnerBuild';
import type { ResultEvent } from './index';

const resultsDir = join(repoRoot, 'test-results', 'integration');
/** The extension host must load and start the suites within this; then each test has its own timeout. */
const START_TIMEOUT_MS = 180_000;
const RUN_TIMEOUT_MS = Number(process.env.DLNB_INTEGRATION_TIMEOUT_MS ?? 30 * 60_000);

async function main(): Promise<number> {
  const suiteDir = resolve(repoRoot, process.argv[2] ?? 'test/integration/suite');
  rmSync(resultsDir, { recursive: true, force: true });
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing; run `npm run build` first.');
  }
  const testsEntry = await buildIntegrationTests(suiteDir);
  console.log(`integration: suites from ${relative(repoRoot, suiteDir)}, built into ${relative(repoRoot, testsEntry)}`);

  const root = mkdtempSync(join(tmpdir(), 'dlnb-integration-'));
  const workspace = join(root, 'workspace');
  mkdirSync(workspace);
  const resultsFile = join(root, 'results.ndjson');
  const profile = createProfile(join(root, 'profile'));
  const server = await startCodeServer({
    profile,
    folder: workspace,
    vscodeOptions: ['enable-smoke-test-driver'],
    env: { DLNB_TEST_RESULTS: resultsFile },
  });
  const browser = await launchChromium();
  mkdirSync(resultsDir, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(
      server.workbenchUrl(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
        ['extensionTestsPath', server.remoteUri(testsEntry)],
      ]),
      { timeout: 180_000 },
    );
    const printer = new ResultPrinter(resultsFile);
    await waitFor('the extension host to start the integration tests', async () => printer.poll().started, START_TIMEOUT_MS);
    const end = await waitFor('the integration tests to finish', async () => printer.poll().end, RUN_TIMEOUT_MS);
    console.log(`\n${end.passes} passing, ${end.failures} failing, ${end.pending} pending`);
    return end.failures === 0 && end.passes > 0 ? 0 : 1;
  } catch (error) {
    console.error(`\nintegration: ${(error as Error).message}`);
    console.error(`screenshot and logs in ${relative(repoRoot, resultsDir)}/`);
    return 1;
  } finally {
    await page.screenshot({ path: join(resultsDir, 'workbench.png') }).catch(() => undefined);
    await browser.close();
    await server.stop();
    cpSync(profile.logFile, join(resultsDir, 'code-server.log'));
    copyExtensionHostLog(profile.userDataDir);
    rmSync(root, { recursive: true, force: true });
  }
}

/** Reads the results file as it grows and prints each new result once. */
class ResultPrinter {
  private printed = 0;
  private state: { started: boolean; end?: Extract<ResultEvent, { event: 'end' }> } = { started: false };

  constructor(private readonly file: string) {}

  poll(): { started: boolean; end?: Extract<ResultEvent, { event: 'end' }> } {
    if (!existsSync(this.file)) return this.state;
    const lines = readFileSync(this.file, 'utf8').split('\n');
    // The last piece may be a line still being written.
    for (const line of lines.slice(this.printed, lines.length - 1)) {
      this.printed++;
      if (line.trim()) this.print(JSON.parse(line) as ResultEvent);
    }
    return this.state;
  }

  private print(event: ResultEvent): void {
    switch (event.event) {
      case 'start':
        this.state.started = true;
        console.log(`running ${event.total} tests in the extension host`);
        break;
      case 'pass':
        console.log(`  ✔ ${event.title}${event.durationMs ? ` (${event.durationMs} ms)` : ''}`);
        break;
      case 'fail':
        this.state.started = true;
        console.log(`  ✖ ${event.title}\n${indent(event.error)}`);
        break;
      case 'pending':
        console.log(`  - ${event.title} (skipped)`);
        break;
      case 'end':
        this.state.started = true;
        this.state.end = event;
        break;
    }
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

/** The extension host's own log says why a suite failed to load; keep it with the results. */
function copyExtensionHostLog(userDataDir: string): void {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return;
  cpSync(logs, join(resultsDir, 'vscode-logs'), { recursive: true });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
