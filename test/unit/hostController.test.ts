// The notebook controller, run queue and kernel manager driven through a stand-in for the
// `vscode` module and a scripted kernel: what users see in cells when code runs, fails,
// prints a lot, leaks tensors, is interrupted, or outlives its kernel.
import './hostFakeVscode';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { world, makeNotebook, type FakeCell, type FakeController, type FakeNotebook } from './hostFakeVscode';
import type { CellRun, ExecutionObserver, KernelHandle, KernelState, Unsubscribe } from '../../src/kernel-client/types';
import type { CellError, ExecuteDone } from '../../src/shared/protocol';
import { DlnbController } from '../../src/host/controller';
import { CellMemoryStore } from '../../src/host/execution/cellMemoryStatus';
import { KernelManager, type NotebookKernelChange } from '../../src/host/kernel/kernelManager';
import { registerKernelNotifications } from '../../src/host/kernel/kernelNotifications';

type Outcome = Partial<Omit<ExecuteDone, 'type' | 'id'>>;
type Script = (observer: ExecutionObserver, kernel: ScriptedKernel) => Outcome | Promise<Outcome>;

const ZERO_MEMORY = { tensorsBefore: 0, tensorsAfter: 0, bytesBefore: 0, bytesAfter: 0, leakedTensors: 0, leakedBytes: 0 };

function listeners<T extends unknown[]>() {
  const set = new Set<(...args: T) => void>();
  return {
    add: (listener: (...args: T) => void): Unsubscribe => {
      set.add(listener);
      return { dispose: () => set.delete(listener) };
    },
    fire: (...args: T) => set.forEach((listener) => listener(...args)),
  };
}

/** A kernel whose cells do what the test's scripts say, keyed by cell source. */
class ScriptedKernel implements KernelHandle {
  state: KernelState = 'idle';
  backend: string | undefined;
  starts = 0;
  restarts = 0;
  disposed = false;
  lastRunId = 0;
  interruptOutcome: 'soft' | 'restarted' = 'soft';
  readonly ran: string[] = [];
  private stopRunning: ((outcome: Outcome) => void) | undefined;
  private readonly died = listeners<[string]>();
  private readonly uncaught = listeners<[CellError, number | undefined]>();
  private readonly late = listeners<['stdout' | 'stderr', string, number]>();
  private readonly stateChanged = listeners<[KernelState]>();

  constructor(private readonly scripts: Record<string, Script>) {}

  /** Set by a test to hold start() until it opens the gate. */
  startGate: Promise<void> | undefined;

  async start(): Promise<string[]> {
    this.starts++;
    await this.startGate;
    this.backend = 'cpu';
    return [];
  }

  async execute(run: CellRun, observer: ExecutionObserver): Promise<ExecuteDone> {
    const id = ++this.lastRunId;
    this.ran.push(run.source);
    this.setState('busy');
    const script = this.scripts[run.source];
    const outcome = script ? await script(observer, this) : {};
    this.setState('idle');
    return { type: 'done', id, status: 'ok', memory: ZERO_MEMORY, durationMs: 1, ...outcome };
  }

  /** For scripts: runs until interrupted or killed. */
  hang(): Promise<Outcome> {
    return new Promise((resolve) => (this.stopRunning = resolve));
  }

  async interrupt(): Promise<'idle' | 'soft' | 'restarted'> {
    const stop = this.stopRunning;
    if (!stop) return 'idle';
    this.stopRunning = undefined;
    stop({ status: 'interrupted', error: { name: 'Interrupted', message: 'Interrupted', stack: 'Interrupted: Interrupted' } });
    return this.interruptOutcome;
  }

  /** The worker dies on its own: the running cell ends in error, then listeners hear of it. */
  die(reason: string): void {
    const stop = this.stopRunning;
    this.stopRunning = undefined;
    this.setState('dead');
    stop?.({ status: 'error', error: { name: 'KernelDied', message: reason, stack: `KernelDied: ${reason}` } });
    this.died.fire(reason);
  }

