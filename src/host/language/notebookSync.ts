// Keeps the language worker's copy of every open dlnb notebook current and shows its
// problems. Each update lists the notebook's code cells in order and carries a cell's
// source only when it changed since the worker last saw it. Problems go to one
// DiagnosticCollection keyed by cell, so they squiggle in the cell and list in Problems.
import * as vscode from 'vscode';
import type { CellProblem, CellUpdate, LanguageEvent } from '../../shared/languageProtocol';
import { notebookFolder } from '../kernel/kernelFactory';
import { NOTEBOOK_TYPE } from '../controller';
import { CELL_LANGUAGE } from '../serializer';
import type { LanguageClient } from './languageClient';

export class NotebookSync implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('dlnb');
  /** Per notebook: the document version of each cell the worker has. */
  private readonly sent = new Map<string, Map<string, number>>();
  /** Per notebook: its code cells' ids and positions as last sent, to skip updates that change nothing. */
  private readonly layouts = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly client: LanguageClient,
    private readonly typeCheck: () => boolean,
  ) {
    this.subscriptions.push(
      this.diagnostics,
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.sync(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.close(nb)),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length > 0 || e.cellChanges.some((c) => c.document !== undefined)) this.sync(e.notebook);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme !== 'vscode-notebook-cell' || e.contentChanges.length === 0) return;
        const notebook = this.notebookOf(e.document);
        if (notebook) this.sync(notebook);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('dlnb.typeCheck')) return;
        if (!this.typeCheck()) this.diagnostics.clear();
        this.resyncAll();
      }),
    );
    this.resyncAll();
  }

  /** The notebook a cell belongs to, after making sure the worker has that cell as it is now. */
  current(cell: vscode.TextDocument): vscode.NotebookDocument | undefined {
    const notebook = this.notebookOf(cell);
    if (notebook) this.sync(notebook);
    return notebook;
  }

  /** The worker restarted: it knows nothing, so everything goes again. */
  resyncAll(): void {
    this.sent.clear();
    this.layouts.clear();
    for (const notebook of vscode.workspace.notebookDocuments) this.sync(notebook);
  }

  onEvent(event: LanguageEvent): void {
    if (event.type !== 'diagnostics' || !this.typeCheck()) return;
    const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === event.notebook);
    if (!notebook) return;
    const byCell = new Map<string, CellProblem[]>(event.cellIds.map((id) => [id, []]));
    for (const problem of event.problems) byCell.get(problem.cellId)?.push(problem);
    for (const cell of notebook.getCells()) {
      const problems = byCell.get(cell.document.uri.toString());
      if (problems)
        this.diagnostics.set(
          cell.document.uri,
          problems.map((p) => toDiagnostic(p, cell.document)),
        );
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private sync(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const key = notebook.uri.toString();
    const sent = this.sent.get(key) ?? new Map<string, number>();
    const next = new Map<string, number>();
    const cells: CellUpdate[] = [];
    for (const cell of notebook.getCells()) {
      if (cell.kind !== vscode.NotebookCellKind.Code || cell.document.languageId !== CELL_LANGUAGE) continue;
      const id = cell.document.uri.toString();
      const update: CellUpdate = { id, index: cell.index + 1 };
      if (sent.get(id) !== cell.document.version) {
        update.source = cell.document.getText();
      }
      next.set(id, cell.document.version);
      cells.push(update);
    }
    const layout = `${this.typeCheck()} ${cells.map((c) => `${c.index}:${c.id}`).join(' ')}`;
    if (this.sent.has(key) && cells.every((c) => c.source === undefined) && this.layouts.get(key) === layout) return;
    // Cells that left the notebook (or its code language) lose their squiggles.
    for (const id of sent.keys()) if (!next.has(id)) this.diagnostics.delete(vscode.Uri.parse(id));
    this.sent.set(key, next);
    this.layouts.set(key, layout);
    this.client.send({ type: 'update', notebook: key, dir: notebookFolder(notebook), cells, diagnostics: this.typeCheck() });
  }

  private close(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    this.sent.delete(notebook.uri.toString());
    this.layouts.delete(notebook.uri.toString());
    for (const cell of notebook.getCells()) this.diagnostics.delete(cell.document.uri);
    this.client.send({ type: 'close', notebook: notebook.uri.toString() });
  }

  private notebookOf(cell: vscode.TextDocument): vscode.NotebookDocument | undefined {
    return vscode.workspace.notebookDocuments.find(
      (nb) => nb.notebookType === NOTEBOOK_TYPE && nb.getCells().some((c) => c.document === cell),
    );
  }
}

function toDiagnostic(problem: CellProblem, cell: vscode.TextDocument): vscode.Diagnostic {
  const range = new vscode.Range(cell.positionAt(problem.range.start), cell.positionAt(problem.range.end));
  const severity =
    problem.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : problem.severity === 'warning'
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
  diagnostic.source = 'dlnb';
  diagnostic.code = `TS${problem.code}`;
  return diagnostic;
}
