// `dlnb run` under a stuck or hungry kernel: a cell blocked in a system call past --timeout
// never holds the command line (it ends within the limit plus 2 s, non-zero, with the
// outputs written), and --memory sets the kernel's heap limit, named when it runs out.
// Runs the built dist/cli.js (`node esbuild.mjs --production` first).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs, UsageError } from '../../src/cli/args';

const cli = path.resolve(__dirname, '../../dist/cli.js');

interface TimedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Seconds from the cell's first output ("started") to the process's end. */
  secondsAfterStart: number;
}

/** Runs the CLI, timing from the moment the cell prints "started". */
function timedRun(args: string[], cwd: string): Promise<TimedRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    let startedAt = 0;
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (!startedAt && stdout.includes('started')) startedAt = Date.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, secondsAfterStart: (Date.now() - startedAt) / 1000 });
    });
  });
}

// The kernel sends text a quarter second at a time: wait for "started" to leave before blocking.
const blockAfterStarting = (blocking: string) =>
  `console.log('started');\nawait new Promise((r) => setTimeout(r, 400));\n${blocking}`;

describe('dlnb run: stuck kernels and memory', () => {
  let dir: string;
  const write = (name: string, ...sources: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify({ dlnb: 1, metadata: {}, cells: sources.map((source) => ({ kind: 'code', source })) }));
    return file;
  };

  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`node esbuild.mjs --production\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'dlnb-cli-limits-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a cell blocked in execSync past --timeout ends the run within the limit plus 2 s, non-zero, outputs saved', async () => {
    const file = write('exec.dlnb', blockAfterStarting("require('child_process').execSync('sleep 40')"), '"never runs"');
    const out = path.join(dir, 'exec-out.dlnb');
    const run = await timedRun(['run', file, '--timeout', '2', '--out', out], dir);
    // Exit 1 once the worker returns from execSync; on a very busy machine it may not
    // within the wait, and dlnb then ends itself (SIGKILL): still in time, still a failure.
    assert.ok(run.code === 1 || run.signal === 'SIGKILL', `exit ${run.code ?? run.signal}: ${run.stderr}`);
    assert.ok(run.secondsAfterStart < 2 + 2, `ended ${run.secondsAfterStart} s after the cell started`);
    assert.match(run.stderr, /cell 1: timed out after 2 s \(--timeout\)/);
    assert.match(run.stderr, /the kernel was waiting on (a process|\d+ processes) its cell started; ended (it|them)/);
    assert.match(readFileSync(out, 'utf8'), /started/);
    const sleeping = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line === 'sleep 40');
    assert.deepEqual(sleeping, [], 'the process the cell started was ended');
  });

  it('a cell blocked where nothing can wake it still ends the run in time, with the outputs saved', async () => {
    const fifo = path.join(dir, 'nobody-writes');
    execFileSync('mkfifo', [fifo]);
    const file = write('fifo.dlnb', blockAfterStarting(`require('fs').readFileSync(${JSON.stringify(fifo)})`));
    const out = path.join(dir, 'fifo-out.dlnb');
    const run = await timedRun(['run', file, '--timeout', '2', '--out', out], dir);
    assert.equal(run.signal, 'SIGKILL');
    assert.ok(run.secondsAfterStart < 2 + 2, `ended ${run.secondsAfterStart} s after the cell started`);
    assert.match(
      run.stderr,
      /the kernel is blocked in a system call and cannot be stopped; ending dlnb \(the outputs were already written\)/,
    );
    assert.match(readFileSync(out, 'utf8'), /started/);
  });

  it('--memory sets the heap limit, and running out names it and how to raise it', async () => {
    const file = write('hungry.dlnb', 'const hoard: number[][] = [];\nfor (;;) hoard.push(new Array(1e6).fill(Math.random()));');
    const run = await timedRun(['run', file, '--memory', '300'], dir);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ran out of memory \(the heap limit is 300 MB, raise it with --memory MB\)/);
  });

  it('--memory takes whole megabytes, and enough to load TensorFlow.js', () => {
    assert.equal((parseArgs(['run', 'a.dlnb', '--memory', '8192']) as { memoryMb: number }).memoryMb, 8192);
    assert.equal((parseArgs(['run', 'a.dlnb']) as { memoryMb: number }).memoryMb, 4096);
    for (const bad of ['lots', '100', '512.5']) {
      assert.throws(
        () => parseArgs(['run', 'a.dlnb', '--memory', bad]),
        (error: Error) =>
          error instanceof UsageError && /--memory needs a whole number of megabytes, at least 256/.test(error.message),
      );
    }
  });
});
