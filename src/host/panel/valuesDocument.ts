// Read-only documents with a parameter's full values ("Show Values"): a virtual document
// scheme, so closing one never asks to save.
import * as vscode from 'vscode';

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

  /** Opens `text` in an editor beside the notebook, titled after the parameter. */
  async show(paramId: string, text: string): Promise<void> {
    // A query makes each opening its own document: values change as a model trains.
    const uri = vscode.Uri.from({ scheme: VALUES_SCHEME, path: `/${paramId}.jsonc`, query: String(++this.counter) });
    this.contents.set(uri.toString(), text);
    while (this.contents.size > MAX_KEPT) this.contents.delete(this.contents.keys().next().value as string);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'jsonc');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
