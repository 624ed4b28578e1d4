// Bundles the integration tests for VS Code's extension host: index.ts and each
// `<suite folder>/*.test.ts` into `out/integration/` as CommonJS for Node, with `vscode`
// (given by the extension host) and `mocha` (loaded from node_modules) left external.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../e2e/workbench';

export const outDir = join(repoRoot, 'out', 'integration');

/** Builds the tests in `suiteDir`; returns the path of the entry VS Code loads. */
export async function buildIntegrationTests(suiteDir: string): Promise<string> {
  const suites = existsSync(suiteDir) ? readdirSync(suiteDir).filter((name) => name.endsWith('.test.ts')) : [];
  if (suites.length === 0) throw new Error(`no *.test.ts suites in ${suiteDir}`);
  rmSync(outDir, { recursive: true, force: true });
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  };
  await esbuild.build({
    ...common,
    entryPoints: [join(repoRoot, 'test/integration/index.ts')],
    outfile: join(outDir, 'index.js'),
  });
  await esbuild.build({
    ...common,
    entryPoints: suites.map((name) => join(suiteDir, name)),
    outdir: join(outDir, 'suite'),
  });
  return join(outDir, 'index.js');
}
