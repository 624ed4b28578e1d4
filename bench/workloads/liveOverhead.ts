// What watching a model train costs: the tutorial's 3000-epoch loop in a real kernel,
// plain, with a live chart pushed every epoch, and with the side panel's live snapshots
// on. Variants are interleaved so load changes hit them alike. Target: at most 5% slower.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionObserver, KernelHandle } from '../../src/kernel-client/types';
import type { BenchContext, Workload } from '../lib/context';
import { benchKernelOptions } from '../lib/kernelOptions';
import { median } from '../lib/measure';
import type { Row } from '../lib/table';

const WORKLOAD = 'live overhead';
const MAX_SLOWDOWN = 1.05;

const SETUP = `
dl.manualSeed(2025);
const benchX = dl.rand(256, 1);
const benchY = tf.tidy(() => benchX.mul(5).add(7).add(dl.randn(256, 1).div(4)));
const benchLoss = new dl.nn.MSELoss();`;

/** One training run; `each` runs after every step. Prints its own time in ms. */
const trainingCell = (before: string, each: string) => `
${before}
const benchModel = new dl.nn.Linear(1, 1);
const benchOpt = new dl.optim.SGD(benchModel.parameters(), { lr: 0.01 });
const benchStart = performance.now();
for (let epoch = 0; epoch < 3000; epoch++) {
  benchOpt.zeroGrad();
  const loss = dl.backward(() => benchLoss.forward(benchModel.forward(benchX), benchY));
  benchOpt.step();
  ${each}
}
console.log('elapsed', performance.now() - benchStart);
benchModel.dispose();`;

const VARIANTS = {
  plain: { cell: trainingCell('', ''), livePanel: false },
  'live chart': {
    cell: trainingCell(`const benchLive = plot.live({ x: 'epoch', y: 'loss' });`, 'benchLive.push({ epoch, loss });'),
    livePanel: false,
  },
  'live panel': { cell: trainingCell('', ''), livePanel: true },
};
type Variant = keyof typeof VARIANTS;

async function timeCell(kernel: KernelHandle, source: string): Promise<number> {
  let text = '';
  const observer: ExecutionObserver = { onStream: (_name, chunk) => void (text += chunk), onDisplay() {}, onUpdateDisplay() {} };
  const done = await kernel.execute({ cell: 1, source, cellSources: () => [source] }, observer);
  const elapsed = /elapsed ([\d.]+)/.exec(text);
  if (done.status !== 'ok' || !elapsed) throw new Error(done.error?.message ?? `no timing in: ${text}`);
  return Number(elapsed[1]);
}

export const liveOverheadWorkload: Workload = {
  name: 'live',
  async run(context: BenchContext): Promise<Row[]> {
    if (!existsSync(path.join(context.root, 'dist/kernel.js'))) {
      return [{ workload: WORKLOAD, variant: '(all)', unit: 'x', note: 'dist/kernel.js missing (run the build)' }];
    }
    const { createKernel } = await import('../../src/kernel-client/index');
    const options = benchKernelOptions(context.root);
    const kernel = createKernel(options);
    try {
      await kernel.start();
      await timeCell(kernel, SETUP + "\nconsole.log('elapsed', 0);");
      const times: Record<Variant, number[]> = { plain: [], 'live chart': [], 'live panel': [] };
      // Each round's slowdown is taken against that round's plain run, and the figure is
      // their median: at about 0.25 s a loop, a GC pause or a busy core moves single runs
      // by ±10%, twice the target, and pairing cancels what drifts between rounds.
      const slowdowns: Record<'live chart' | 'live panel', number[]> = { 'live chart': [], 'live panel': [] };
      const rounds = context.quick ? 2 : 21;
      context.log(`${WORKLOAD}: ${rounds} rounds of 3000 epochs x ${Object.keys(VARIANTS).length} variants`);
      const entries = Object.entries(VARIANTS) as [Variant, (typeof VARIANTS)[Variant]][];
      for (let round = 0; round <= rounds; round++) {
        // The order turns each round: whichever variant runs first in a round runs slower.
        const order = entries.map((_, i) => entries[(i + round) % entries.length]);
        const thisRound: Partial<Record<Variant, number>> = {};
        for (const [name, variant] of order) {
          kernel.setLivePanel(variant.livePanel);
          thisRound[name] = await timeCell(kernel, variant.cell);
        }
        if (round === 0) continue; // round 0 warms up every variant
        for (const [name] of entries) times[name].push(thisRound[name]!);
        for (const name of ['live chart', 'live panel'] as const) slowdowns[name].push(thisRound[name]! / thisRound.plain!);
      }
      kernel.setLivePanel(false);
      const plain = median(times.plain);
      return [
        { workload: WORKLOAD, variant: 'tutorial loop, plain', value: plain, unit: 'ms' },
        ...(['live chart', 'live panel'] as const).map((name): Row => ({
          workload: WORKLOAD,
          variant: `with ${name} (slowdown)`,
          value: median(slowdowns[name]),
          unit: 'x',
          target: { of: 'value', max: MAX_SLOWDOWN },
          note: `median of ${slowdowns[name].length} paired rounds; ${median(times[name]).toFixed(0)} ms against ${plain.toFixed(0)} ms plain`,
        })),
      ];
    } finally {
      await kernel.dispose();
      rmSync(options.cacheDir!, { recursive: true, force: true });
    }
  },
};
