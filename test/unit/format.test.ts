// The .dlnb format: round trips on generated notebooks, stable output, and a clear
// error (never an empty notebook, never a write) for every kind of bad input.
import '../fakes/useFakeVscode';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DlnbFormatError, parseNotebook, serializeNotebook, type DlnbCell, type DlnbNotebook } from '../../src/shared/dlnbFormat';
import { readNotebookFile, writeNotebookFileAtomic } from '../../src/shared/notebookFile';
import { DlnbSerializer, fromNotebookData, toNotebookData } from '../../src/host/serializer';
import { shownErrors } from '../fakes/vscode';

/** A small deterministic generator (mulberry32), so failures can be replayed by seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '',
  'const x = 1;',
  '\r\n',
  '\n',
  '  ',
  'héllo wörld',
  '数据',
  '😀',
  '"quoted"',
  '\\',
  '\t',
  '\u2028',
  'y = 5x + 7',
];

function generateNotebook(seed: number): DlnbNotebook {
  const rand = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
  const text = () => Array.from({ length: Math.floor(rand() * 6) }, () => pick(PIECES)).join('');
  const cells: DlnbCell[] = Array.from({ length: Math.floor(rand() * 6) }, () => {
    const cell: DlnbCell = { kind: rand() < 0.5 ? 'code' : 'markdown', source: text() };
    if (rand() < 0.3) cell.language = pick(['typescript', 'javascript', 'markdown']);
    if (rand() < 0.4)
      cell.execution = { order: Math.floor(rand() * 50), durationMs: Math.floor(rand() * 9999), success: rand() < 0.5 };
    if (rand() < 0.4) {
      cell.outputs = [
        { items: [{ mime: 'application/vnd.code.notebook.stdout', data: text() }] },
        { items: [{ mime: 'application/vnd.vegalite.v5+json', data: { mark: 'point', data: { values: [{ x: rand() }] } } }] },
      ];
    }
    if (rand() < 0.3) cell.metadata = { tags: [text()], nested: { deep: rand() } };
    if (rand() < 0.3) cell.futureField = { note: text() };
    return cell;
  });
  const notebook: DlnbNotebook = { dlnb: 1, metadata: rand() < 0.5 ? {} : { title: text() }, cells };
  if (rand() < 0.3) notebook.somethingNew = [1, text()];
  return notebook;
}

describe('round trip', () => {
  test('load(save(nb)) equals nb for generated notebooks', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const notebook = generateNotebook(seed);
      assert.deepEqual(parseNotebook(serializeNotebook(notebook)), notebook, `seed ${seed}`);
    }
  });

  test('save(load(file)) is byte-identical for files the writer produced', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = serializeNotebook(generateNotebook(seed));
      assert.equal(serializeNotebook(parseNotebook(text)), text, `seed ${seed}`);
    }
  });

  test('the VS Code serializer keeps every field through open and save', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const text = serializeNotebook(generateNotebook(seed));
      const viaVsCode = serializeNotebook(fromNotebookData(toNotebookData(parseNotebook(text))));
      assert.equal(viaVsCode, text, `seed ${seed}`);
    }
  });

  test('the writer orders keys, indents by two spaces and ends with a newline', () => {
    const text = serializeNotebook({
      cells: [{ metadata: { a: 1 }, source: 'x', kind: 'code', zeta: true }],
      metadata: {},
      dlnb: 1,
    } as DlnbNotebook);
    assert.equal(
      text,
      '{\n  "dlnb": 1,\n  "metadata": {},\n  "cells": [\n    {\n      "kind": "code",\n      "source": "x",\n' +
        '      "metadata": {\n        "a": 1\n      },\n      "zeta": true\n    }\n  ]\n}\n',
    );
  });

  test('outputs and execution details can be left out', () => {
    const notebook = parseNotebook(serializeNotebook(generateNotebook(7)));
    notebook.cells.push({
      kind: 'code',
      source: '1',
      outputs: [{ items: [{ mime: 'text/plain', data: '1' }] }],
      execution: { order: 1 },
    });
    const saved = parseNotebook(serializeNotebook(notebook, { saveOutputs: false }));
    assert.ok(saved.cells.every((cell) => cell.outputs === undefined && cell.execution === undefined));
    assert.deepEqual(
      saved.cells.map((c) => c.source),
      notebook.cells.map((c) => c.source),
    );
  });

  test('source as an array of lines is read as one string', () => {
    const notebook = parseNotebook('{"dlnb":1,"cells":[{"kind":"code","source":["a\\n","b"]}]}');
    assert.equal(notebook.cells[0].source, 'a\nb');
    assert.deepEqual(notebook.metadata, {});
  });

  test('CRLF line endings and a byte-order mark in the file are read', () => {
    const notebook = parseNotebook('\ufeff{\r\n  "dlnb": 1,\r\n  "cells": [{"kind": "markdown", "source": "# Hi"}]\r\n}\r\n');
    assert.equal(notebook.cells[0].source, '# Hi');
  });

  test("code cells are dlnb's TypeScript in VS Code, and the default is not written back", () => {
    const data = toNotebookData(parseNotebook('{"dlnb":1,"cells":[{"kind":"code","source":"1"}]}'));
    assert.equal(data.cells[0].languageId, 'dlnb-typescript');
    assert.equal(fromNotebookData(data).cells[0].language, undefined);
  });

  test('a file that names typescript keeps it; other languages pass through both ways', () => {
    const data = toNotebookData(
      parseNotebook(
        '{"dlnb":1,"cells":[{"kind":"code","language":"typescript","source":"1"},{"kind":"code","language":"javascript","source":"2"}]}',
      ),
    );
    assert.deepEqual(
      data.cells.map((c) => c.languageId),
      ['dlnb-typescript', 'javascript'],
    );
    assert.deepEqual(
      fromNotebookData(data).cells.map((c) => c.language),
      ['typescript', 'javascript'],
    );
  });
});

describe('bad input', () => {
  test('an empty file opens as an empty notebook', () => {
    assert.deepEqual(parseNotebook(''), { dlnb: 1, metadata: {}, cells: [] });
    assert.deepEqual(parseNotebook('  \n'), { dlnb: 1, metadata: {}, cells: [] });
  });

  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{\n  "dlnb": 1,\n  "cells": [\n    {"kind": "code" "source": ""}\n  ]\n}', /line 4, column \d+/],
    ['truncated JSON', '{"dlnb": 1, "cells": [', /Not valid JSON at line 1, column/],
    ['a JSON array', '[1, 2]', /file: expected an object, got an array/],
    ['no version', '{"cells": []}', /this file is not a dlnb notebook: it has no "dlnb" format version/],
    ['a newer version', '{"dlnb": 2, "cells": []}', /format version 2, newer than this dlnb reads \(1\)/],
    ['a version that is text', '{"dlnb": "1", "cells": []}', /the format version "dlnb" must be 1, got "1"/],
    ['cells not an array', '{"dlnb": 1, "cells": {}}', /cells: expected an array/],
    [
      'an unknown cell kind',
      '{"dlnb": 1, "cells": [{"kind": "markdown", "source": ""}, {"kind": "raw", "source": ""}]}',
      /cells\[1\]\.kind: expected "markdown" or "code", got "raw"/,
    ],
    [
      'a numeric source',
      '{"dlnb": 1, "cells": [{"kind": "code", "source": 42}]}',
      /cells\[0\]\.source: expected a string or an array of strings/,
    ],
    [
      'outputs without items',
      '{"dlnb": 1, "cells": [{"kind": "code", "source": "", "outputs": [{}]}]}',
      /cells\[0\]\.outputs\[0\]\.items: expected an array/,
    ],
    [
      'an output item without a MIME type',
      '{"dlnb": 1, "cells": [{"kind": "code", "source": "", "outputs": [{"items": [{"data": 1}]}]}]}',
      /items\[0\]\.mime/,
    ],
    [
      'a bad execution order',
      '{"dlnb": 1, "cells": [{"kind": "code", "source": "", "execution": {"order": "1"}}]}',
      /execution\.order: expected a number/,
    ],
  ];

  for (const [name, text, message] of cases) {
    test(`${name}: a clear error`, () => {
      assert.throws(
        () => parseNotebook(text),
        (err: unknown) => {
          assert.ok(err instanceof DlnbFormatError);
          assert.match(err.message, message);
          return true;
        },
      );
    });

    test(`${name}: the serializer refuses to open it rather than show an empty notebook, and says why`, () => {
      const serializer = new DlnbSerializer({ error: () => undefined }, () => true);
      assert.throws(() => serializer.deserializeNotebook(new TextEncoder().encode(text)), /dlnb cannot open this notebook/);
      assert.match(shownErrors.at(-1) ?? '', message);
      assert.match(shownErrors.at(-1) ?? '', /The file was left as it is\.$/);
    });
  }

  test('a corrupt file is never overwritten when read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlnb-format-'));
    const file = join(dir, 'broken.dlnb');
    const text = '{"dlnb": 1, "cells": [ oops';
    await writeFile(file, text);
    await assert.rejects(readNotebookFile(file), new RegExp(`${file.replace(/[/.]/g, '\\$&')}: Not valid JSON`));
    assert.equal(await readFile(file, 'utf8'), text);
  });
});

describe('atomic writes', () => {
  test('replace the file in one step and leave no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlnb-format-'));
    const file = join(dir, 'nb.dlnb');
    await writeFile(file, 'old');
    const text = serializeNotebook(generateNotebook(3));
    await writeNotebookFileAtomic(file, text);
    assert.equal(await readFile(file, 'utf8'), text);
    assert.deepEqual(await readdir(dir), ['nb.dlnb']);
  });

  test('a failed write leaves the original file as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlnb-format-'));
    await assert.rejects(writeNotebookFileAtomic(join(dir, 'missing-folder', 'nb.dlnb'), 'x'));
    assert.deepEqual(await readdir(dir), []);
  });
});
