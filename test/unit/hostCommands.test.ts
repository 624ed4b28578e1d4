// Which notebook a command means, and the kernel settings read for a new kernel.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notebookUriFromArg } from '../../src/host/commandArgs';
import { notebookDirFor, readKernelSettings } from '../../src/host/kernel/settings';

const uri = { scheme: 'file', fsPath: '/w/a.dlnb', toString: () => 'file:///w/a.dlnb' };

describe('notebookUriFromArg', () => {
  it('accepts a Uri, a notebook toolbar context and a cell-like object', () => {
    assert.equal(notebookUriFromArg(uri), uri);
    assert.equal(notebookUriFromArg({ notebookEditor: { notebookUri: uri }, ui: true }), uri);
    assert.equal(notebookUriFromArg({ notebook: { uri } }), uri);
  });

  it('means the active notebook when given nothing usable', () => {
    assert.equal(notebookUriFromArg(undefined), undefined);
    assert.equal(notebookUriFromArg('file:///w/a.dlnb'), undefined);
    assert.equal(notebookUriFromArg({ notebookEditor: {} }), undefined);
  });
});

describe('readKernelSettings', () => {
  it('reads valid values', () => {
    const values: Record<string, unknown> = {
      backend: 'cpu',
      maxOutputChars: 5000,
      kernelMemoryLimitMb: 1024,
      chartMaxPoints: 300,
      useSecondCore: false,
    };
    assert.deepEqual(
      readKernelSettings((key) => values[key]),
      {
        backend: 'cpu',
        maxOutputChars: 5000,
        memoryLimitMb: 1024,
        chartMaxPoints: 300,
        useSecondCore: false,
      },
    );
  });

  it('falls back to defaults for junk and clamps to the minimums', () => {
    const values: Record<string, unknown> = {
      backend: 'webgl',
      maxOutputChars: 'lots',
      kernelMemoryLimitMb: 1,
      chartMaxPoints: Number.NaN,
      useSecondCore: 'no',
    };
    assert.deepEqual(
      readKernelSettings((key) => values[key]),
      {
        backend: 'wasm',
        maxOutputChars: 200_000,
        memoryLimitMb: 256,
        chartMaxPoints: 5000,
        // Only an explicit false turns the helper off.
        useSecondCore: true,
      },
    );
  });
});

describe('notebookDirFor', () => {
  const dirname = (p: string) => p.slice(0, p.lastIndexOf('/'));
  it("uses a saved notebook's folder", () => {
    assert.equal(
      notebookDirFor({ scheme: 'file', fsPath: '/w/sub/a.dlnb', workspaceFolder: '/w', home: '/h' }, dirname),
      '/w/sub',
    );
  });

  it('uses the workspace folder, else home, for an untitled notebook', () => {
    assert.equal(notebookDirFor({ scheme: 'untitled', fsPath: 'Untitled-1', workspaceFolder: '/w', home: '/h' }, dirname), '/w');
    assert.equal(
      notebookDirFor({ scheme: 'untitled', fsPath: 'Untitled-1', workspaceFolder: undefined, home: '/h' }, dirname),
      '/h',
    );
  });
});
