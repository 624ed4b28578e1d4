// "dlnb: Export Notebook..." and "dlnb: Import Jupyter Notebook": thin adapters over
// src/convert, which loads from its own bundle (dist/export.js) the first time one of these
// runs, so Markdown, math, highlighting and Vega never slow the extension's activation.
// Both accept their choices as arguments (notebook, format, target; source, target) so that
// scripts and tests can skip the dialogs.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as Convert from '../convert';
import type { DlnbNotebook } from '../shared/dlnbFormat';
import { NOTEBOOK_TYPE } from './controller';
import { fromNotebookData } from './serializer';

export const EXPORT_COMMAND = 'dlnb.exportNotebook';
export const IMPORT_COMMAND = 'dlnb.importJupyter';

type Converter = typeof Convert;

/** Loads dist/export.js on first use; esbuild leaves this require to run time. */
export function converterLoader(extensionUri: vscode.Uri): () => Converter {
  let converter: Converter | undefined;
  // A require at run time, not an import: the converters load only when a command needs them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return () => (converter ??= require(path.join(extensionUri.fsPath, 'dist', 'export.js')) as Converter);
}

/** Exports `notebook` (the command's argument resolved by the caller; undefined: none open). */
export async function exportNotebookCommand(
  load: () => Converter,
  notebook: vscode.NotebookDocument | undefined,
  format?: unknown,
  target?: unknown,
): Promise<vscode.Uri | undefined> {
  if (!notebook) return undefined;
  const convert = load();
  const chosen = typeof format === 'string' && convert.isExportFormat(format) ? format : await pickFormat(convert);
  if (!chosen) return undefined;
  const targetUri =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          title: 'Export notebook',
          defaultUri: vscode.Uri.file(convert.defaultExportPath(defaultNotebookPath(notebook), chosen)),
          filters: { [convert.EXPORT_FORMATS[chosen].label]: [convert.EXPORT_FORMATS[chosen].extension.slice(1)] },
        });
  if (!targetUri) return undefined;
  if (targetUri.scheme !== 'file') throw new Error('dlnb exports to files on this computer only');
  const { warnings } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(targetUri.fsPath)}` },
    () => convert.exportNotebook(documentToDlnb(notebook), chosen, targetUri.fsPath),
  );
  const done = `Exported the notebook to ${vscode.workspace.asRelativePath(targetUri)}.`;
  if (warnings.length) void vscode.window.showWarningMessage(`${done} ${warnings.join(' ')}`);
  else void vscode.window.showInformationMessage(done);
  return targetUri;
}

async function pickFormat(convert: Converter): Promise<Convert.ExportFormat | undefined> {
  const items = (Object.keys(convert.EXPORT_FORMATS) as Convert.ExportFormat[]).map((format) => ({
    label: convert.EXPORT_FORMATS[format].label,
    format,
  }));
  const choice = await vscode.window.showQuickPick(items, { title: 'Export notebook as' });
  return choice?.format;
}

/** Where an export goes by default: beside the notebook, or in the workspace for an untitled one. */
function defaultNotebookPath(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') return notebook.uri.fsPath;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  return path.join(folder, `${path.basename(notebook.uri.path) || 'notebook'}.dlnb`);
}

/** The notebook as the editor shows it now, unsaved edits and all outputs included. */
function documentToDlnb(notebook: vscode.NotebookDocument): DlnbNotebook {
  const data = new vscode.NotebookData(
    notebook.getCells().map((cell) => {
      const cellData = new vscode.NotebookCellData(cell.kind, cell.document.getText(), cell.document.languageId);
      cellData.outputs = [...cell.outputs];
      cellData.metadata = cell.metadata;
      cellData.executionSummary = cell.executionSummary;
      return cellData;
    }),
  );
  data.metadata = notebook.metadata;
  return fromNotebookData(data);
}

export async function importJupyterCommand(
  load: () => Converter,
  source?: unknown,
  target?: unknown,
): Promise<vscode.Uri | undefined> {
  const sourceUri =
    source instanceof vscode.Uri
      ? source
      : (
          await vscode.window.showOpenDialog({
            title: 'Import a Jupyter notebook',
            canSelectMany: false,
            filters: { 'Jupyter Notebook': ['ipynb'] },
          })
        )?.[0];
  if (!sourceUri) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(sourceUri));
  // Converted before anything is written: a bad file fails here and leaves no .dlnb behind.
  const dlnb = load().importIpynb(text);
  let targetUri =
    target instanceof vscode.Uri ? target : sourceUri.with({ path: sourceUri.path.replace(/\.ipynb$/i, '') + '.dlnb' });
  if (!(target instanceof vscode.Uri) && (await exists(targetUri))) {
    const chosen = await vscode.window.showSaveDialog({
      title: 'Save the imported notebook as',
      defaultUri: targetUri,
      filters: { 'DL Notebook': ['dlnb'] },
    });
    if (!chosen) return undefined;
    targetUri = chosen;
  }
  await vscode.workspace.fs.writeFile(targetUri, new TextEncoder().encode(dlnb));
  const notebook = await vscode.workspace.openNotebookDocument(targetUri);
  if (notebook.notebookType === NOTEBOOK_TYPE) await vscode.window.showNotebookDocument(notebook);
  return targetUri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
