// The editor's TypeScript for dlnb cells: one language worker for the window (started on
// the first notebook that needs it), the notebooks kept in sync with it, and the
// providers that ask it. `dlnb.typeCheck` turns the problems off, not the completions.
import * as vscode from 'vscode';
import type { Log } from '../log';
import { LanguageClient } from './languageClient';
import { NotebookSync } from './notebookSync';
import { registerLanguageProviders } from './providers';

export function registerLanguageFeatures(extensionUri: vscode.Uri, log: Log): vscode.Disposable {
  const typeCheck = () => vscode.workspace.getConfiguration('dlnb').get<boolean>('typeCheck', true);
  // The client's callbacks run only once the worker answers, after `sync` exists.
  const client = new LanguageClient({
    workerPath: vscode.Uri.joinPath(extensionUri, 'dist', 'languageWorker.js').fsPath,
    declarationsPath: vscode.Uri.joinPath(extensionUri, 'dist', 'declarations.json').fsPath,
    onEvent: (event) => sync.onEvent(event),
    onRestart: () => sync.resyncAll(),
    log: (message) => log.warn(message),
  });
  const sync = new NotebookSync(client, typeCheck);
  return vscode.Disposable.from(sync, registerLanguageProviders({ client, sync }), { dispose: () => client.dispose() });
}
