// Listener sets and observer calls for the kernel client: the host's code runs inside
// the kernel's message loop, so one failing listener or observer must not stop the others
// or the kernel.
import type { Unsubscribe } from './types';

export class Listeners<T extends unknown[]> {
  private readonly set = new Set<(...args: T) => void>();

  add(listener: (...args: T) => void): Unsubscribe {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }

  fire(...args: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(...args);
      } catch {
        // One failing listener must not stop the others or the kernel.
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}

/** Observers are the host's code: a failing one must not take the message loop down with it. */
export function guarded(work: () => void): void {
  try {
    work();
  } catch (error) {
    console.error('dlnb: an output observer failed:', error);
  }
}
