// The notebook language service: the cell-to-program mapping (positions both ways,
// redeclaration, imports, top-level await, a broken cell among good ones) and each kind of
// answer, on the bundled declarations that ship (dist/declarations.json: `npm run build`).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import ts from 'typescript';
import { NotebookFiles, type CodeCell } from '../../src/language/cellFiles';
import { codeCellsOf, locate } from '../../src/language/checkNotebook';
import { loadDeclarations, type Declarations } from '../../src/language/declarations';
import { NotebookService } from '../../src/language/notebookService';
import { parseNotebook } from '../../src/shared/dlnbFormat';

const root = path.resolve(__dirname, '../..');
const declarationsFile = path.join(root, 'dist/declarations.json');
const registry = ts.createDocumentRegistry();
let declarations: Declarations;

function cells(...sources: string[]): CodeCell[] {
  return sources.map((source, i) => ({ id: `c${i + 1}`, index: i + 1, source }));
}

function serviceFor(list: CodeCell[], dir = root): NotebookService {
  const service = new NotebookService(ts, declarations, dir, registry);
  service.update(list);
  return service;
}

/** "cell N, line L, col C: message" for every problem, as `dlnb check` prints them. */
function problems(service: NotebookService, list: CodeCell[]): string[] {
  return list.flatMap((cell) =>
    service.problems(cell.id).map((p) => {
      const at = locate(p, cell.source);
      return `cell ${at.cellIndex}, line ${at.line}, col ${at.column}: ${at.message}`;
    }),
  );
}

before(() => {
  assert.ok(existsSync(declarationsFile), `${declarationsFile} is missing: run \`npm run build\` first`);
  declarations = loadDeclarations(declarationsFile);
});

describe('cell files', () => {
  it('import the names other cells declare, nearest above first, else nearest below', () => {
    const files = new NotebookFiles(ts, '/nb');
    files.update(cells('const a = 1;\ntype T = number;', 'const a = 2;', 'a; b;', 'let b = 3;\nfunction f() {}'));
    const third = files.byCell('c3')!;
    const [, n] = /-(\d+)\.ts$/.exec(third.fileName)!;
    assert.equal(
      third.text.split('\n')[0],
      `import { T } from './.dlnb-cell1-${n}'; import { a } from './.dlnb-cell2-${n}'; import { b, f } from './.dlnb-cell4-${n}'; export {  };`,
    );
    assert.equal(third.imports.get('b')?.kind, 'let');
    assert.equal(third.imports.get('a')?.fromIndex, 2);
    assert.ok(files.byCell('c1')!.text.startsWith("import { b, f } from './.dlnb-cell4-"));
    assert.ok(files.byCell('c1')!.text.includes("'; export { a, T };\nconst a = 1;"));
  });

  it('map positions by the prelude: offset 0 of a cell is the first character after it', () => {
    const files = new NotebookFiles(ts, '/nb');
    files.update(cells('const a = 1;', 'a + 1'));
    const second = files.byCell('c2')!;
    assert.equal(second.text.slice(second.preludeLength, second.preludeLength + 5), 'a + 1');
  });

  it('change only the files whose text changed', () => {
    const files = new NotebookFiles(ts, '/nb');
    files.update(cells('const a = 1;', 'a', 'const z = 0;'));
    const before = files.files().map((f) => f.version);
    files.update(cells('const a = 1;', 'a + 2', 'const z = 0;'));
    assert.deepEqual(
      files.files().map((f) => f.version),
      [before[0], before[1] + 1, before[2]],
    );
    // A new name in cell 1 changes the preludes of the others.
    files.update(cells('const a = 1, q = 2;', 'a + 2', 'const z = 0;'));
    assert.deepEqual(
      files.files().map((f) => f.version),
      [before[0] + 1, before[1] + 2, before[2] + 1],
    );
  });
});

