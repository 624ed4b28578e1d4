// One notebook's kernel and everything that listens to it: the second disposal scope.
// It lives from the notebook's first run until the notebook closes; restarts reset its
// state (the handle keeps its identity and replaces its worker).
import type * as vscode from 'vscode';
import type { KernelHandle, Unsubscribe } from '../../kernel-client/types';
import type { CellError, PanelSnapshot } from '../../shared/protocol';

export interface SessionListener {
  onStarted(messages: string[]): void;
  onStatus(): void;
  onDied(reason: string): void;
  onUncaught(error: CellError, runId: number | undefined): void;
  onLateOutput(name: 'stdout' | 'stderr', text: string, runId: number): void;
}

export class KernelSession implements vscode.Disposable {
  private readonly subscriptions: Unsubscribe[];
  private starting: Promise<void> | undefined;
  /** Live tensors after the last cell or panel snapshot; undefined after a (re)start. */
  memory: { tensors: number; bytes: number } | undefined;

  constructor(
    readonly kernel: KernelHandle,
    private readonly listener: SessionListener,
  ) {
    this.subscriptions = [
      kernel.onStateChange(() => listener.onStatus()),
      kernel.onPanel((snapshot: PanelSnapshot) => {
        this.memory = { tensors: snapshot.kernel.numTensors, bytes: snapshot.kernel.numBytes };
        listener.onStatus();
      }),
      kernel.onDied((reason) => {
        this.forgetState();
        listener.onDied(reason);
      }),
      kernel.onUncaught((error, runId) => listener.onUncaught(error, runId)),
      kernel.onLateOutput((name, text, runId) => listener.onLateOutput(name, text, runId)),
    ];
  }

  /** Starts the worker once per kernel life; later calls share the first start. */
  ensureStarted(): Promise<void> {
    if (!this.starting) {
      const starting = this.kernel.start().then((messages) => this.listener.onStarted(messages));
      starting.catch(() => {
        if (this.starting === starting) this.starting = undefined;
      });
      this.starting = starting;
    }
    return this.starting;
  }

  /** The worker was replaced (restart, interrupt of last resort, death): nothing carries over. */
  forgetState(): void {
    this.starting = undefined;
    this.memory = undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
