// The pure parts of running cells: the ordered queue, stream batching, MIME bundles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planOutputItems } from '../../src/host/execution/outputItems';
import { RunQueue, type QueuedRun } from '../../src/host/execution/runQueue';
import { StreamBuffer } from '../../src/host/execution/streamBuffer';

/** A queued item that records what happened to it and finishes when told. */
class FakeRun implements QueuedRun {
  started = false;
  cancelled = false;
  private finish!: (goOn: boolean) => void;
  private readonly finished = new Promise<boolean>((resolve) => (this.finish = resolve));

  constructor(
    private readonly log: string[],
    readonly name: string,
  ) {}

  run(): Promise<boolean> {
    this.started = true;
    this.log.push(`start ${this.name}`);
    return this.finished;
  }

  cancel(): void {
    this.cancelled = true;
    this.log.push(`cancel ${this.name}`);
  }

  end(goOn: boolean): Promise<void> {
    this.log.push(`end ${this.name}`);
    this.finish(goOn);
    return new Promise((resolve) => setImmediate(resolve));
  }
}

describe('RunQueue', () => {
  it('runs items one at a time in order, each awaited', async () => {
    const log: string[] = [];
    const queue = new RunQueue();
    const [a, b] = [new FakeRun(log, 'a'), new FakeRun(log, 'b')];
    const all = queue.enqueue([a, b]);
    assert.equal(queue.busy, true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(b.started, false, 'b waits while a runs');
    await a.end(true);
    await b.end(true);
    await all;
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b']);
    assert.equal(queue.busy, false);
  });

  it('cancels everything queued after a failure, as a Run All stops at the first error', async () => {
    const log: string[] = [];
    const queue = new RunQueue();
    const [a, b, c] = [new FakeRun(log, 'a'), new FakeRun(log, 'b'), new FakeRun(log, 'c')];
    const first = queue.enqueue([a, b]);
    const second = queue.enqueue([c]);
    await new Promise((resolve) => setImmediate(resolve));
    await a.end(false);
    await Promise.all([first, second]);
    assert.deepEqual(log, ['start a', 'end a', 'cancel b', 'cancel c']);
    assert.equal(b.started || c.started, false);
  });

  it('treats a run that throws as a failure and keeps working afterwards', async () => {
    const log: string[] = [];
    const queue = new RunQueue();
    const throwing: QueuedRun = { run: () => Promise.reject(new Error('boom')), cancel: () => log.push('cancel x') };
    const after = new FakeRun(log, 'after');
    await queue.enqueue([throwing, { run: async () => true, cancel: () => log.push('cancel y') }]);
    assert.deepEqual(log, ['cancel y']);
    const later = queue.enqueue([after]);
    await new Promise((resolve) => setImmediate(resolve));
    await after.end(true);
    await later;
    assert.deepEqual(log, ['cancel y', 'start after', 'end after']);
  });

  it('cancels the rest when one waiting item cannot be cancelled', async () => {
    const log: string[] = [];
    const queue = new RunQueue();
    const a = new FakeRun(log, 'a');
    const broken: QueuedRun = {
      run: async () => true,
      cancel: () => {
        throw new Error('closed');
      },
    };
    const c = new FakeRun(log, 'c');
    const all = queue.enqueue([a, broken, c]);
    await new Promise((resolve) => setImmediate(resolve));
    queue.cancelWaiting();
    assert.equal(c.cancelled, true);
    await a.end(true);
    await all;
  });

  it('cancelWaiting leaves the running item alone', async () => {
    const log: string[] = [];
    const queue = new RunQueue();
    const [a, b] = [new FakeRun(log, 'a'), new FakeRun(log, 'b')];
    const all = queue.enqueue([a, b]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(queue.current, a);
    queue.cancelWaiting();
    assert.equal(a.cancelled, false);
    assert.equal(b.cancelled, true);
    await a.end(true);
    await all;
    assert.deepEqual(log, ['start a', 'cancel b', 'end a']);
  });
});

describe('StreamBuffer', () => {
  it('joins neighbouring text of one stream and keeps stdout/stderr interleaving', () => {
    const buffer = new StreamBuffer();
    buffer.push('stdout', 'a\n');
    buffer.push('stdout', 'b\n');
    buffer.push('stderr', 'warn\n');
    buffer.push('stdout', '');
    buffer.push('stdout', 'c\n');
    assert.deepEqual(buffer.take(), [
      { name: 'stdout', text: 'a\nb\n' },
      { name: 'stderr', text: 'warn\n' },
      { name: 'stdout', text: 'c\n' },
    ]);
    assert.equal(buffer.isEmpty, true);
    assert.deepEqual(buffer.take(), []);
  });

  it('turns 100,000 lines into one chunk', () => {
    const buffer = new StreamBuffer();
    for (let i = 0; i < 100_000; i++) buffer.push('stdout', `line ${i}\n`);
    const chunks = buffer.take();
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0]!.text.split('\n').length, 100_001);
  });
});

describe('planOutputItems', () => {
  it('keeps JSON MIME types as objects and text as text, in bundle order', () => {
    const spec = { mark: 'line', data: { values: [] } };
    assert.deepEqual(planOutputItems({ 'application/vnd.vegalite.v5+json': spec, 'text/plain': '<chart>' }), [
      { mime: 'application/vnd.vegalite.v5+json', encoding: 'json', value: spec },
      { mime: 'text/plain', encoding: 'text', value: '<chart>' },
    ]);
  });

  it('passes serialised JSON strings through and stringifies odd values', () => {
    assert.deepEqual(planOutputItems({ 'application/json': '{"a":1}', 'text/plain': 42, 'text/html': undefined }), [
      { mime: 'application/json', encoding: 'text', value: '{"a":1}' },
      { mime: 'text/plain', encoding: 'text', value: '42' },
    ]);
  });
});
