// Reading .dlnb files strictly where silence would corrupt them: bytes that are not UTF-8
// are refused (never turned into U+FFFD on the next save), every field dlnb does not know
// survives a save at every level and through both writers, JSON errors point at the bad
// character, and the messages read as one sentence.
import '../fakes/useFakeVscode';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeNotebookBytes, DlnbFormatError, parseNotebook, serializeNotebook } from '../../src/shared/dlnbFormat';
import { jsonErrorOffset } from '../../src/shared/jsonErrorOffset';
import { DlnbSerializer } from '../../src/host/serializer';
import { shownErrors } from '../fakes/vscode';

const serializer = new DlnbSerializer({ error: () => undefined }, () => true);
const viaVsCode = (text: string) =>
  new TextDecoder().decode(serializer.serializeNotebook(serializer.deserializeNotebook(new TextEncoder().encode(text))));

describe('invalid UTF-8', () => {
  const bytes = Buffer.concat([
    Buffer.from('{"dlnb":1,"cells":[{"kind":"code","source":"caf'),
    Buffer.from([0xe9]),
    Buffer.from('"}]}'),
  ]);

  test('is refused with the offset of the first bad byte', () => {
    assert.throws(
      () => decodeNotebookBytes(bytes),
      (err: unknown) => {
        assert.ok(err instanceof DlnbFormatError);
        assert.match(err.message, /not valid UTF-8 at byte 47 \(0xe9\)/);
        return true;
      },
    );
  });

  test('VS Code refuses to open it rather than turn the byte into U+FFFD on save', () => {
    assert.throws(() => serializer.deserializeNotebook(bytes), /not valid UTF-8 at byte 47/);
    assert.match(shownErrors.at(-1) ?? '', /The file was left as it is/);
  });

  test('valid text of every width decodes, a byte-order mark is dropped', () => {
    const text = '{"dlnb":1,"cells":[{"kind":"code","source":"é数😀"}]}';
    assert.equal(decodeNotebookBytes(Buffer.from('\ufeff' + text)), text);
    for (const bad of [[0xc3], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80]]) {
      assert.throws(
        () => decodeNotebookBytes(Buffer.concat([Buffer.from('ab'), Buffer.from(bad)])),
        /at byte 2 /,
        `bytes ${bad}`,
      );
    }
  });
});

describe('unknown fields at every level', () => {
  // By hand: JSON.stringify of an object literal loses `__proto__` (it is the prototype).
  const text =
    '{"dlnb":1,"metadata":{"__proto__":{"p":1}},"cells":[{"kind":"code","source":"x",' +
    '"execution":{"order":3,"durationMs":12,"success":true,"host":"gpu-box"},' +
    '"outputs":[{"items":[{"mime":"text/plain","data":"hi","checksum":"abc"},{"mime":"application/json","data":{"__proto__":{"a":1}},"note":2}],' +
    '"metadata":{"kept":true},"origin":"kernel-7"},{"items":[{"mime":"text/plain","data":"second"}],"label":"b"}],' +
    '"future":{"__proto__":"x"}}],"__proto__":{"top":1}}';

  test('a `__proto__` key is data: read as a field and written back', () => {
    const withProto = '{"dlnb":1,"metadata":{"__proto__":{"polluted":true}},"cells":[],"__proto__":{"top":1}}';
    const notebook = parseNotebook(withProto);
    const written = serializeNotebook(notebook);
    assert.deepEqual(JSON.parse(written), JSON.parse(withProto));
    assert.match(written, /"__proto__": \{\n {4}"top": 1/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('--save (the writer) keeps fields on outputs, items and execution', () => {
    const written = serializeNotebook(parseNotebook(text));
    assert.deepEqual(JSON.parse(written), JSON.parse(text));
  });

  test('VS Code keeps fields on outputs, output items, execution and `__proto__` keys', () => {
    const saved = viaVsCode(text);
    assert.deepEqual(JSON.parse(saved), JSON.parse(text));
    assert.equal(viaVsCode(saved), saved, 'a second save changes nothing');
  });
});

describe('messages', () => {
  test('a JSON error points at the bad character, on every Node version', () => {
    assert.throws(() => parseNotebook('this is not json {'), /line 1, column 2/);
    assert.throws(() => parseNotebook('{\n  "dlnb": 1,\n  "cells": [ , ]\n}'), /line 3, column 14/);
    assert.throws(() => parseNotebook('{"dlnb": 1, "cells": ['), /line 1, column 23/);
    assert.throws(() => parseNotebook('{"a": 1} x'), /line 1, column 10/);
    assert.throws(() => parseNotebook('{"a": "tab\there"}'), /line 1, column 11/);
    assert.throws(() => parseNotebook('{"a": 01}'), /line 1, column 8/);
  });

  test('the scanner agrees with JSON.parse on what is valid', () => {
    const valid = ['{}', '[]', '1', '-0.5e+3', '"\\u00e9\\n"', '{"a":[1,{"b":null}],"c":true,"d":false}', ' [ 1 , 2 ] '];
    for (const text of valid) assert.equal(jsonErrorOffset(text), undefined, text);
    const invalid = ['{', '[1,]', '{"a" 1}', '"\\x"', '1.', '-', 'tru', '{"a":1,}', '"abc', '[1 2]', '+1', '.5'];
    for (const text of invalid) {
      assert.throws(() => JSON.parse(text));
      assert.notEqual(jsonErrorOffset(text), undefined, text);
    }
  });

  test('a missing cells array says it is missing', () => {
    assert.throws(
      () => parseNotebook('{"dlnb":1,"metadata":{}}'),
      (err: Error) => {
        assert.equal(err.message, 'cells: missing (expected an array of cells)');
        return true;
      },
    );
  });

  test('version errors read once, without a doubled "dlnb:" prefix', () => {
    const messages = ['{"dlnb":2,"cells":[]}', '{"cells":[]}', '{"dlnb":"1","cells":[]}'].map((text) => {
      try {
        parseNotebook(text);
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    });
    assert.match(messages[0], /^this notebook uses format version 2, newer than this dlnb reads \(1\)/);
    assert.match(messages[1], /^this file is not a dlnb notebook: it has no "dlnb" format version/);
    assert.match(messages[2], /^the format version "dlnb" must be 1, got "1"/);
  });
});