  throwLater(error: CellError, runId: number | undefined): void {
    this.uncaught.fire(error, runId);
  }

  printLater(name: 'stdout' | 'stderr', text: string, runId: number): void {
    this.late.fire(name, text, runId);
  }

  async restart(): Promise<void> {
    this.restarts++;
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
  async snapshot(): Promise<never> {
    throw new Error('not scripted');
  }
  async values(): Promise<never> {
    throw new Error('not scripted');
  }
  async curve(): Promise<never> {
    throw new Error('not scripted');
  }
  setLivePanel(): void {}
  onPanel(): Unsubscribe {
    return { dispose() {} };
  }
  onWarmUpDone(): Unsubscribe {
    return { dispose() {} };
  }
  onSecondCore(): Unsubscribe {
    return { dispose() {} };
  }
  onStateChange(listener: (state: KernelState) => void): Unsubscribe {
    return this.stateChanged.add(listener);
  }
  onUncaught(listener: (error: CellError, cellRunId?: number) => void): Unsubscribe {
    return this.uncaught.add(listener);
  }
  onLateOutput(listener: (name: 'stdout' | 'stderr', text: string, cellRunId: number) => void): Unsubscribe {
    return this.late.add(listener);
  }
  onDied(listener: (reason: string) => void): Unsubscribe {
    return this.died.add(listener);
  }
  private setState(state: KernelState): void {
    this.state = state;
    this.stateChanged.fire(state);
  }
}

const logged: string[] = [];
const log = {
  info: () => undefined,
  warn: (m: string) => logged.push(m),
  error: (m: string) => logged.push(m),
  show: () => undefined,
};

function setUp(scripts: Record<string, Script> = {}) {
  world.reset();
  const kernels: ScriptedKernel[] = [];
  const manager = new KernelManager(() => {
    const kernel = new ScriptedKernel(scripts);
    kernels.push(kernel);
    return kernel;
  }, log);
  const changes: NotebookKernelChange['reason'][] = [];
  manager.onDidChangeKernel((change) => changes.push(change.reason));
  const cellMemory = new CellMemoryStore();
  const controller = new DlnbController(manager, cellMemory, log);
  registerKernelNotifications(manager, log);
  const fake = world.controllers[0] as unknown as FakeController;
  const run = (notebook: FakeNotebook, cells?: FakeCell[]) =>
    fake.executeHandler(cells ?? notebook.getCells().filter((c) => c.kind === 2), notebook, fake) as Promise<void>;
  return { manager, cellMemory, controller, fake, kernels, changes, run };
}

const textOf = (cell: FakeCell, mime: string) =>
  cell.outputs
    .flatMap((o) => o.items.filter((i) => i.mime === mime))
    .map((i) => new TextDecoder().decode(i.data))
    .join('');
const errorsOf = (cell: FakeCell) =>
  cell.outputs
    .flatMap((o) => o.items.filter((i) => i.mime === 'application/vnd.code.notebook.error'))
    .map((i) => JSON.parse(new TextDecoder().decode(i.data)) as { name: string; message: string; stack: string });
const STDOUT = 'application/vnd.code.notebook.stdout';
const STDERR = 'application/vnd.code.notebook.stderr';
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('dlnb controller', () => {
  beforeEach(() => (logged.length = 0));

  it('is preferred for dlnb notebooks and runs TypeScript with execution order', () => {
    const { fake } = setUp();
    assert.equal(fake.id, 'dlnb-kernel');
    assert.deepEqual(fake.supportedLanguages, ['dlnb-typescript', 'typescript', 'javascript']);
    assert.equal(fake.supportsExecutionOrder, true);
    assert.ok(fake.interruptHandler, 'has an interrupt handler');
    const notebook = makeNotebook(['1']);
    world.openNotebook.fire(notebook);
    assert.equal(fake.affinity.get(notebook), 2);
  });

  it('runs cells in order on one kernel, numbering them and showing results', async () => {
    const { run, kernels } = setUp({
      a: () => ({}),
      b: () => ({ result: { bundle: { 'text/plain': '42' } } }),
    });
    const notebook = makeNotebook([{ markdown: '# t' }, 'a', 'b']);
    await run(notebook);
    const [, a, b] = notebook.getCells();
    assert.equal(kernels.length, 1);
    assert.deepEqual(kernels[0]!.ran, ['a', 'b']);
    assert.equal(kernels[0]!.starts, 1, 'started once, on the first run');
    assert.deepEqual(a!.events, ['pending', 'start', 'end ok']);
    assert.deepEqual(b!.executionSummary?.executionOrder, 2);
    assert.equal(textOf(b!, 'text/plain'), '42');
  });

  it('shows queued cells as pending while one runs', async () => {
    const { run, kernels } = setUp({ slow: (_o, kernel) => kernel.hang() });
    const notebook = makeNotebook(['slow', 'next']);
    const running = run(notebook);
    await tick();
    assert.deepEqual(notebook.cellAt(1).events, ['pending']);
    await kernels[0]!.interrupt();
    await running;
  });

  it('stops a Run All at the first error; the rest end without running', async () => {
    const { run, kernels } = setUp({
      bad: () => ({
        status: 'error',
        error: { name: 'Error', message: 'boom', stack: 'Error: boom\n    at cell 2, line 1', hint: 'check the input' },
      }),
    });
    const notebook = makeNotebook(['ok', 'bad', 'after']);
    await run(notebook);
    const [, bad, after] = notebook.getCells();
    assert.deepEqual(kernels[0]!.ran, ['ok', 'bad']);
    assert.deepEqual(bad!.events, ['pending', 'start', 'end failed']);
    assert.deepEqual(after!.events, ['pending', 'end']);
    const [error] = errorsOf(bad!);
    assert.equal(error!.message, 'boom');
    assert.match(error!.stack, /cell 2, line 1/);
    assert.match(error!.stack, /Hint: check the input/);
  });

  it('batches streamed text into one output per stream run, in order with displays', async () => {
    const { run } = setUp({
      chatty: (observer) => {
        for (let i = 0; i < 10_000; i++) observer.onStream('stdout', `${i}\n`);
        observer.onStream('stderr', 'warning\n');
        observer.onDisplay({ bundle: { 'application/vnd.vegalite.v5+json': { mark: 'line' }, 'text/plain': 'chart' } });
        observer.onStream('stdout', 'after\n');
        return {};
      },
    });
    const notebook = makeNotebook(['chatty']);
    await run(notebook);
    const cell = notebook.cellAt(0);
    assert.deepEqual(
      cell.outputs.map((o) => o.items.map((i) => i.mime)),
      [[STDOUT], [STDERR], ['application/vnd.vegalite.v5+json', 'text/plain'], [STDOUT]],
    );
    assert.equal(textOf(cell, STDOUT).split('\n').length, 10_002);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(cell.outputs[2]!.items[0]!.data)), { mark: 'line' });
  });

