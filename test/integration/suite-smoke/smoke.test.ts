// The integration runner's own check, independent of the product suites: the extension
// under development is loaded into the extension host and activates, and the tests see
// the workspace folder the runner opened.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('integration runner', () => {
  test('the extension under development is loaded and activates', async () => {
    const extension = vscode.extensions.getExtension('dlnb.dlnb');
    assert.ok(extension, 'dlnb.dlnb is not loaded');
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('the runner’s workspace folder is open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].name, 'workspace');
  });
});
