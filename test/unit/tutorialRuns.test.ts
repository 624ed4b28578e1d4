// The tutorial's training runs as the side panel's Loss History lists them: each named as
// the chart that draws it names it in its legend, in both editions. Runs the notebook's
// code cells in the built kernel (dist/kernel.js; run `npm run build` first).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { createKernel } from '../../src/kernel-client';
import { builtKernelOptions } from './builtKernel';
import type { ExecutionObserver } from '../../src/kernel-client/types';
import { parseNotebook } from '../../src/shared/dlnbFormat';

const root = path.resolve(__dirname, '../..');
const quiet: ExecutionObserver = { onStream: () => undefined, onDisplay: () => undefined, onUpdateDisplay: () => undefined };

for (const edition of ['deep-learning-basics.dlnb', 'deep-learning-basics.zh-CN.dlnb']) {
  describe(edition, () => {
    it('names each Loss History run as its chart legend does', { timeout: 300_000 }, async () => {
      const notebook = parseNotebook(readFileSync(path.join(root, 'examples', edition), 'utf8'));
      const code = notebook.cells.filter((c) => c.kind === 'code').map((c) => c.source);
      const kernel = createKernel(
        builtKernelOptions({ notebookDir: path.join(root, 'examples'), memoryLimitMb: 2048, maxOutputChars: 1_000_000 }),
      );
      try {
        await kernel.start();
        for (const [index, source] of code.entries()) {
          const done = await kernel.execute({ cell: index + 1, source, cellSources: () => code }, quiet);
          assert.equal(done.status, 'ok', `code cell ${index + 1}: ${JSON.stringify(done.error)}`);
        }
        const runs = (await kernel.snapshot()).runs.map((r) => r.name);
        const all = code.join('\n');
        const named = (fn: string) => [...all.matchAll(new RegExp(`${fn}\\('([^']+)'`, 'g'))].map((m) => m[1]);
        const curves = named('trainLine');
        assert.deepEqual(runs, ['SGD (lr 0.01) #1', ...curves, ...named('fitAndTrack'), ...named('fitWithPenalty')]);
        // The optimizer comparison's curves are keyed by the same names in the chart.
        for (const name of curves) assert.ok(all.includes(`'${name}': `), `no chart legend "${name}"`);
        assert.equal(curves.length, 6);
      } finally {
        await kernel.dispose();
      }
    });
  });
}
