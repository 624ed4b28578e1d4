// Helpers for the integration suites (no tests here): open an untitled dlnb notebook with
// the dlnb controller selected, run cells through VS Code's own commands, and read outputs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dlnb.dlnb';
export const CONTROLLER_ID = 'dlnb-kernel';
export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
/** The editor language of dlnb's TypeScript cells (src/host/serializer.ts). */
export const CELL_LANGUAGE = 'dlnb-typescript';

/** A kernel's first start loads TensorFlow.js and its wasm binaries. */
export const KERNEL_TIMEOUT_MS = 120_000;

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  await extension.activate();
  assert.ok(
    vscode.workspace.isTrusted,
    'the integration tests need a trusted workspace (start VS Code with workspace trust disabled)',
  );
}

export type CellSpec = string | { markdown: string };

/** Opens an untitled dlnb notebook with these cells, shows it and selects the dlnb controller. */
export async function openNotebook(cells: CellSpec[]): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData(
    cells.map((cell) =>
      typeof cell === 'string'
        ? new vscode.NotebookCellData(vscode.NotebookCellKind.Code, cell, CELL_LANGUAGE)
        : new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, cell.markdown, 'markdown'),
    ),
  );
  const notebook = await vscode.workspace.openNotebookDocument('dlnb', data);
  await vscode.window.showNotebookDocument(notebook);
  // Without an editor in the arguments the command acts on the active one, just shown.
  await vscode.commands.executeCommand('notebook.selectKernel', { id: CONTROLLER_ID, extension: EXTENSION_ID });
  return notebook;
}

/** Runs cells [start, end) as one request, as "Run All" or a selection run does. */
export async function runCells(notebook: vscode.NotebookDocument, start = 0, end = notebook.cellCount): Promise<void> {
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: notebook.uri });
}

/** Starts running cells without waiting for them (to interrupt or restart under them). */
export function startCells(notebook: vscode.NotebookDocument, start: number, end: number): Thenable<unknown> {
  return vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: notebook.uri });
}

/** Waits until `probe` returns something truthy, polling; fails with `what` after the timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = KERNEL_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the cell's run has ended (VS Code records success or failure). */
export function cellEnded(cell: vscode.NotebookCell): Promise<vscode.NotebookCellExecutionSummary> {
  return waitFor(`cell ${cell.index + 1} to finish`, () =>
    cell.executionSummary?.success !== undefined ? cell.executionSummary : undefined,
  );
}

export function items(cell: vscode.NotebookCell, mime: string): vscode.NotebookCellOutputItem[] {
  return cell.outputs.flatMap((output) => output.items.filter((item) => item.mime === mime));
}

/** All text of one MIME type in a cell's outputs, joined. */
export function text(cell: vscode.NotebookCell, mime: string): string {
  return items(cell, mime)
    .map((item) => new TextDecoder().decode(item.data))
    .join('');
}

export function errors(cell: vscode.NotebookCell): Array<{ name: string; message: string; stack?: string }> {
  return items(cell, ERROR_MIME).map((item) => JSON.parse(new TextDecoder().decode(item.data)));
}

export async function closeActiveEditor(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}
