// A small stand-in for the `vscode` module, enough to drive the notebook controller, the
// run queue and the kernel manager in node's test runner. Importing this file makes
// `require('vscode')` return it. It enforces the rules of the real API that matter here:
// one execution per cell at a time, no output edits after `end`.
import Module from 'node:module';

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => void) {}
  static from(...disposables: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => disposables.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class NotebookCellOutputItem {
  constructor(
    readonly data: Uint8Array,
    readonly mime: string,
  ) {}
  static text(value: string, mime = 'text/plain') {
    return new NotebookCellOutputItem(new TextEncoder().encode(value), mime);
  }
  static json(value: unknown, mime = 'text/x-json') {
    return NotebookCellOutputItem.text(JSON.stringify(value), mime);
  }
  static stdout(value: string) {
    return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stdout');
  }
  static stderr(value: string) {
    return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stderr');
  }
  static error(error: { name: string; message: string; stack?: string }) {
    const { name, message, stack } = error;
    return NotebookCellOutputItem.json({ name, message, stack }, 'application/vnd.code.notebook.error');
  }
  get text(): string {
    return new TextDecoder().decode(this.data);
  }
}

export class NotebookCellOutput {
  constructor(
    public items: NotebookCellOutputItem[],
    readonly metadata?: Record<string, unknown>,
  ) {}
}

export const NotebookCellKind = { Markup: 1, Code: 2 } as const;
export const NotebookControllerAffinity = { Default: 1, Preferred: 2 } as const;
export const NotebookCellStatusBarAlignment = { Left: 1, Right: 2 } as const;
export class NotebookCellStatusBarItem {
  tooltip?: string;
  constructor(
    readonly text: string,
    readonly alignment: number,
  ) {}
}

export interface FakeCell {
  index: number;
  kind: number;
  notebook: FakeNotebook;
  document: { uri: { toString(): string }; getText(): string };
  outputs: NotebookCellOutput[];
  executionSummary?: { executionOrder?: number; success?: boolean; timing?: { startTime: number; endTime: number } };
  /** Set while an execution exists for the cell (pending or running). */
  execution?: FakeExecution;
  /** Everything that happened to the cell's executions, for assertions. */
  events: string[];
}

export interface FakeNotebook {
  uri: { scheme: string; fsPath: string; toString(): string };
  notebookType: string;
  isClosed: boolean;
  cellCount: number;
  getCells(): FakeCell[];
  cellAt(index: number): FakeCell;
}

let notebookCount = 0;

export function makeNotebook(cells: Array<string | { markdown: string }>): FakeNotebook {
  const id = ++notebookCount;
  const uri = { scheme: 'untitled', fsPath: `Untitled-${id}`, toString: () => `untitled:Untitled-${id}` };
  const notebook: FakeNotebook = {
    uri,
    notebookType: 'dlnb',
    isClosed: false,
    cellCount: cells.length,
    getCells: () => list,
    cellAt: (index) => list[index]!,
  };
  const list: FakeCell[] = cells.map((spec, index) => ({
    index,
    kind: typeof spec === 'string' ? NotebookCellKind.Code : NotebookCellKind.Markup,
    notebook,
    document: {
      uri: { toString: () => `${uri.toString()}#cell${index}` },
      getText: () => (typeof spec === 'string' ? spec : spec.markdown),
    },
    outputs: [],
    events: [],
  }));
  return notebook;
}

/** Output edits reach VS Code's main thread after a while; tests can make that visible. */
function editLatency(): Promise<void> {
  return world.editLatencyMs > 0 ? new Promise((resolve) => setTimeout(resolve, world.editLatencyMs)) : Promise.resolve();
}

export class FakeExecution {
  executionOrder: number | undefined;
  private state: 'pending' | 'running' | 'ended' = 'pending';
  readonly token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

  constructor(readonly cell: FakeCell) {
    if (cell.execution) throw new Error('cell is already executing');
    cell.execution = this;
    cell.events.push('pending');
  }

  start(startTime?: number): void {
    this.check('pending');
    this.state = 'running';
    this.cell.events.push('start');
    this.cell.executionSummary = { executionOrder: this.executionOrder, timing: undefined, success: undefined };
    void startTime;
  }

  end(success: boolean | undefined, endTime?: number): void {
    if (this.state === 'ended') throw new Error('execution already ended');
    const started = this.state === 'running';
    this.state = 'ended';
    this.cell.execution = undefined;
    this.cell.events.push(success === undefined ? 'end' : success ? 'end ok' : 'end failed');
    if (started) {
      const summary = { executionOrder: this.executionOrder, success, timing: { startTime: 1, endTime: endTime ?? 2 } };
      // VS Code updates the summary after a round trip to the window.
      if (world.summaryLatencyMs > 0) setTimeout(() => (this.cell.executionSummary = summary), world.summaryLatencyMs);
      else this.cell.executionSummary = summary;
    }
  }

  async clearOutput(): Promise<void> {
    this.check('running');
    await editLatency();
    this.cell.outputs = [];
  }
  async replaceOutput(out: NotebookCellOutput | NotebookCellOutput[]): Promise<void> {
    this.check('running');
    await editLatency();
    this.cell.outputs = Array.isArray(out) ? out : [out];
  }
  async appendOutput(out: NotebookCellOutput | NotebookCellOutput[]): Promise<void> {
    this.check('running');
    await editLatency();
    this.cell.outputs.push(...(Array.isArray(out) ? out : [out]));
  }
  async appendOutputItems(items: NotebookCellOutputItem | NotebookCellOutputItem[], output: NotebookCellOutput): Promise<void> {
    this.check('running');
    await editLatency();
    this.owned(output).items.push(...(Array.isArray(items) ? items : [items]));
  }
  async replaceOutputItems(items: NotebookCellOutputItem | NotebookCellOutputItem[], output: NotebookCellOutput): Promise<void> {
    this.check('running');
    await editLatency();
    this.owned(output).items = Array.isArray(items) ? items : [items];
  }

  private owned(output: NotebookCellOutput): NotebookCellOutput {
    if (!this.cell.outputs.includes(output)) throw new Error('output is not in this cell');
    return output;
  }

  private check(expected: 'pending' | 'running'): void {
    if (this.state !== expected) throw new Error(`execution is ${this.state}, expected ${expected}`);
  }
}

export class FakeController {
  executeHandler!: (cells: FakeCell[], notebook: FakeNotebook, controller: FakeController) => unknown;
  interruptHandler?: (notebook: FakeNotebook) => unknown;
  supportedLanguages: string[] = [];
  supportsExecutionOrder = false;
  description = '';
  detail = '';
  readonly affinity = new Map<FakeNotebook, number>();
  constructor(
    readonly id: string,
    readonly notebookType: string,
    readonly label: string,
  ) {}
  createNotebookCellExecution(cell: FakeCell): FakeExecution {
    return new FakeExecution(cell);
  }
  updateNotebookAffinity(notebook: FakeNotebook, affinity: number): void {
    this.affinity.set(notebook, affinity);
  }
  dispose(): void {}
}

/** What the extension showed the user, and the fake workspace it sees. */
export const world = {
  controllers: [] as FakeController[],
  messages: [] as string[],
  commands: [] as unknown[][],
  isTrusted: true,
  editLatencyMs: 0,
  /** How long after `end` a cell's executionSummary shows it (0: at once). */
  summaryLatencyMs: 0,
  notebookDocuments: [] as FakeNotebook[],
  openNotebook: new EventEmitter<FakeNotebook>(),
  closeNotebook: new EventEmitter<FakeNotebook>(),
  changeConfiguration: new EventEmitter<{ affectsConfiguration(key: string): boolean }>(),
  visibleNotebookEditors: [] as { notebook: FakeNotebook }[],
  changeVisibleNotebookEditors: new EventEmitter<{ notebook: FakeNotebook }[]>(),
  /** Settings the extension reads (`dlnb.<key>`); missing keys give the default. */
  settings: {} as Record<string, unknown>,
  reset(): void {
    this.controllers = [];
    this.messages = [];
    this.commands = [];
    this.isTrusted = true;
    this.editLatencyMs = 0;
    this.summaryLatencyMs = 0;
    this.notebookDocuments = [];
    // Listeners of earlier tests' extensions must not hear this test's events.
    this.openNotebook = new EventEmitter<FakeNotebook>();
    this.closeNotebook = new EventEmitter<FakeNotebook>();
    this.changeConfiguration = new EventEmitter<{ affectsConfiguration(key: string): boolean }>();
    this.visibleNotebookEditors = [];
    this.changeVisibleNotebookEditors = new EventEmitter<{ notebook: FakeNotebook }[]>();
    this.settings = {};
  },
};

const showMessage = async (message: string) => {
  world.messages.push(message);
  return undefined;
};

export const fakeVscode = {
  EventEmitter,
  Disposable,
  NotebookCellOutputItem,
  NotebookCellOutput,
  NotebookCellKind,
  NotebookControllerAffinity,
  NotebookCellStatusBarAlignment,
  NotebookCellStatusBarItem,
  notebooks: {
    createNotebookController(id: string, type: string, label: string) {
      const controller = new FakeController(id, type, label);
      world.controllers.push(controller);
      return controller;
    },
    registerNotebookCellStatusBarItemProvider: () => new Disposable(() => undefined),
  },
  workspace: {
    get notebookDocuments() {
      return world.notebookDocuments;
    },
    get isTrusted() {
      return world.isTrusted;
    },
    get onDidOpenNotebookDocument() {
      return world.openNotebook.event;
    },
    get onDidCloseNotebookDocument() {
      return world.closeNotebook.event;
    },
    get onDidChangeConfiguration() {
      return world.changeConfiguration.event;
    },
    getConfiguration: () => ({
      get: <T>(key: string, fallback?: T) => (key in world.settings ? (world.settings[key] as T) : fallback),
    }),
  },
  window: {
    get visibleNotebookEditors() {
      return world.visibleNotebookEditors;
    },
    get onDidChangeVisibleNotebookEditors() {
      return world.changeVisibleNotebookEditors.event;
    },
    showWarningMessage: showMessage,
    showErrorMessage: showMessage,
    showInformationMessage: showMessage,
  },
  // vscode.l10n.t with no bundle loaded: the English text, {0} {1} ... filled in.
  l10n: {
    t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
  },
  env: { language: 'en' },
  commands: {
    executeCommand: async (...args: unknown[]) => {
      world.commands.push(args);
    },
  },
};

// Route `require('vscode')` here for every module loaded after this one.
const moduleWithLoad = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
  if (request === 'vscode') return fakeVscode;
  return originalLoad.call(this, request, ...rest);
};