describe('the notebook as one program', () => {
  it('sees names and their types across cells, with top-level await and a last expression', () => {
    const list = cells(
      'const x = tf.tensor2d([[1, 2], [3, 4]]);\ninterface Point { x: number }',
      'const p: Point = { x: 1 };\nconst y = await x.data();\nx.shape',
    );
    const service = serviceFor(list);
    assert.deepEqual(problems(service, list), []);
    const hover = service.hover('c2', list[1].source.indexOf('x.data'));
    assert.equal(hover?.display, 'const x: tf.Tensor2D');
  });

  it('allows a name declared again in a later cell; below it, the new type wins', () => {
    const list = cells(
      'let n = tf.scalar(1);',
      'n = tf.scalar(2);\nn.dispose();',
      'const n = "text";\nn.toUpperCase();',
      'n.length;\nn.dispose();',
    );
    const service = serviceFor(list);
    assert.deepEqual(problems(service, list), [`cell 4, line 2, col 3: Property 'dispose' does not exist on type '"text"'.`]);
    assert.match(service.hover('c3', list[2].source.lastIndexOf('n.'))!.display, /const n: "text"/);
  });

  it('reports a const of another cell assigned again, naming that cell', () => {
    const list = cells('const k = 1;', 'k = 2;');
    assert.deepEqual(problems(serviceFor(list), list), [
      "cell 2, line 1, col 1: Cannot assign to 'k': it is a const declared in cell 1.",
    ]);
  });

  it('reports each real mistake once, at its cell, line and column', () => {
    const list = cells(
      'const x = tf.tensor([1, 2]);',
      '// typos\nconst y = tf.tensr([1, 2]);',
      'x.shapee;',
      'const m = new dl.nn.Linear("2", 1);',
      'print(x);',
    );
    assert.deepEqual(problems(serviceFor(list), list), [
      "cell 2, line 2, col 14: Property 'tensr' does not exist on type 'typeof tf'. Did you mean 'tensor'?",
      "cell 3, line 1, col 3: Property 'shapee' does not exist on type 'Tensor<Rank>'. Did you mean 'shape'?",
      "cell 4, line 1, col 28: Argument of type 'string' is not assignable to parameter of type 'number'.",
      "cell 5, line 1, col 1: Cannot find name 'print'.",
    ]);
  });

  it('keeps the other cells typed when one has a syntax error', () => {
    const list = cells('const model = new dl.nn.Linear(1, 1);', 'const broken = (1 + ;', 'model.forward(tf.ones([1, 1]));');
    const service = serviceFor(list);
    assert.deepEqual(problems(service, list), ['cell 2, line 1, col 21: Expression expected.']);
    assert.equal(service.hover('c3', 0)?.display, 'const model: Linear');
  });

  it("resolves tfjs imports to the bundled types and other packages from the notebook's folder", () => {
    const list = cells(
      "import * as tfjs from '@tensorflow/tfjs';\nconst t: tfjs.Tensor = tfjs.zeros([1]);",
      "import nothing from 'no-such-package-anywhere';",
    );
    const found = problems(serviceFor(list), list);
    assert.equal(found.length, 1);
    assert.match(found[0], /^cell 2, line 1, col 21: Cannot find module 'no-such-package-anywhere'/);
  });

  it('gives a package installed beside the notebook its own types', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dlnb-language-'));
    const pkg = path.join(dir, 'node_modules', 'tiny-stats');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'tiny-stats', version: '1.0.0', types: 'index.d.ts' }));
    writeFileSync(
      path.join(pkg, 'index.d.ts'),
      '/** The mean of the values. */\nexport declare function mean(values: number[]): number;\n',
    );
    const list = cells("import { mean } from 'tiny-stats';", "const m = mean([1, 2]);\nmean('no');");
    const service = serviceFor(list, dir);
    assert.equal(service.hover('c2', list[1].source.indexOf('m ='))?.display, 'const m: number');
    assert.deepEqual(problems(service, list), [
      "cell 2, line 2, col 6: Argument of type 'string' is not assignable to parameter of type 'number[]'.",
    ]);
  });

  it('types the kit and the plot API from their own sources, doc comments included', () => {
    const list = cells('dl.manualSeed(1);\nplot.line([1, 2, 3]);');
    const service = serviceFor(list);
    assert.match(service.hover('c1', 4)!.documentation, /torch\.manual_seed/);
    const members = service.completions('c1', list[0].source.indexOf('line'))!.entries.map((e) => e.name);
    for (const name of ['line', 'scatter', 'lmplot', 'hist', 'loss', 'live', 'vega']) assert.ok(members.includes(name), name);
  });
});

describe('answers', () => {
  const source = 'const t = tf.ones([2, 2]);\nt.matMul(';
  const list = cells(source, 'tf.');

  it('completes members of tf and of a tensor', () => {
    const service = serviceFor(list);
    const tensorMembers = service.completions('c1', source.indexOf('matMul'))!.entries.map((e) => e.name);
    for (const name of ['matMul', 'reshape', 'dispose', 'dataSync', 'shape']) assert.ok(tensorMembers.includes(name), name);
    const tfMembers = service.completions('c2', 3, '.')!;
    assert.ok(tfMembers.isMemberCompletion);
    const names = tfMembers.entries.map((e) => e.name);
    for (const name of ['tensor2d', 'tidy', 'train', 'layers', 'sequential']) assert.ok(names.includes(name), name);
    const details = service.completionDetails('c2', 3, 'tidy');
    assert.match(details!.display, /^function tidy</);
    assert.match(details!.documentation, /cleans up all\s+intermediate tensors/);
  });

  it('gives signature help inside a call', () => {
    const help = serviceFor(list).signatureHelp('c1', source.length)!;
    const label = help.signatures[help.activeSignature].label;
    assert.match(label, /matMul/);
    const [start, end] = help.signatures[help.activeSignature].parameters[0].range;
    assert.match(label.slice(start, end), /^b: /);
  });

  it('goes to a definition in a cell or in the bundled declarations', () => {
    const two = cells('function area(r: number) { return Math.PI * r * r; }', 'area(2);');
    const service = serviceFor(two);
    assert.deepEqual(service.definition('c2', 0), [{ kind: 'cell', cellId: 'c1', range: { start: 9, end: 13 } }]);
    const intoTf = serviceFor(list).definition('c1', source.indexOf('ones'));
    assert.equal(intoTf[0].kind, 'file');
    assert.ok(
      intoTf[0].kind === 'file' &&
        intoTf[0].virtual &&
        intoTf[0].path.startsWith('/dlnb-types/node_modules/@tensorflow/tfjs-core/'),
    );
  });
});

describe('the examples', () => {
  it('have no problems', () => {
    const dir = path.join(root, 'examples');
    for (const name of ['deep-learning-basics.dlnb']) {
      const notebook = parseNotebook(readFileSync(path.join(dir, name), 'utf8'));
      const list = codeCellsOf(notebook);
      assert.ok(list.length > 10);
      assert.deepEqual(problems(serviceFor(list, dir), list), [], name);
    }
  });
});
