// The dlnb controller in a real VS Code: cells run in order on one kernel per notebook,
// outputs stream in, errors name the cell and line, a Run All stops at the first error,
// interrupt and restart work. Untrusted workspaces are not tested here: the runner starts
// VS Code with trust disabled, and trust cannot be revoked from inside a test.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  cellEnded,
  closeActiveEditor,
  errors,
  items,
  KERNEL_TIMEOUT_MS,
  openNotebook,
  runCells,
  startCells,
  STDERR_MIME,
  STDOUT_MIME,
  text,
  waitFor,
} from './notebookHelpers';

suite('dlnb controller', function () {
  this.timeout(KERNEL_TIMEOUT_MS * 2);

  suiteSetup(activateExtension);
  teardown(closeActiveEditor);

  test('cells share state and get execution order numbers', async () => {
    const notebook = await openNotebook([{ markdown: '# state' }, 'const answer = 40;', 'answer + 2']);
    await runCells(notebook);
    const [, first, second] = notebook.getCells();
    const summary = await cellEnded(second!);
    assert.equal((await cellEnded(first!)).success, true);
    assert.equal(summary.success, true);
    assert.equal(first!.executionSummary?.executionOrder, 1);
    assert.equal(summary.executionOrder, 2);
    await waitFor('the result', () => text(second!, 'text/plain').includes('42'));
  });

  test('stream output arrives as one stdout output, stderr beside it', async () => {
    const notebook = await openNotebook(["console.log('hello');\nconsole.log('world');\nconsole.error('careful');"]);
    await runCells(notebook);
    const cell = notebook.cellAt(0);
    await cellEnded(cell);
    await waitFor('stdout', () => text(cell, STDOUT_MIME) === 'hello\nworld\n');
    assert.match(text(cell, STDERR_MIME), /careful/);
  });

  test('100,000 printed lines end in a handful of outputs', async () => {
    const notebook = await openNotebook(['for (let i = 0; i < 100_000; i++) console.log(i);\n"done"']);
    await runCells(notebook);
    const cell = notebook.cellAt(0);
    assert.equal((await cellEnded(cell)).success, true);
    await waitFor('the result', () => text(cell, 'text/plain').includes('done'));
    assert.ok(text(cell, STDOUT_MIME).startsWith('0\n1\n2\n'));
    assert.ok(cell.outputs.length < 10, `expected the lines batched, got ${cell.outputs.length} outputs`);
  });

  test('an error names the cell and line, and a Run All stops there', async () => {
    const notebook = await openNotebook(['const ok = 1;', "throw new Error('boom');", 'const never = 2;']);
    await runCells(notebook);
    const [, failing, after] = notebook.getCells();
    assert.equal((await cellEnded(failing!)).success, false);
    const [error] = await waitFor('the error output', () => errors(failing!).length > 0 && errors(failing!));
    assert.equal(error!.message, 'boom');
    assert.match(error!.stack ?? '', /cell 2, line 1/);
    // The queued cell ended without running: no order number, no outputs.
    assert.equal(after!.executionSummary?.executionOrder, undefined);
    assert.equal(after!.outputs.length, 0);
  });

  test('a cell that leaves tensors no variable holds gets a note; one that keeps them in a variable does not', async () => {
    const notebook = await openNotebook(["tf.tensor([1, 2, 3]).square();\n'done'", 'const kept = tf.tensor([1, 2, 3]);']);
    await runCells(notebook);
    const [leaky, keeping] = notebook.getCells();
    await cellEnded(leaky!);
    await cellEnded(keeping!);
    await waitFor('the leak note', () => /left 2 tensors .*tf\.tidy/.test(text(leaky!, STDERR_MIME)));
    assert.equal(text(keeping!, STDERR_MIME), '');
  });

  test('dlnb.interruptKernel stops an endless loop and the kernel runs the next cell', async () => {
    const notebook = await openNotebook(['0', 'while (true) {}', '1 + 1']);
    const [warmUp, loop, next] = notebook.getCells();
    // Start the kernel first, so the interrupt meets the loop and not the kernel's start.
    await runCells(notebook, 0, 1);
    assert.equal((await cellEnded(warmUp!)).success, true);
    const running = startCells(notebook, 1, 3);
    await waitFor('the loop to start', () => loop!.executionSummary?.executionOrder !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('dlnb.interruptKernel', notebook.uri);
    await running;
    assert.equal((await cellEnded(loop!)).success, false);
    assert.ok(errors(loop!).length > 0, 'the interrupted cell says so');
    // The second cell was queued behind the loop; the interrupt cancelled it.
    assert.equal(next!.executionSummary?.executionOrder, undefined);
    await runCells(notebook, 2, 3);
    assert.equal((await cellEnded(next!)).success, true);
    await waitFor('the result', () => text(next!, 'text/plain').includes('2'));
  });

  test('dlnb.restartKernel clears state and restarts the execution count', async () => {
    const notebook = await openNotebook(['const kept = 1;', 'kept']);
    const [define, use] = notebook.getCells();
    await runCells(notebook, 0, 1);
    assert.equal((await cellEnded(define!)).success, true);
    await vscode.commands.executeCommand('dlnb.restartKernel', notebook.uri);
    await runCells(notebook, 1, 2);
    const summary = await cellEnded(use!);
    assert.equal(summary.success, false);
    assert.equal(summary.executionOrder, 1);
    const [error] = errors(use!);
    assert.equal(error?.name, 'ReferenceError');
  });

  test('a chart shows as a Vega-Lite output, as JSON', async () => {
    const notebook = await openNotebook(['plot.line([1, 4, 9, 16]);']);
    await runCells(notebook);
    const cell = notebook.cellAt(0);
    assert.equal((await cellEnded(cell)).success, true);
    const [chart] = await waitFor('the chart output', () => {
      const found = items(cell, 'application/vnd.vegalite.v5+json');
      return found.length > 0 && found;
    });
    const spec = JSON.parse(new TextDecoder().decode(chart!.data));
    assert.equal(typeof spec, 'object');
    assert.ok(spec.mark || spec.layer, 'a Vega-Lite spec has a mark or layers');
  });

  test('an error thrown later by a timer shows in the cell that set it, which keeps its number', async () => {
    const notebook = await openNotebook(["setTimeout(() => { throw new Error('late'); }, 200);\n'scheduled'"]);
    await runCells(notebook);
    const cell = notebook.cellAt(0);
    const order = (await cellEnded(cell)).executionOrder;
    const [error] = await waitFor('the late error', () => errors(cell).length > 0 && errors(cell));
    assert.equal(error!.message, 'late');
    const summary = await waitFor(
      'the cell to be marked failed',
      () => cell.executionSummary?.success === false && cell.executionSummary,
    );
    assert.equal(summary.executionOrder, order);
    assert.match(text(cell, 'text/plain'), /scheduled/);
  });

  test('text a timer prints after its cell ended shows in that cell, which keeps its number and success', async () => {
    const notebook = await openNotebook([
      "let ticks = 0;\nconst ticker = setInterval(() => { console.log('tick ' + ++ticks); if (ticks === 3) clearInterval(ticker); }, 100);\n'started'",
    ]);
    await runCells(notebook);
    const cell = notebook.cellAt(0);
    const ended = await cellEnded(cell);
    await waitFor('the three late ticks', () => text(cell, STDOUT_MIME) === 'tick 1\ntick 2\ntick 3\n');
    // The output lands while the cell's execution is reopened; it ends right after.
    const summary = await waitFor(
      'the cell to end again, successful',
      () => cell.executionSummary?.success === true && cell.executionSummary,
    );
    assert.equal(summary.executionOrder, ended.executionOrder);
    assert.match(text(cell, 'text/plain'), /started/);
  });

  test('a kernel that dies ends its cell with the reason, and the next run starts a fresh kernel', async () => {
    const notebook = await openNotebook(['const before = 1;', 'process.exit(7);', 'typeof before']);
    const [define, exit, check] = notebook.getCells();
    await runCells(notebook, 0, 1);
    assert.equal((await cellEnded(define!)).success, true);
    await runCells(notebook, 1, 2);
    assert.equal((await cellEnded(exit!)).success, false);
    const [error] = await waitFor('the error output', () => errors(exit!).length > 0 && errors(exit!));
    assert.match(error!.message, /stopped|died/);
    assert.match(error!.message, /7/);
    await runCells(notebook, 2, 3);
    assert.equal((await cellEnded(check!)).success, true);
    await waitFor('the fresh kernel’s answer', () => text(check!, 'text/plain').includes('undefined'));
  });
});
