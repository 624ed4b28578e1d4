// Where the panel's documents (Show Values, Show Loss Curve) open: one editor group beside
// the notebook, the same one every time. `ViewColumn.Beside` alone means "right of the
// active editor", so after one document took focus the next opened a third group and the
// notebook shrank to a third of the window.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../controller';

/**
 * The group for a panel document: where one already is (so they stay together), else the
 * group right of the notebook's. Pure, for tests.
 */
export function sideColumn(notebookColumn: number | undefined, panelColumns: readonly (number | undefined)[]): number {
  const notebook = notebookColumn ?? 1;
  const existing = panelColumns.find((column): column is number => column !== undefined && column !== notebook);
  return existing ?? notebook + 1;
}

/** The column of the DL notebook on screen: the active one, else the first visible. */
export function notebookColumn(): number | undefined {
  const active = vscode.window.activeNotebookEditor;
  if (active?.notebook.notebookType === NOTEBOOK_TYPE) return active.viewColumn;
  return vscode.window.visibleNotebookEditors.find((e) => e.notebook.notebookType === NOTEBOOK_TYPE)?.viewColumn;
}

/** Columns of the visible editors of `scheme` and of the given webview panels. */
export function panelColumns(scheme: string, panels: readonly vscode.WebviewPanel[]): (number | undefined)[] {
  return [
    ...vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === scheme).map((e) => e.viewColumn),
    ...panels.filter((p) => p.visible).map((p) => p.viewColumn),
  ];
}