  it('appends stream text that arrives over time to the same output', async () => {
    const { run } = setUp({
      slowly: async (observer) => {
        observer.onStream('stdout', 'epoch 1\n');
        await new Promise((resolve) => setTimeout(resolve, 150));
        observer.onStream('stdout', 'epoch 2\n');
        return {};
      },
    });
    const notebook = makeNotebook(['slowly']);
    await run(notebook);
    const cell = notebook.cellAt(0);
    assert.equal(cell.outputs.length, 1);
    assert.equal(textOf(cell, STDOUT), 'epoch 1\nepoch 2\n');
  });

  it('replaces a display in place when it is updated', async () => {
    const { run } = setUp({
      live: (observer) => {
        observer.onDisplay({ bundle: { 'text/plain': 'step 1' }, displayId: 'loss' });
        observer.onStream('stdout', 'training\n');
        observer.onUpdateDisplay({ bundle: { 'text/plain': 'step 2' }, displayId: 'loss' });
        return {};
      },
    });
    const notebook = makeNotebook(['live']);
    await run(notebook);
    const cell = notebook.cellAt(0);
    assert.equal(cell.outputs.length, 2);
    assert.equal(textOf(cell, 'text/plain'), 'step 2');
    assert.deepEqual(cell.outputs[0]!.metadata, { displayId: 'loss' });
  });

