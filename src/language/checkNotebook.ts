// Type-checks whole notebooks without running them: the core of `dlnb check`. The same
// NotebookService as the editor's, so the terminal and the Problems panel agree.
import type * as TS from 'typescript';
import type { DlnbNotebook } from '../shared/dlnbFormat';
import type { CellProblem } from '../shared/languageProtocol';
import type { CodeCell } from './cellFiles';
import type { Declarations } from './declarations';
import { NotebookService } from './notebookService';

export interface LocatedProblem extends CellProblem {
  /** 1-based, in the cell. */
  line: number;
  /** 1-based, in the cell. */
  column: number;
}

/** Languages the kernel runs as TypeScript; other code cells are not checked. */
const CHECKED_LANGUAGES = new Set([undefined, 'typescript', 'javascript']);

export function codeCellsOf(notebook: DlnbNotebook): CodeCell[] {
  return notebook.cells.flatMap((cell, i) =>
    cell.kind === 'code' && CHECKED_LANGUAGES.has(cell.language)
      ? [{ id: String(i + 1), index: i + 1, source: cell.source }]
      : [],
  );
}

export class NotebookChecker {
  private readonly registry: TS.DocumentRegistry;

  constructor(
    private readonly ts: typeof TS,
    private readonly declarations: Declarations,
  ) {
    // One registry for every notebook checked: the declarations are parsed once.
    this.registry = ts.createDocumentRegistry();
  }

  check(notebook: DlnbNotebook, dir: string): LocatedProblem[] {
    const service = new NotebookService(this.ts, this.declarations, dir, this.registry);
    try {
      const cells = codeCellsOf(notebook);
      service.update(cells);
      return cells.flatMap((cell) => service.problems(cell.id).map((p) => locate(p, cell.source)));
    } finally {
      service.dispose();
    }
  }
}

export function locate(problem: CellProblem, source: string): LocatedProblem {
  const before = source.slice(0, problem.range.start);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { ...problem, line: before.split('\n').length, column: problem.range.start - lineStart + 1 };
}
