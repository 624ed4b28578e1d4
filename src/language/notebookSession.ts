// One open notebook in the language worker: its cells' sources as last sent, its
// NotebookService, and its diagnostics. Diagnostics are computed a moment after the last
// edit, the edited cells first (posted at once, so the squiggle under what the user just
// typed comes fast), then the rest; between cells the worker yields, so a completion asked
// for meanwhile is answered without waiting for the whole notebook.
import type * as TS from 'typescript';
import type { CellProblem, CellUpdate, LanguageEvent } from '../shared/languageProtocol';
import type { Declarations } from './declarations';
import { NotebookService } from './notebookService';

const DIAGNOSTICS_DELAY_MS = 40;

export class NotebookSession {
  readonly service: NotebookService;
  private readonly sources = new Map<string, string>();
  private order: CellUpdate[] = [];
  private version = 0;
  private changed = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private diagnosticsOn = true;

  constructor(
    ts: typeof TS,
    declarations: Declarations,
    dir: string,
    registry: TS.DocumentRegistry,
    private readonly notebook: string,
    private readonly post: (event: LanguageEvent) => void,
  ) {
    this.service = new NotebookService(ts, declarations, dir, registry);
  }

  update(cells: CellUpdate[], diagnostics: boolean): void {
    const known = new Set(cells.map((c) => c.id));
    for (const id of this.sources.keys()) if (!known.has(id)) this.sources.delete(id);
    for (const cell of cells) {
      if (cell.source !== undefined && cell.source !== this.sources.get(cell.id)) {
        this.sources.set(cell.id, cell.source);
        this.changed.add(cell.id);
      }
      if (!this.sources.has(cell.id)) throw new Error(`cell ${cell.index} came without its source`);
    }
    const moved =
      cells.length !== this.order.length || cells.some((c, i) => c.id !== this.order[i]?.id || c.index !== this.order[i]?.index);
    this.order = cells.map(({ id, index }) => ({ id, index }));
    this.service.update(cells.map(({ id, index }) => ({ id, index, source: this.sources.get(id)! })));
    this.version += 1;
    const turnedOn = diagnostics && !this.diagnosticsOn;
    this.diagnosticsOn = diagnostics;
    if (diagnostics && (this.changed.size > 0 || moved || turnedOn)) this.schedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.version = -1;
    this.service.dispose();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.publish(), DIAGNOSTICS_DELAY_MS);
  }

  private async publish(): Promise<void> {
    const version = this.version;
    const first = this.order.filter((c) => this.changed.has(c.id)).map((c) => c.id);
    const rest = this.order.filter((c) => !this.changed.has(c.id)).map((c) => c.id);
    this.changed = new Set();
    for (const batch of [first, rest]) {
      if (batch.length === 0) continue;
      const problems: CellProblem[] = [];
      for (const id of batch) {
        problems.push(...this.service.problems(id));
        await new Promise((resolve) => setImmediate(resolve));
        if (version !== this.version) return; // a newer edit has its own run coming
      }
      this.post({ type: 'diagnostics', notebook: this.notebook, cellIds: batch, problems });
    }
  }
}