  it('notes tensors a cell left allocated, in the cell and its status bar', async () => {
    const { run, cellMemory } = setUp({
      leaky: () => ({
        memory: { tensorsBefore: 4, tensorsAfter: 7, bytesBefore: 0, bytesAfter: 1229, leakedTensors: 3, leakedBytes: 1229 },
      }),
    });
    const notebook = makeNotebook(['leaky']);
    await run(notebook);
    const cell = notebook.cellAt(0);
    assert.equal(
      textOf(cell, STDERR),
      '⚠ this cell left 3 tensors (1.2 KB) allocated that no variable holds; wrap temporary work in tf.tidy(() => ...) or dispose it\n',
    );
    const [item] = cellMemory.provideCellStatusBarItems(cell as never);
    assert.match(item!.text, /\+3 tensors/);
  });

  it('interrupt cancels queued cells and ends the running one as failed', async () => {
    const { run, controller, kernels } = setUp({ loop: (_o, kernel) => kernel.hang() });
    const notebook = makeNotebook(['loop', 'next']);
    const running = run(notebook);
    await tick();
    assert.equal(controller.isBusy(notebook as never), true);
    assert.equal(await controller.interrupt(notebook as never), 'soft');
    await running;
    const [loop, next] = notebook.getCells();
    assert.deepEqual(loop!.events, ['pending', 'start', 'end failed']);
    assert.equal(errorsOf(loop!)[0]!.name, 'Interrupted');
    assert.deepEqual(next!.events, ['pending', 'end']);
    assert.deepEqual(kernels[0]!.ran, ['loop']);
    assert.equal(controller.isBusy(notebook as never), false);
  });

  it('keeps a cell pending while its kernel starts, so the start is not counted as its run time', async () => {
    let openGate!: () => void;
    const { run, manager } = setUp();
    const notebook = makeNotebook(['1']);
    const kernel = manager.getOrCreate(notebook as never) as unknown as ScriptedKernel;
    kernel.startGate = new Promise((resolve) => (openGate = resolve));
    const running = run(notebook);
    await tick();
    assert.deepEqual(notebook.cellAt(0).events, ['pending']);
    openGate();
    await running;
    assert.deepEqual(notebook.cellAt(0).events, ['pending', 'start', 'end ok']);
  });

  it('interrupt while the kernel starts ends the cell without running it', async () => {
    let openGate!: () => void;
    const { run, controller, kernels, manager } = setUp();
    const notebook = makeNotebook(['while (true) {}']);
    const kernel = manager.getOrCreate(notebook as never) as unknown as ScriptedKernel;
    kernel.startGate = new Promise((resolve) => (openGate = resolve));
    const running = run(notebook);
    await tick();
    assert.equal(await controller.interrupt(notebook as never), 'soft');
    await running;
    openGate();
    const cell = notebook.cellAt(0);
    assert.deepEqual(cell.events, ['pending', 'start', 'end failed']);
    assert.equal(errorsOf(cell)[0]!.message, 'The cell was interrupted before it started.');
    assert.deepEqual(kernels[0]!.ran, [], 'the cell never reached the kernel');
  });

