// TypeScript in dlnb cells, in a real VS Code: completions, hover, definitions and problems
// across cells, answered by dlnb's language worker through VS Code's own provider commands
// (the ones the editor's widgets call).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeActiveEditor, openNotebook, waitFor } from './notebookHelpers';

const TIMEOUT_MS = 120_000;

/** Asks `probe` again until it answers (the worker may still be loading its declarations). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function problemsOf(notebook: vscode.NotebookDocument): vscode.Diagnostic[][] {
  return notebook.getCells().map((cell) => vscode.languages.getDiagnostics(cell.document.uri));
}

/** Waits until the notebook's problems stop changing for `quietMs`. */
async function settledProblems(notebook: vscode.NotebookDocument, quietMs = 1500): Promise<vscode.Diagnostic[][]> {
  let last = JSON.stringify(problemsOf(notebook));
  let since = Date.now();
  return waitFor(
    'problems to settle',
    () => {
      const now = JSON.stringify(problemsOf(notebook));
      if (now !== last) {
        last = now;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= quietMs ? problemsOf(notebook) : undefined;
    },
    TIMEOUT_MS,
  );
}

async function appendCell(notebook: vscode.NotebookDocument, source: string): Promise<vscode.NotebookCell> {
  const edit = new vscode.WorkspaceEdit();
  const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'dlnb-typescript');
  edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(notebook.cellCount, [cell])]);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return notebook.cellAt(notebook.cellCount - 1);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

suite('TypeScript in dlnb cells', function () {
  this.timeout(TIMEOUT_MS);

  suiteSetup(activateExtension);
  teardown(closeActiveEditor);

  test('completions after tf. include tensor2d and tidy, once each', async () => {
    const notebook = await openNotebook(['const x = tf.tensor([1, 2, 3]);', 'tf.']);
    const cell = notebook.cellAt(1).document;
    const list = await eventually('completions after tf.', async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        cell.uri,
        new vscode.Position(0, 3),
        '.',
      );
      return result.items.length > 0 ? result : undefined;
    });
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const name of ['tensor2d', 'tidy', 'matMul']) {
      assert.equal(labels.filter((l) => l === name).length, 1, `${name} once in ${labels.length} suggestions`);
    }
    assert.ok(!labels.includes('const'), 'member completions only, no keywords or plain words');
  });

  test("hover over an earlier cell's name shows its type; definition goes to that cell", async () => {
    const notebook = await openNotebook(['const model = new dl.nn.Linear(1, 1);', 'model.forward(tf.ones([2, 1]));']);
    const later = notebook.cellAt(1).document;
    const text = await eventually('a hover', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        later.uri,
        new vscode.Position(0, 2),
      );
      return hoverText(hovers) || undefined;
    });
    assert.match(text, /const model: Linear/);

    const targets = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      later.uri,
      new vscode.Position(0, 2),
    );
    const uris = targets.map((t) => ('uri' in t ? t.uri : t.targetUri).toString());
    assert.deepEqual(uris, [notebook.cellAt(0).document.uri.toString()]);

    const intoTf = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      later.uri,
      new vscode.Position(0, 18),
    );
    const target = intoTf.map((t) => ('uri' in t ? t.uri : t.targetUri))[0];
    assert.equal(target?.scheme, 'dlnb-types', `tf.ones goes into the bundled declarations, got ${target}`);
    const declaration = await vscode.workspace.openTextDocument(target);
    assert.match(declaration.getText(), /declare function ones_?/);
  });

  test('a misspelt call in a new cell is one problem at that cell and line', async () => {
    const notebook = await openNotebook(['const x = tf.tensor([1, 2, 3]);', 'x.print();']);
    const cell = await appendCell(notebook, '// a typo\nconst y = tf.tensr([1, 2]);');
    const problems = await waitFor('the typo to be reported', () => {
      const found = vscode.languages.getDiagnostics(cell.document.uri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(problems.length, 1, problems.map((p) => p.message).join('\n'));
    assert.equal(problems[0].range.start.line, 1);
    assert.equal(problems[0].range.start.character, 13);
    assert.match(problems[0].message, /Property 'tensr' does not exist.*Did you mean 'tensor'/);
    assert.deepEqual(problemsOf(notebook).slice(0, 2), [[], []]);
  });

  test('the tutorial has no problems, and a mistake added to it has exactly one', async () => {
    await vscode.commands.executeCommand('dlnb.openTutorial');
    const notebook = vscode.window.activeNotebookEditor!.notebook;
    // A problem in a new last cell shows that the whole notebook has been checked.
    const cell = await appendCell(notebook, 'const wrong = new dl.nn.Linear("two", 1);');
    await waitFor('the new cell to be checked', () => vscode.languages.getDiagnostics(cell.document.uri).length > 0);
    const problems = await settledProblems(notebook);
    const listed = problems.flatMap((list, i) => list.map((p) => `cell ${i + 1}, line ${p.range.start.line + 1}: ${p.message}`));
    assert.equal(listed.length, 1, listed.join('\n'));
    assert.match(listed[0], new RegExp(`^cell ${notebook.cellCount}, line 1: Argument of type 'string' is not assignable`));
  });
});

suite('dlnb.typeCheck', function () {
  this.timeout(TIMEOUT_MS);

  suiteSetup(activateExtension);
  teardown(async () => {
    await vscode.workspace.getConfiguration('dlnb').update('typeCheck', undefined, vscode.ConfigurationTarget.Global);
    await closeActiveEditor();
  });

  test('off clears the problems and shows none; on brings them back', async () => {
    const notebook = await openNotebook(['const y = tf.tensr([1]);']);
    const cell = notebook.cellAt(0).document;
    await waitFor('the problem', () => vscode.languages.getDiagnostics(cell.uri).length === 1);
    const config = vscode.workspace.getConfiguration('dlnb');
    await config.update('typeCheck', false, vscode.ConfigurationTarget.Global);
    await waitFor('the problems to clear', () => vscode.languages.getDiagnostics(cell.uri).length === 0);
    // An edit while off brings no problem back.
    await appendCell(notebook, 'undefinedThing;');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(problemsOf(notebook), [[], []]);
    await config.update('typeCheck', true, vscode.ConfigurationTarget.Global);
    await waitFor('the problems to come back', () => problemsOf(notebook).every((list) => list.length === 1));
  });
});
