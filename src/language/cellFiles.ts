// One notebook as one TypeScript program, checked the way the kernel runs it. Each code
// cell becomes a module file of its own:
//   line 1:   import { model, x } from './.cell3'; import { Point } from './.cell5'; export { w, b };
//   line 2+:  the cell's source, unchanged
// (an export may stand above what it exports: nothing follows the source, so a cell left
// mid-call, `t.matMul(`, still reads as one)
// so a cell sees every other cell's top-level names with their types, may declare a name
// again (its own declaration wins, as in the kernel), and may use top-level `await`.
// Of several cells declaring a name, a cell imports the nearest one above it, else the
// nearest below (a cell run out of order still knows the name). The prelude is one line,
// so positions map by one line and the prelude's length. Pure: no VS Code, no I/O.
import type * as TS from 'typescript';
import { cellNames, type CellName, type NameKind } from './cellNames';

export interface CodeCell {
  /** Stable across edits: the cell's document URI in VS Code, its index in the CLI. */
  id: string;
  /** 1-based position among all the notebook's cells, as the kernel's messages count. */
  index: number;
  source: string;
}

/** Where a name a cell imports comes from. */
export interface ImportedName {
  kind: NameKind;
  fromIndex: number;
}

export interface CellFile {
  cell: CodeCell;
  fileName: string;
  text: string;
  version: number;
  /** Characters before the cell's source: the prelude line with its newline. */
  preludeLength: number;
  imports: Map<string, ImportedName>;
  /** Names this cell declares that other cells declare too: above its own declaration, the kernel still sees theirs. */
  redeclared: Set<string>;
}

export const CELL_FILE_PREFIX = '.dlnb-cell';
/**
 * Services share one DocumentRegistry (the declarations are parsed once), which knows a
 * file by name and version: two notebooks in one folder must never name a cell alike.
 */
let notebooksSeen = 0;

export class NotebookFiles {
  private readonly byId = new Map<string, CellFile>();
  private readonly byName = new Map<string, CellFile>();
  private readonly namesBySource = new Map<string, CellName[]>();
  private ordered: CellFile[] = [];
  private nextNumber = 1;
  private readonly notebookNumber = ++notebooksSeen;

  constructor(
    private readonly ts: typeof TS,
    /** The notebook's folder: packages resolve from its node_modules, as in the kernel. */
    readonly dir: string,
  ) {}

  /** Takes the notebook's code cells in order; files whose text changed get a new version. */
  update(cells: CodeCell[]): void {
    const names = cells.map((cell) => this.namesOf(cell.source));
    const declaringCells = new Map<string, number>();
    for (const list of names) for (const n of list) declaringCells.set(n.name, (declaringCells.get(n.name) ?? 0) + 1);
    const declaredElsewhere = (name: string, _at: number) => (declaringCells.get(name) ?? 0) > 1;
    const files = cells.map((cell) => this.fileFor(cell));
    const next = new Set(files);
    for (const file of this.ordered) {
      if (!next.has(file)) {
        this.byId.delete(file.cell.id);
        this.byName.delete(file.fileName);
      }
    }
    files.forEach((file, i) => {
      const { prelude, imports } = this.prelude(i, files, names);
      const own = names[i].filter((n) => !n.exported).map((n) => n.name);
      const line = `${prelude}${prelude ? ' ' : ''}export { ${own.join(', ')} };`;
      const text = `${line}\n${cells[i].source}`;
      file.cell = cells[i];
      file.imports = imports;
      file.redeclared = new Set(names[i].filter((n) => declaredElsewhere(n.name, i)).map((n) => n.name));
      file.preludeLength = line.length + 1;
      if (text !== file.text) {
        file.text = text;
        file.version += 1;
      }
    });
    this.ordered = files;
    if (this.namesBySource.size > 4 * cells.length + 64) this.namesBySource.clear();
  }

  files(): readonly CellFile[] {
    return this.ordered;
  }

  byCell(id: string): CellFile | undefined {
    return this.byId.get(id);
  }

  byFileName(fileName: string): CellFile | undefined {
    return this.byName.get(fileName);
  }

  private fileFor(cell: CodeCell): CellFile {
    let file = this.byId.get(cell.id);
    if (!file) {
      const fileName = `${this.dir.replace(/\/$/, '')}/${CELL_FILE_PREFIX}${this.nextNumber++}-${this.notebookNumber}.ts`;
      file = { cell, fileName, text: '', version: 0, preludeLength: 0, imports: new Map(), redeclared: new Set() };
      this.byId.set(cell.id, file);
      this.byName.set(fileName, file);
    }
    return file;
  }

  private namesOf(source: string): CellName[] {
    let names = this.namesBySource.get(source);
    if (!names) {
      const file = this.ts.createSourceFile('cell.ts', source, this.ts.ScriptTarget.ES2022, false, this.ts.ScriptKind.TS);
      names = cellNames(this.ts, file);
      this.namesBySource.set(source, names);
    }
    return names;
  }

  private prelude(at: number, files: CellFile[], names: CellName[][]): { prelude: string; imports: Map<string, ImportedName> } {
    const own = new Set(names[at].map((n) => n.name));
    const chosen = new Map<string, number>();
    const consider = (i: number) => {
      for (const n of names[i]) if (!own.has(n.name) && !chosen.has(n.name)) chosen.set(n.name, i);
    };
    for (let i = at - 1; i >= 0; i--) consider(i); // nearest above first
    for (let i = at + 1; i < files.length; i++) consider(i); // then nearest below
    const bySource = new Map<number, string[]>();
    const imports = new Map<string, ImportedName>();
    for (const [name, i] of chosen) {
      bySource.set(i, [...(bySource.get(i) ?? []), name]);
      imports.set(name, { kind: names[i].find((n) => n.name === name)!.kind, fromIndex: files[i].cell.index });
    }
    const prelude = [...bySource]
      .sort(([a], [b]) => a - b)
      .map(([i, list]) => `import { ${list.join(', ')} } from './${baseName(files[i].fileName)}';`)
      .join(' ');
    return { prelude, imports };
  }
}

function baseName(fileName: string): string {
  return fileName.slice(fileName.lastIndexOf('/') + 1).replace(/\.ts$/, '');
}
