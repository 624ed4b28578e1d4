// Extension activation: dist/extension.js required and activate() called with a stand-in
// `vscode` module, each time in a fresh node process (bench/probes/activate.cjs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext, Workload } from '../lib/context';
import { median } from '../lib/measure';
import type { Row } from '../lib/table';

const WORKLOAD = 'extension';
const VARIANT = 'activation (require + activate)';
/** VS Code waits for activate() before it opens the notebook. */
const TARGET_MS = 30;

interface ProbeResult {
  requireMs?: number;
  activateMs?: number;
  subscriptions?: number;
  shownErrors?: string[];
  error?: string;
}

function probe(root: string): ProbeResult {
  const out = execFileSync(process.execPath, [path.join(root, 'bench/probes/activate.cjs'), root], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ProbeResult;
}

export const activationWorkload: Workload = {
  name: 'activation',
  async run(context: BenchContext): Promise<Row[]> {
    if (!existsSync(path.join(context.root, 'dist/extension.js'))) {
      return [{ workload: WORKLOAD, variant: VARIANT, unit: 'ms', note: 'dist/extension.js missing (run the build)' }];
    }
    const runs = context.quick ? 3 : 7;
    context.log(`${WORKLOAD}: activation x${runs}`);
    const totals: number[] = [];
    const requires: number[] = [];
    for (let i = 0; i < runs; i++) {
      const result = probe(context.root);
      if (result.error !== undefined || result.requireMs === undefined || result.activateMs === undefined) {
        return [{ workload: WORKLOAD, variant: VARIANT, unit: 'ms', note: `failed: ${result.error ?? 'no timing'}` }];
      }
      if (result.shownErrors?.length) {
        return [{ workload: WORKLOAD, variant: VARIANT, unit: 'ms', note: `activation showed: ${result.shownErrors[0]}` }];
      }
      totals.push(result.requireMs + result.activateMs);
      requires.push(result.requireMs);
    }
    return [
      {
        workload: WORKLOAD,
        variant: VARIANT,
        value: median(totals),
        unit: 'ms',
        target: { of: 'value', max: TARGET_MS },
        note: `of which require ${median(requires).toFixed(1)} ms`,
      },
    ];
  },
};