  it('says state was lost when an interrupt had to restart the kernel, and numbers from 1 again', async () => {
    const { run, controller, kernels, changes } = setUp({ loop: (_o, kernel) => kernel.hang() });
    const notebook = makeNotebook(['first', 'loop', 'again']);
    await run(notebook, [notebook.cellAt(0)]);
    const running = run(notebook, [notebook.cellAt(1)]);
    await tick();
    kernels[0]!.interruptOutcome = 'restarted';
    assert.equal(await controller.interrupt(notebook as never), 'restarted');
    await running;
    const loop = notebook.cellAt(1);
    assert.equal(errorsOf(loop)[0]!.name, 'KernelRestarted');
    assert.ok(world.messages.some((m) => /variables from earlier cells are gone/.test(m)));
    assert.ok(changes.includes('restarted'));
    await run(notebook, [notebook.cellAt(2)]);
    assert.equal(notebook.cellAt(2).executionSummary?.executionOrder, 1);
    assert.equal(kernels[0]!.starts, 2, 'the replaced worker is started again');
  });

  it('ends the running cell and tells the user when the kernel dies; the next run starts a new one', async () => {
    const { run, kernels, changes } = setUp({ hog: (_o, kernel) => kernel.hang() });
    const notebook = makeNotebook(['hog', 'queued', 'later']);
    const running = run(notebook, [notebook.cellAt(0), notebook.cellAt(1)]);
    await tick();
    kernels[0]!.die('out of memory');
    await running;
    const [hog, queued, later] = notebook.getCells();
    assert.deepEqual(hog!.events, ['pending', 'start', 'end failed']);
    assert.match(errorsOf(hog!)[0]!.message, /out of memory/);
    assert.deepEqual(queued!.events, ['pending', 'end']);
    assert.ok(changes.includes('died'));
    await tick();
    assert.ok(world.messages.includes('The kernel stopped: out of memory. It will restart on the next run.'));
    await run(notebook, [later!]);
    assert.deepEqual(later!.events, ['pending', 'start', 'end ok']);
    assert.equal(kernels[0]!.starts, 2);
  });

  it('shows an error from a finished cell’s timer in that cell, keeping its number', async () => {
    const { run, kernels } = setUp();
    const notebook = makeNotebook(['setTimeout(...)', 'other']);
    await run(notebook);
    const timerCell = notebook.cellAt(0);
    kernels[0]!.throwLater({ name: 'TypeError', message: 'late', stack: 'TypeError: late\n    at cell 1, line 1' }, 1);
    await tick();
    await tick();
    assert.equal(errorsOf(timerCell)[0]?.message, 'late');
    assert.equal(timerCell.executionSummary?.executionOrder, 1);
    assert.equal(timerCell.executionSummary?.success, false);
    assert.equal(errorsOf(notebook.cellAt(1)).length, 0);
  });

