// What the host tells users: memory sizes, tensor leak notes, status bar text, errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  errorOutput,
  plainStack,
  formatBytes,
  leakNote,
  replacedNote,
  statusBarText,
  tensorDeltaLabel,
  tensorDeltaTooltip,
} from '../../src/host/format';

/** A cell's memory report; by default everything it added is leaked (held by no variable). */
const memory = (
  tensorsBefore: number,
  tensorsAfter: number,
  bytesBefore = 0,
  bytesAfter = 0,
  leakedTensors = Math.max(0, tensorsAfter - tensorsBefore),
  leakedBytes = Math.max(0, bytesAfter - bytesBefore),
) => ({ tensorsBefore, tensorsAfter, bytesBefore, bytesAfter, leakedTensors, leakedBytes });

describe('formatBytes', () => {
  it('uses powers of 1024 with one decimal below 100', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1229), '1.2 KB');
    assert.equal(formatBytes(150 * 1024), '150 KB');
    assert.equal(formatBytes(3.5 * 1024 * 1024), '3.5 MB');
  });

  it('treats negative and non-finite sizes as nothing', () => {
    assert.equal(formatBytes(-5), '0 B');
    assert.equal(formatBytes(Number.NaN), '0 B');
  });
});

describe('replacedNote', () => {
  it('names each replaced variable, what it held, where it came from and how to free it', () => {
    const report = {
      ...memory(10, 11, 0, 12, 0, 0),
      replaced: [
        { name: 'x', what: 'a [256,1] float32 tensor', fromCell: 6, dispose: 'x.dispose()', tensors: 1, bytes: 1024 },
        { name: 'parts', what: 'an array holding 2 tensors', dispose: 'tf.dispose(parts)', tensors: 2, bytes: 8 },
      ],
    };
    assert.equal(
      replacedNote(report),
      '⚠ `x` (a [256,1] float32 tensor from cell 6) was replaced; its memory (1 tensor, 1.0 KB) is still held:\n' +
        '  dispose it first (`x.dispose()`), or declare it once with `let` and dispose before reassigning\n' +
        '⚠ `parts` (an array holding 2 tensors) was replaced; its memory (2 tensors, 8 B) is still held:\n' +
        '  dispose it first (`tf.dispose(parts)`), or declare it once with `let` and dispose before reassigning\n',
    );
    assert.equal(replacedNote(memory(1, 1)), undefined);
  });
});

describe('leakNote', () => {
  it('names the tensors and bytes a cell left and how to avoid it', () => {
    assert.equal(
      leakNote(memory(10, 13, 1000, 1000 + 1229)),
      '⚠ this cell left 3 tensors (1.2 KB) allocated that no variable holds; wrap temporary work in tf.tidy(() => ...) or dispose it\n',
    );
  });

  it('says nothing about tensors the notebook keeps in variables', () => {
    assert.equal(leakNote(memory(10, 13, 0, 1229, 0, 0)), undefined);
    assert.match(leakNote(memory(10, 13, 0, 1229, 1, 4))!, /left 1 tensor \(4 B\) allocated that no variable holds/);
  });

  it('speaks of one tensor in the singular', () => {
    assert.match(leakNote(memory(0, 1, 0, 4))!, /left 1 tensor \(4 B\)/);
  });

  it('says nothing when the cell freed or kept the count', () => {
    assert.equal(leakNote(memory(5, 5)), undefined);
    assert.equal(leakNote(memory(5, 2)), undefined);
  });
});

describe('tensor delta in the cell status bar', () => {
  it('shows the signed change', () => {
    assert.equal(tensorDeltaLabel(memory(2, 5)), '+3 tensors');
    assert.equal(tensorDeltaLabel(memory(5, 4)), '-1 tensor');
    assert.equal(tensorDeltaLabel(memory(4, 4)), undefined);
  });

  it('explains the numbers in the tooltip', () => {
    assert.equal(tensorDeltaTooltip(memory(2, 5, 0, 2048)), 'Live tensors: 2 before this cell, 5 after (+2.0 KB).');
  });
});

describe('statusBarText', () => {
  it('shows state, backend and live memory', () => {
    assert.equal(
      statusBarText({ state: 'idle', backend: 'wasm', tensors: 12, bytes: 2048 }),
      '$(circle-outline) TF.js wasm: idle · 12 tensors (2.0 KB)',
    );
  });

  it('says when no kernel has started and hides memory of a dead one', () => {
    assert.equal(
      statusBarText({ state: undefined, backend: undefined, tensors: undefined, bytes: undefined }),
      '$(circle-outline) TF.js: not started',
    );
    assert.equal(statusBarText({ state: 'dead', backend: 'cpu', tensors: 3, bytes: 1 }), '$(error) TF.js cpu: dead');
  });
});

describe('errorOutput', () => {
  it('puts the header before a stack that lacks it, and the hint after', () => {
    const out = errorOutput({
      name: 'ReferenceError',
      message: 'model is not defined',
      stack: '    at cell 2, line 1',
      hint: '`model` is declared in cell 7, which has not run',
    });
    assert.equal(out.name, 'ReferenceError');
    assert.equal(
      plainStack(out.stack),
      'ReferenceError: model is not defined\n    at cell 2, line 1\n\nHint: `model` is declared in cell 7, which has not run',
    );
  });

  it('keeps a stack that already starts with the header', () => {
    const stack = 'TypeError: x is not a function\n    at cell 1, line 3';
    assert.equal(plainStack(errorOutput({ name: 'TypeError', message: 'x is not a function', stack }).stack), stack);
  });

  it('styles the stack as VS Code draws tracebacks: name red, cell places green, folded library frames dim', () => {
    const stack = 'Error: Size(3) must match\n    at cell 7, line 2\n    ... 12 frames inside tfjs or other libraries';
    const lines = errorOutput({ name: 'Error', message: 'Size(3) must match', stack }).stack.split('\n');
    assert.equal(lines[0], '\x1b[1;31mError\x1b[0m: Size(3) must match');
    assert.equal(lines[1], '    at \x1b[32mcell 7, line 2\x1b[0m');
    assert.equal(lines[2], '\x1b[2m    ... 12 frames inside tfjs or other libraries\x1b[0m');
  });
});
