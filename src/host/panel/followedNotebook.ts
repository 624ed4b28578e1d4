// Which DL notebook the panel shows: the active one, and while focus is elsewhere (a text
// editor, the output panel) the last active one as long as it stays open.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../controller';

function isDlnb(notebook: vscode.NotebookDocument | undefined): notebook is vscode.NotebookDocument {
  return notebook?.notebookType === NOTEBOOK_TYPE && !notebook.isClosed;
}

export class FollowedNotebook implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.NotebookDocument | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private notebook: vscode.NotebookDocument | undefined;

  constructor() {
    this.subscriptions = [
      this.changed,
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      vscode.window.onDidChangeVisibleNotebookEditors(() => this.update()),
      vscode.workspace.onDidCloseNotebookDocument(() => this.update()),
    ];
    this.update();
  }

  get current(): vscode.NotebookDocument | undefined {
    return this.notebook;
  }

  private update(): void {
    const active = vscode.window.activeNotebookEditor?.notebook;
    let next = isDlnb(active) ? active : this.notebook;
    if (!isDlnb(next)) next = vscode.window.visibleNotebookEditors.map((e) => e.notebook).find(isDlnb);
    if (next === this.notebook) return;
    this.notebook = next;
    this.changed.fire(next);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
