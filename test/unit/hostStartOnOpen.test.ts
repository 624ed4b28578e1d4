// A dlnb notebook's kernel starts when its editor shows (so it warms up while the user
// reads), except in untrusted workspaces, with the setting off, for other notebook
// types, or when it already has one.
import './hostFakeVscode';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { makeNotebook, world, type FakeNotebook } from './hostFakeVscode';
import type { KernelManager } from '../../src/host/kernel/kernelManager';
import { startKernelsOnOpen } from '../../src/host/kernel/startOnOpen';
import type { Log } from '../../src/host/log';

const log = { info() {}, warn() {}, error() {} } as unknown as Log;

/** The part of KernelManager this uses: which notebooks it was asked to start. */
function fakeKernels(existing: FakeNotebook[] = []) {
  const started: FakeNotebook[] = [];
  const kernels = {
    get: (notebook: FakeNotebook) => (existing.includes(notebook) || started.includes(notebook) ? {} : undefined),
    ready: async (notebook: FakeNotebook) => void started.push(notebook),
  };
  return { kernels: kernels as unknown as KernelManager, started };
}

describe('kernel start when a notebook opens', () => {
  beforeEach(() => world.reset());

  it('starts the kernels of dlnb notebooks already showing, and of those shown later, once each', () => {
    const shown = makeNotebook(['1']);
    const later = makeNotebook(['2']);
    world.visibleNotebookEditors = [{ notebook: shown }];
    const { kernels, started } = fakeKernels();
    const registration = startKernelsOnOpen(kernels, log);
    assert.deepEqual(started, [shown]);
    world.changeVisibleNotebookEditors.fire([{ notebook: shown }, { notebook: later }]);
    world.changeVisibleNotebookEditors.fire([{ notebook: later }]);
    assert.deepEqual(started, [shown, later]);
    registration.dispose();
  });

  it('leaves alone other notebook types, closed notebooks and notebooks that have a kernel', () => {
    const jupyter = { ...makeNotebook(['x']), notebookType: 'jupyter-notebook' };
    const closed = { ...makeNotebook(['x']), isClosed: true };
    const running = makeNotebook(['x']);
    const fresh = makeNotebook(['x']);
    const { kernels, started } = fakeKernels([running]);
    const registration = startKernelsOnOpen(kernels, log);
    world.changeVisibleNotebookEditors.fire([
      { notebook: jupyter },
      { notebook: closed },
      { notebook: running },
      { notebook: fresh },
    ]);
    assert.deepEqual(started, [fresh]);
    registration.dispose();
  });

  it('starts nothing in an untrusted workspace or with dlnb.startKernelOnOpen off', () => {
    const notebook = makeNotebook(['1']);
    world.visibleNotebookEditors = [{ notebook }];
    for (const setUp of [() => (world.isTrusted = false), () => (world.settings.startKernelOnOpen = false)]) {
      world.isTrusted = true;
      world.settings = {};
      setUp();
      const { kernels, started } = fakeKernels();
      const registration = startKernelsOnOpen(kernels, log);
      world.changeVisibleNotebookEditors.fire([{ notebook }]);
      assert.deepEqual(started, []);
      registration.dispose();
    }
  });
});
