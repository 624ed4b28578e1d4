// Read-only documents with a parameter's full values ("Show Values"): a virtual document
// scheme, so closing one never asks to save. They open as a preview in the group beside
// the notebook, so the next one replaces it rather than adding a tab or a group.
import * as vscode from 'vscode';
import { notebookColumn, sideColumn, panelColumns } from './sideGroup';

export const VALUES_SCHEME = 'dlnb-values';
/** Documents kept for re-opening; older ones are forgotten. */
const MAX_KEPT = 20;

export class ValuesDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private counter = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(VALUES_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// These values are no longer kept; use Show Values again.';
  }

  /**
   * Opens `text` in an editor beside the notebook, titled after the parameter. `panels`:
   * the loss-curve panels, whose group this shares.
   */
  async show(paramId: string, text: string, panels: readonly vscode.WebviewPanel[] = []): Promise<void> {
    // A query makes each opening its own document: values change as a model trains.
    const uri = vscode.Uri.from({ scheme: VALUES_SCHEME, path: `/${paramId}.jsonc`, query: String(++this.counter) });
    this.contents.set(uri.toString(), text);
    while (this.contents.size > MAX_KEPT) this.contents.delete(this.contents.keys().next().value as string);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'jsonc');
    const viewColumn = sideColumn(notebookColumn(), panelColumns(VALUES_SCHEME, panels));
    await vscode.window.showTextDocument(document, { viewColumn, preview: true, preserveFocus: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
