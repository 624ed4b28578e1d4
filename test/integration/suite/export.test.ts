// Export and import in a real VS Code: the commands with their choices given as arguments
// (as a script would), which write the file; the dialogs are what they skip.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeActiveEditor, KERNEL_TIMEOUT_MS, openNotebook, runCells } from './notebookHelpers';

suite('dlnb export and import', function () {
  this.timeout(KERNEL_TIMEOUT_MS);
  const dir = mkdtempSync(join(tmpdir(), 'dlnb-export-'));

  suiteSetup(activateExtension);
  teardown(closeActiveEditor);

  test('dlnb.exportNotebook writes the notebook, outputs included, as HTML and as .ipynb', async () => {
    const notebook = await openNotebook([{ markdown: '# Exported <script>x</script>' }, 'console.log("from the kernel"); 6 * 7']);
    await runCells(notebook);
    const html = vscode.Uri.file(join(dir, 'page.html'));
    const written = await vscode.commands.executeCommand<vscode.Uri>('dlnb.exportNotebook', notebook.uri, 'html', html);
    assert.equal(written?.fsPath, html.fsPath);
    const page = readFileSync(html.fsPath, 'utf8');
    assert.match(page, /<h1>Exported &lt;script&gt;x&lt;\/script&gt;<\/h1>/);
    assert.match(page, /from the kernel/);
    assert.match(page, /<pre class="output">42<\/pre>/);

    const ipynbFile = vscode.Uri.file(join(dir, 'notebook.ipynb'));
    await vscode.commands.executeCommand('dlnb.exportNotebook', notebook.uri, 'ipynb', ipynbFile);
    const ipynb = JSON.parse(readFileSync(ipynbFile.fsPath, 'utf8'));
    assert.equal(ipynb.nbformat, 4);
    assert.equal(ipynb.cells[1].execution_count, 1);
    assert.deepEqual(ipynb.cells[1].outputs[0], { output_type: 'stream', name: 'stdout', text: ['from the kernel\n'] });
  });

  test('dlnb.importJupyter converts a .ipynb and opens the new notebook', async () => {
    const source = join(dir, 'lesson.ipynb');
    writeFileSync(
      source,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'tslab', language: 'typescript', display_name: 'TypeScript' } },
        cells: [
          { cell_type: 'markdown', id: 'a', metadata: {}, source: '# Lesson' },
          { cell_type: 'code', id: 'b', metadata: {}, source: 'tf.scalar(3).square()', execution_count: null, outputs: [] },
        ],
      }),
    );
    const target = vscode.Uri.file(join(dir, 'lesson.dlnb'));
    const opened = await vscode.commands.executeCommand<vscode.Uri>('dlnb.importJupyter', vscode.Uri.file(source), target);
    assert.equal(opened?.fsPath, target.fsPath);
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.equal(notebook?.uri.fsPath, target.fsPath);
    assert.equal(notebook?.notebookType, 'dlnb');
    assert.deepEqual(
      notebook?.getCells().map((cell) => [cell.kind, cell.document.languageId, cell.document.getText()]),
      [
        [vscode.NotebookCellKind.Markup, 'markdown', '# Lesson'],
        [vscode.NotebookCellKind.Code, 'dlnb-typescript', 'tf.scalar(3).square()'],
      ],
    );
  });
});
