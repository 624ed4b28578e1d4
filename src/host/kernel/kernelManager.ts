// The host's registry of kernels: one per notebook, created lazily on the first run,
// disposed when the notebook closes. The side panel and the status bar read kernels and
// their changes from here; the controller runs cells through it.
import * as vscode from 'vscode';
import type { KernelHandle } from '../../kernel-client/types';
import type { CellError, ExecuteDone } from '../../shared/protocol';
import type { KernelStatus } from '../format';
import type { Log } from '../log';
import { KernelSession } from './kernelSession';

export interface NotebookKernelChange {
  notebook: vscode.NotebookDocument;
  kernel: KernelHandle | undefined;
  reason: 'started' | 'restarted' | 'died' | 'closed';
  /** Why a kernel died, or the messages of a start (e.g. a backend fallback). */
  detail?: string;
}

export interface NotebookUncaughtError {
  notebook: vscode.NotebookDocument;
  error: CellError;
  /** The run (ExecuteDone.id) whose timer or promise threw, when the kernel knows it. */
  runId: number | undefined;
}

export interface NotebookLateOutput {
  notebook: vscode.NotebookDocument;
  name: 'stdout' | 'stderr';
  text: string;
  /** The run (ExecuteDone.id) the text belongs to: the last one, which has ended. */
  runId: number;
}

/** Builds a notebook's kernel handle (not yet started). */
export type KernelFactory = (notebook: vscode.NotebookDocument, livePanel: boolean) => KernelHandle;

export class KernelManager implements vscode.Disposable {
  private readonly sessions = new Map<vscode.NotebookDocument, KernelSession>();
  private livePanel = false;

  private readonly kernelChanged = new vscode.EventEmitter<NotebookKernelChange>();
  private readonly cellExecuted = new vscode.EventEmitter<{ notebook: vscode.NotebookDocument }>();
  private readonly statusChanged = new vscode.EventEmitter<vscode.NotebookDocument>();
  private readonly uncaught = new vscode.EventEmitter<NotebookUncaughtError>();
  private readonly lateOutput = new vscode.EventEmitter<NotebookLateOutput>();

  /** A notebook's kernel started, restarted (state cleared), died, or the notebook closed. */
  readonly onDidChangeKernel = this.kernelChanged.event;
  /** A cell run ended (ok, error or interrupted). */
  readonly onDidExecuteCell = this.cellExecuted.event;
  /** A kernel's state, backend or live memory changed. */
  readonly onDidChangeStatus = this.statusChanged.event;
  /** A timer or promise a cell started threw. */
  readonly onUncaughtError = this.uncaught.event;
  /** Text a timer or promise printed after its cell ended. */
  readonly onLateOutput = this.lateOutput.event;

  constructor(
    private readonly createKernel: KernelFactory,
    private readonly log: Log,
  ) {}

  /** The notebook's kernel if it has one; never starts one. */
  get(notebook: vscode.NotebookDocument): KernelHandle | undefined {
    return this.sessions.get(notebook)?.kernel;
  }

  getOrCreate(notebook: vscode.NotebookDocument): KernelHandle {
    return this.session(notebook).kernel;
  }

  /** The kernel, started and ready for cells. */
  async ready(notebook: vscode.NotebookDocument): Promise<KernelHandle> {
    const session = this.session(notebook);
    await session.ensureStarted();
    return session.kernel;
  }

  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    const session = this.sessions.get(notebook);
    if (!session) return;
    this.log.info(`Restarting the kernel of ${notebook.uri.toString(true)}`);
    await session.kernel.restart();
    this.noteRestarted(notebook);
  }

  /** The worker was replaced without `restart` (an interrupt of last resort). */
  noteRestarted(notebook: vscode.NotebookDocument): void {
    const session = this.sessions.get(notebook);
    if (!session) return;
    session.forgetState();
    this.kernelChanged.fire({ notebook, kernel: session.kernel, reason: 'restarted' });
    this.statusChanged.fire(notebook);
  }

  setLivePanel(enabled: boolean): void {
    this.livePanel = enabled;
    for (const session of this.sessions.values()) session.kernel.setLivePanel(enabled);
  }

  status(notebook: vscode.NotebookDocument): KernelStatus {
    const session = this.sessions.get(notebook);
    return {
      state: session?.kernel.state,
      backend: session?.kernel.backend,
      tensors: session?.memory?.tensors,
      bytes: session?.memory?.bytes,
    };
  }

  /** Notebooks that have a kernel, e.g. to offer a restart after a settings change. */
  notebooksWithKernels(): vscode.NotebookDocument[] {
    return [...this.sessions.keys()];
  }

  noteCellDone(notebook: vscode.NotebookDocument, done: ExecuteDone): void {
    const session = this.sessions.get(notebook);
    if (session) session.memory = { tensors: done.memory.tensorsAfter, bytes: done.memory.bytesAfter };
    this.statusChanged.fire(notebook);
    this.cellExecuted.fire({ notebook });
  }

  close(notebook: vscode.NotebookDocument): void {
    const session = this.sessions.get(notebook);
    if (!session) return;
    this.sessions.delete(notebook);
    this.disposeSession(session);
    this.kernelChanged.fire({ notebook, kernel: undefined, reason: 'closed' });
    this.statusChanged.fire(notebook);
  }

  dispose(): void {
    for (const session of this.sessions.values()) this.disposeSession(session);
    this.sessions.clear();
    this.kernelChanged.dispose();
    this.cellExecuted.dispose();
    this.statusChanged.dispose();
    this.uncaught.dispose();
    this.lateOutput.dispose();
  }

  private session(notebook: vscode.NotebookDocument): KernelSession {
    let session = this.sessions.get(notebook);
    if (session) return session;
    const kernel = this.createKernel(notebook, this.livePanel);
    session = new KernelSession(kernel, {
      onStarted: (messages) => {
        for (const message of messages) this.log.info(`Kernel: ${message}`);
        this.log.info(`Kernel started (${kernel.backend ?? 'unknown'} backend) for ${notebook.uri.toString(true)}`);
        this.kernelChanged.fire({ notebook, kernel, reason: 'started', detail: messages.join('\n') || undefined });
        this.statusChanged.fire(notebook);
      },
      onStatus: () => this.statusChanged.fire(notebook),
      onDied: (reason) => {
        this.log.warn(`Kernel stopped: ${reason} (${notebook.uri.toString(true)})`);
        this.kernelChanged.fire({ notebook, kernel, reason: 'died', detail: reason });
        this.statusChanged.fire(notebook);
      },
      onUncaught: (error, runId) => this.uncaught.fire({ notebook, error, runId }),
      onLateOutput: (name, text, runId) => this.lateOutput.fire({ notebook, name, text, runId }),
    });
    this.sessions.set(notebook, session);
    return session;
  }

  private disposeSession(session: KernelSession): void {
    session.dispose();
    session.kernel.dispose().catch((err) => this.log.error('Could not stop a kernel', err));
  }
}
