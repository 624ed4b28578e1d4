// Ending `dlnb run` when its kernel will not stop. The kernel is a worker thread of this
// process; a thread blocked in a system call (a cell's `execSync('sleep 600')`, a read
// from a pipe nobody writes) runs no JavaScript, so `worker.terminate()` waits for the
// call to return, and Node's process.exit() joins every worker thread first: the CLI
// would hang as long as the cell does. The editor keeps its own process alive and only
// replaces the worker; the command line must end, within the time the user gave it.
//
// So, in order: wait briefly for the worker to end; end the processes the cell started
// (which is what `execSync` waits on, so the thread returns and ends); and if it is still
// stuck, end this process with SIGKILL, the one exit that does not wait for threads.
// Everything the run produced (outputs, --save) is written before this runs.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { KernelHandle } from '../kernel-client/types';
import type { Terminal } from './cellRecorder';

/** How long a worker may take to end: briefly after an interrupt (it was already given a grace), else longer. */
const WAIT_AFTER_INTERRUPT_MS = 250;
const WAIT_AT_THE_END_MS = 10_000;
const AFTER_KILL_WAIT_MS = 600;

/**
 * Disposes the kernel; false when its worker was still stuck after its child processes
 * were ended. `interrupted`: a cell was interrupted (--timeout, Ctrl+C), so the worker may
 * be stuck and the user is waiting for the limit they set.
 */
export async function endKernel(kernel: KernelHandle, terminal: Terminal, interrupted: boolean): Promise<boolean> {
  const disposed = kernel.dispose();
  if (await settlesWithin(disposed, interrupted ? WAIT_AFTER_INTERRUPT_MS : WAIT_AT_THE_END_MS)) return true;
  const children = descendantsOf(process.pid);
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  if (children.length) {
    const what =
      children.length === 1
        ? 'a process its cell started; ended it'
        : `${children.length} processes its cell started; ended them`;
    terminal.stderr(`dlnb: the kernel was waiting on ${what}\n`);
  }
  return settlesWithin(disposed, AFTER_KILL_WAIT_MS);
}

/** Ends this process at once, after what it printed has been written out. */
export async function exitStuck(terminal: Terminal): Promise<never> {
  terminal.stderr(
    'dlnb: the kernel is blocked in a system call and cannot be stopped; ending dlnb (the outputs were already written)\n',
  );
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => undefined);
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Every process below `root`, children before grandchildren. */
export function descendantsOf(root: number): number[] {
  const parents = processParents();
  const found: number[] = [];
  let layer = [root];
  while (layer.length) {
    layer = [...parents].filter(([, parent]) => layer.includes(parent)).map(([pid]) => pid);
    found.push(...layer);
  }
  return found;
}

/** pid -> parent pid for every process: from /proc on Linux, from `ps` elsewhere. */
function processParents(): Map<number, number> {
  const parents = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // "pid (command) state ppid ...": the command may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // The process ended while we looked.
      }
    }
    return parents;
  } catch {
    const listing = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
    for (const line of listing.trim().split('\n')) {
      const [pid, parent] = line.trim().split(/\s+/).map(Number);
      parents.set(pid, parent);
    }
    return parents;
  }
}
