// dlnb's commands in a real VS Code: a new notebook, the tutorial copy, the log.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeActiveEditor, KERNEL_TIMEOUT_MS } from './notebookHelpers';

suite('dlnb commands', function () {
  this.timeout(KERNEL_TIMEOUT_MS);

  suiteSetup(activateExtension);
  teardown(closeActiveEditor);

  test('dlnb.newNotebook opens an untitled notebook with a markdown and a code cell', async () => {
    await vscode.commands.executeCommand('dlnb.newNotebook');
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.ok(notebook, 'a notebook editor is active');
    assert.equal(notebook.notebookType, 'dlnb');
    assert.equal(notebook.isUntitled, true);
    assert.deepEqual(
      notebook.getCells().map((cell) => cell.kind),
      [vscode.NotebookCellKind.Markup, vscode.NotebookCellKind.Code],
    );
    assert.equal(notebook.cellAt(1).document.languageId, 'dlnb-typescript');
  });

  test('dlnb.openTutorial opens an untitled copy of the shipped tutorial', async () => {
    await vscode.commands.executeCommand('dlnb.openTutorial');
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.ok(notebook, 'a notebook editor is active');
    assert.equal(notebook.notebookType, 'dlnb');
    assert.equal(notebook.isUntitled, true, 'the copy is the user’s to save, not the shipped file');
    assert.ok(notebook.getCells().some((cell) => cell.kind === vscode.NotebookCellKind.Code));
  });
});
