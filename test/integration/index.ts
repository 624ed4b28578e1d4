// Runs inside VS Code's extension host (its `extensionTestsPath`): loads the mocha suites
// bundled next to this file into `suite/` and runs them. Each result is appended as one JSON
// line to the file named by DLNB_TEST_RESULTS (or `results.ndjson` here), because in
// code-server the extension host's console is not the test process's; the runner reads
// that file. A rejected `run()` is how @vscode/test-electron learns of failures.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type MochaType from 'mocha';

/** One line of the results file. */
export type ResultEvent =
  | { event: 'start'; total: number }
  | { event: 'pass'; title: string; durationMs?: number }
  | { event: 'fail'; title: string; error: string }
  | { event: 'pending'; title: string }
  | { event: 'end'; passes: number; failures: number; pending: number };

// Mocha 12 is an ES module package whose entry re-exports CommonJS; `require` gives either
// the class or a namespace holding it as `default`.
function loadMocha(): typeof MochaType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('mocha') as typeof MochaType & { default?: typeof MochaType };
  return loaded.default ?? loaded;
}

export async function run(): Promise<void> {
  const resultsFile = process.env.DLNB_TEST_RESULTS ?? join(__dirname, 'results.ndjson');
  writeFileSync(resultsFile, '');
  const record = (event: ResultEvent) => appendFileSync(resultsFile, `${JSON.stringify(event)}\n`);

  const Mocha = loadMocha();
  // DLNB_TEST_GREP runs only the tests whose full title matches (while working on one).
  const grep = process.env.DLNB_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const suiteDir = join(__dirname, 'suite');
  for (const file of readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(suiteDir, file));
  }

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run(resolve);
      runner.on('start', () => record({ event: 'start', total: runner.total }));
      runner.on('pass', (test) => record({ event: 'pass', title: test.fullTitle(), durationMs: test.duration }));
      runner.on('fail', (test, error: Error) =>
        record({ event: 'fail', title: test.fullTitle(), error: error?.stack ?? String(error) }),
      );
      runner.on('pending', (test) => record({ event: 'pending', title: test.fullTitle() }));
      runner.on('end', () => {
        const stats = runner.stats ?? { passes: 0, failures: runner.failures, pending: 0 };
        record({ event: 'end', passes: stats.passes, failures: stats.failures, pending: stats.pending });
      });
    } catch (error) {
      // A suite that throws while loading never reaches `start`: report it as a failure.
      record({ event: 'fail', title: 'loading the test suites', error: (error as Error)?.stack ?? String(error) });
      record({ event: 'end', passes: 0, failures: 1, pending: 0 });
      reject(error);
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