  it('adds text a finished cell’s timer prints to that cell, gathered, keeping its number and success', async () => {
    const { run, kernels } = setUp();
    const notebook = makeNotebook(['setInterval(...)', 'other']);
    await run(notebook);
    const timerCell = notebook.cellAt(0);
    const outputsBefore = timerCell.outputs.length;
    kernels[0]!.printLater('stdout', 'tick 1\n', 1);
    kernels[0]!.printLater('stdout', 'tick 2\n', 1);
    kernels[0]!.printLater('stderr', 'warning\n', 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tick();
    assert.equal(textOf(timerCell, STDOUT), 'tick 1\ntick 2\n');
    assert.equal(textOf(timerCell, STDERR), 'warning\n');
    assert.equal(timerCell.outputs.length, outputsBefore + 2, 'one output per stream for the burst');
    assert.equal(timerCell.executionSummary?.executionOrder, 1);
    assert.equal(timerCell.executionSummary?.success, true);
    assert.equal(textOf(notebook.cellAt(1), STDOUT), '');
  });

  it('shows a late error that arrives while the cell’s outputs are still landing in that cell', async () => {
    const { run } = setUp({
      timer: (observer, kernel) => {
        observer.onDisplay({ bundle: { 'text/plain': 'scheduled' } });
        setTimeout(() => kernel.throwLater({ name: 'Error', message: 'late', stack: 'Error: late' }, kernel.lastRunId), 20);
        return {};
      },
    });
    world.editLatencyMs = 60;
    const notebook = makeNotebook(['timer']);
    await run(notebook);
    const cell = notebook.cellAt(0);
    assert.equal(errorsOf(cell)[0]?.message, 'late');
    assert.deepEqual(cell.events, ['pending', 'start', 'end failed'], 'a cell showing an error has failed');
    assert.deepEqual(world.messages, []);
  });

  it('shows text a timer prints while the cell’s outputs are still landing in that cell', async () => {
    const { run } = setUp({
      timer: (observer, kernel) => {
        observer.onDisplay({ bundle: { 'text/plain': 'started' } });
        setTimeout(() => kernel.printLater('stdout', 'tick 1\n', kernel.lastRunId), 20);
        return {};
      },
    });
    world.editLatencyMs = 60;
    const notebook = makeNotebook(['timer']);
    await run(notebook);
    const cell = notebook.cellAt(0);
    assert.equal(textOf(cell, STDOUT), 'tick 1\n');
    assert.deepEqual(cell.events, ['pending', 'start', 'end ok'], 'text does not change the cell’s success');
  });

  it('keeps a cell’s number and success for late text while VS Code has not yet shown how it ended', async () => {
    const { run, kernels } = setUp();
    world.summaryLatencyMs = 1000;
    const notebook = makeNotebook(['setInterval(...)']);
    await run(notebook);
    const timerCell = notebook.cellAt(0);
    kernels[0]!.printLater('stdout', 'tick 1\n', 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tick();
    assert.equal(textOf(timerCell, STDOUT), 'tick 1\n');
    assert.deepEqual(timerCell.events, ['pending', 'start', 'end ok', 'pending', 'start', 'end ok']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(timerCell.executionSummary?.executionOrder, 1);
  });

  it('shows a late error from an unknown run as a notification', async () => {
    const { run, kernels } = setUp();
    const notebook = makeNotebook(['x']);
    await run(notebook);
    kernels[0]!.throwLater({ name: 'Error', message: 'orphan', stack: '' }, 99);
    await tick();
    assert.ok(world.messages.some((m) => /orphan/.test(m)));
  });

  it('runs nothing in an untrusted workspace and says why', async () => {
    const { run, kernels } = setUp();
    world.isTrusted = false;
    const notebook = makeNotebook(['tf.ones([2])']);
    await run(notebook);
    const cell = notebook.cellAt(0);
    assert.equal(kernels.length, 0, 'no kernel is created');
    assert.deepEqual(cell.events, ['pending', 'start', 'end failed']);
    assert.equal(errorsOf(cell)[0]!.name, 'UntrustedWorkspace');
    assert.ok(world.messages.some((m) => /not trusted/.test(m)));
  });

  it('disposes the kernel when its notebook closes', async () => {
    const { run, kernels, manager, changes } = setUp();
    const notebook = makeNotebook(['x']);
    await run(notebook);
    world.closeNotebook.fire(notebook);
    assert.equal(kernels[0]!.disposed, true);
    assert.equal(manager.get(notebook as never), undefined);
    assert.deepEqual(changes, ['started', 'closed']);
  });

  it('says a backend change applies after a restart, only when a kernel is running', async () => {
    const { run } = setUp();
    const backendChanged = { affectsConfiguration: (key: string) => key === 'dlnb.backend' };
    world.changeConfiguration.fire(backendChanged);
    assert.deepEqual(world.messages, [], 'no kernel yet: the next one picks the setting up');
    await run(makeNotebook(['x']));
    world.changeConfiguration.fire(backendChanged);
    world.changeConfiguration.fire({ affectsConfiguration: (key: string) => key === 'dlnb.saveOutputs' });
    assert.deepEqual(world.messages, ['The new dlnb kernel settings apply after a kernel restart.']);
  });
});
