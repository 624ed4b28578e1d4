// The editor's TypeScript as a user feels it, through the same client and worker VS Code
// uses (dist/languageWorker.js): the first completion after a notebook opens, completion
// after `tf.` in the tutorial's last cell, hover, a cell edit to fresh problems, and
// `dlnb check` on the tutorial from a cold process.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LanguageClient } from '../../src/host/language/languageClient';
import { codeCellsOf } from '../../src/language/checkNotebook';
import { parseNotebook } from '../../src/shared/dlnbFormat';
import type { CellUpdate, LanguageEvent } from '../../src/shared/languageProtocol';
import type { BenchContext, Workload } from '../lib/context';
import { median } from '../lib/measure';
import type { Row } from '../lib/table';

const WORKLOAD = 'language';
const NOTEBOOK = 'bench:tutorial';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const languageWorkload: Workload = {
  name: WORKLOAD,
  async run(context: BenchContext): Promise<Row[]> {
    const dist = path.join(context.root, 'dist');
    const row = (variant: string, unit: 'ms' | 's', value: number | undefined, max: number, note?: string): Row => ({
      workload: WORKLOAD,
      variant,
      unit,
      value,
      target: { of: 'value', max },
      note,
    });
    if (!existsSync(path.join(dist, 'languageWorker.js'))) {
      return [row('completion after tf.', 'ms', undefined, 100, 'dist/languageWorker.js missing (run the build)')];
    }
    const tutorialFile = path.join(context.root, 'examples/deep-learning-basics.dlnb');
    const cells = codeCellsOf(parseNotebook(readFileSync(tutorialFile, 'utf8')));
    const last = cells[cells.length - 1];
    last.source += '\ntf.';
    const atDot = last.source.length;

    const waiters: Array<(event: LanguageEvent) => void> = [];
    const client = new LanguageClient({
      workerPath: path.join(dist, 'languageWorker.js'),
      declarationsPath: path.join(dist, 'declarations.json'),
      onEvent: (event) => waiters.splice(0).forEach((w) => w(event)),
      onRestart: () => undefined,
      log: (message) => context.log(message),
    });
    const update = (list: CellUpdate[]) =>
      client.send({ type: 'update', notebook: NOTEBOOK, dir: path.dirname(tutorialFile), cells: list, diagnostics: true });
    const complete = () => client.query(NOTEBOOK, { op: 'completions', cellId: last.id, offset: atDot, triggerCharacter: '.' });
    const problemsOf = (cellId: string) =>
      new Promise<void>((resolve) => {
        const wait = (event: LanguageEvent) => {
          if (event.type === 'diagnostics' && event.cellIds.includes(cellId)) resolve();
          else waiters.push(wait);
        };
        waiters.push(wait);
      });
    try {
      context.log(`${WORKLOAD}: open the tutorial, first completion`);
      let started = performance.now();
      update(cells);
      const first = await complete();
      const firstMs = performance.now() - started;
      if (!first?.entries.some((e) => e.name === 'tensor2d')) throw new Error('no tensor2d after tf.');

      const runs = context.quick ? 20 : 60;
      context.log(`${WORKLOAD}: completion and hover x${runs}`);
      const completion: number[] = [];
      const hover: number[] = [];
      const hoverAt = last.source.indexOf('tf.');
      for (let i = 0; i < runs; i++) {
        started = performance.now();
        await complete();
        completion.push(performance.now() - started);
        started = performance.now();
        await client.query(NOTEBOOK, { op: 'hover', cellId: last.id, offset: hoverAt + 1 });
        hover.push(performance.now() - started);
      }

      const edits = context.quick ? 5 : 15;
      context.log(`${WORKLOAD}: a cell edit to fresh problems x${edits}`);
      const edited = cells[Math.floor(cells.length / 2)];
      const editTimes: number[] = [];
      for (let i = 0; i < edits; i++) {
        const fresh = problemsOf(edited.id);
        started = performance.now();
        update(
          cells.map((c) =>
            c === edited ? { ...c, source: `${c.source}\nconst edit${i} = ${i};` } : { id: c.id, index: c.index },
          ),
        );
        await fresh;
        editTimes.push(performance.now() - started);
      }

      const checkRuns = context.quick ? 1 : 3;
      context.log(`${WORKLOAD}: dlnb check on the tutorial, cold x${checkRuns}`);
      const check: number[] = [];
      for (let i = 0; i < checkRuns; i++) {
        started = performance.now();
        execFileSync(process.execPath, [path.join(dist, 'cli.js'), 'check', tutorialFile], { stdio: 'ignore' });
        check.push((performance.now() - started) / 1000);
      }
      return [
        row('first completion after opening the tutorial', 'ms', firstMs, 2000),
        row('completion after tf., median', 'ms', median(completion), 100),
        row('completion after tf., p95', 'ms', percentile(completion, 95), 250),
        row('hover, median', 'ms', median(hover), 50),
        row('cell edit to fresh problems, median', 'ms', median(editTimes), 300),
        row('dlnb check on the tutorial, cold', 's', median(check), 3),
      ];
    } finally {
      client.dispose();
    }
  },
};
