// What the side panel shows, for the notebook it follows: that kernel's state and its
// latest snapshot. Snapshots come live from the kernel while the panel is open, and on
// request (the panel opens, a cell ends); views hear of changes at most every ~150 ms.
// Knows nothing of VS Code, so it is tested against a fake kernel.
import type { KernelHandle, KernelState, Unsubscribe } from '../../kernel-client/types';
import type { PanelSnapshot } from '../../shared/protocol';
import { Coalescer } from './coalescer';

export type PanelKernel = Pick<KernelHandle, 'state' | 'snapshot' | 'onPanel' | 'onStateChange'>;

export interface PanelView {
  /** A DL notebook is open and followed; false shows the welcome. */
  hasNotebook: boolean;
  state: KernelState | 'none';
  snapshot: PanelSnapshot | undefined;
}

export const REFRESH_DELAY_MS = 150;

export class PanelModel {
  private kernel: PanelKernel | undefined;
  private hasNotebook = false;
  private snapshot: PanelSnapshot | undefined;
  private snapshotText = '';
  private kernelSubscriptions: Unsubscribe[] = [];
  private visible = false;
  /** Bumped when the followed kernel changes, so a late answer from the old one is dropped. */
  private generation = 0;
  private inFlight = false;
  private requestAgain = false;
  private readonly listeners = new Set<() => void>();
  private readonly refresh: Coalescer;

  constructor(
    private readonly onError: (message: string, err: unknown) => void,
    delayMs = REFRESH_DELAY_MS,
  ) {
    this.refresh = new Coalescer(() => this.listeners.forEach((listener) => listener()), delayMs);
  }

  get view(): PanelView {
    return { hasNotebook: this.hasNotebook, state: this.kernel?.state ?? 'none', snapshot: this.snapshot };
  }

  onDidChange(listener: () => void): Unsubscribe {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Follows a notebook's kernel, or none; a different kernel starts from an empty panel. */
  follow(hasNotebook: boolean, kernel: PanelKernel | undefined): void {
    if (hasNotebook === this.hasNotebook && kernel === this.kernel) return;
    this.hasNotebook = hasNotebook;
    if (kernel !== this.kernel) {
      this.unsubscribe();
      this.forgetSnapshot();
      this.kernel = kernel;
      if (kernel) {
        this.kernelSubscriptions = [
          kernel.onPanel((snapshot) => this.receive(snapshot)),
          kernel.onStateChange((state) => this.stateChanged(state)),
        ];
        this.requestSnapshot();
      }
    }
    this.refresh.schedule();
  }

  /** The panel is shown or hidden: hidden panels ask the kernel for nothing. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.requestSnapshot();
  }

  /** Asks the kernel for a fresh snapshot, e.g. after a cell ran; concurrent asks coalesce. */
  requestSnapshot(): void {
    const kernel = this.kernel;
    if (!kernel || !this.visible || (kernel.state !== 'idle' && kernel.state !== 'busy')) return;
    if (this.inFlight) {
      this.requestAgain = true;
      return;
    }
    this.inFlight = true;
    const generation = this.generation;
    kernel
      .snapshot()
      .then(
        (snapshot) => {
          if (generation === this.generation) this.receive(snapshot);
        },
        (err: unknown) => {
          if (generation === this.generation && kernel.state !== 'dead') this.onError('The panel could not read the kernel', err);
        },
      )
      .finally(() => {
        if (generation !== this.generation) return;
        this.inFlight = false;
        if (this.requestAgain) {
          this.requestAgain = false;
          this.requestSnapshot();
        }
      });
  }

  private receive(snapshot: PanelSnapshot): void {
    // A cell waiting on a timer sends the same snapshot every 500 ms: redraw only on change.
    const text = JSON.stringify(snapshot);
    if (this.snapshot && text === this.snapshotText) return;
    this.snapshot = snapshot;
    this.snapshotText = text;
    this.refresh.schedule();
  }

  private stateChanged(state: KernelState): void {
    // A kernel starting again (a restart, or an interrupt that replaced the worker) or
    // dying has lost its variables: what the panel showed is gone.
    if (state === 'starting' || state === 'dead') this.forgetSnapshot();
    if (state === 'idle') this.requestSnapshot();
    this.refresh.schedule();
  }

  private forgetSnapshot(): void {
    this.snapshot = undefined;
    this.generation++;
    this.inFlight = false;
    this.requestAgain = false;
  }

  private unsubscribe(): void {
    for (const subscription of this.kernelSubscriptions) subscription.dispose();
    this.kernelSubscriptions = [];
  }

  dispose(): void {
    this.unsubscribe();
    this.refresh.dispose();
    this.listeners.clear();
  }
}
