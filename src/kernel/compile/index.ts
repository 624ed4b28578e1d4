// The cell compiler: one TypeScript notebook cell in, JavaScript with notebook semantics
// out (state shared across cells, top-level await, the last expression's value, imports
// through the runtime, interruptible loops), plus a source map back to the cell.
// Pure: no VS Code, no tfjs. Types are stripped, never checked; only syntax errors block.
import ts from 'typescript';
import { importEqualsTransformer } from './imports';
import { notebookCellTransformer } from './transform';

export { topLevelDeclarations } from './declarations';

/** Globals the runtime must define before running compiled code. */
export const RUNTIME_HOOKS = { import: '__dlnb_import', tick: '__dlnb_tick' } as const;

export interface CompileDiagnostic {
  message: string;
  /** 1-based, in the cell. */
  line: number;
  /** 1-based, in the cell. */
  column: number;
}

/** Source map v3; the shape node:module's `SourceMap` takes. */
export interface SourceMapV3 {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
  file: string;
  sourceRoot: string;
  sourcesContent: string[];
}

export interface CompiledCell {
  /**
   * JS for `vm.runInThisContext(code, { filename })`; evaluates to a Promise of the cell's
   * last-expression value (undefined when the last statement is not an expression; a
   * Promise as last value is awaited, as an async function's return is). Define every
   * name of `declaredNames` on globalThis before running it. Do not run it when
   * `diagnostics` is not empty.
   */
  code: string;
  /** Source map v3 from `code` back to the cell source. */
  map: SourceMapV3;
  /** Top-level names the cell assigns on the global scope. */
  declaredNames: string[];
  /** Syntax errors only. */
  diagnostics: CompileDiagnostic[];
}

// Reused on every call: the worker compiles each cell it runs.
const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  sourceMap: true,
  // Keep imports whose names only later cells use; `import type` still vanishes.
  verbatimModuleSyntax: true,
};
// transpileModule picks the parser from the extension; notebook cell URIs have none.
const internalFileName = 'cell.ts';
const sourceMappingComment = /\n\/\/# sourceMappingURL=[^\n]*\s*$/;

// Re-running an unchanged cell is common (and the runtime names every run's file
// differently), so results are kept by source; the file name is filled in per call.
const MAX_CACHED_CELLS = 200;
const cache = new Map<string, CompiledCell>();

export function compileCell(source: string, options: { fileName: string }): CompiledCell {
  if (typeof source !== 'string') throw new TypeError(`compileCell: source must be a string, got ${typeof source}`);
  if (!options || typeof options.fileName !== 'string' || options.fileName === '') {
    throw new TypeError('compileCell: options.fileName must be a non-empty string');
  }
  let compiled = cache.get(source);
  if (!compiled) {
    compiled = compile(source);
    if (cache.size >= MAX_CACHED_CELLS) cache.delete(cache.keys().next().value as string);
    cache.set(source, compiled);
  }
  const { fileName } = options;
  return {
    code: compiled.code,
    map: { ...compiled.map, names: [...compiled.map.names], sources: [fileName], file: fileName, sourcesContent: [source] },
    declaredNames: [...compiled.declaredNames],
    diagnostics: compiled.diagnostics.map((d) => ({ ...d })),
  };
}

function compile(source: string): CompiledCell {
  const declaredNames = new Set<string>();
  const output = ts.transpileModule(source, {
    compilerOptions,
    fileName: internalFileName,
    reportDiagnostics: true,
    transformers: {
      before: [importEqualsTransformer(RUNTIME_HOOKS.import)],
      after: [notebookCellTransformer(RUNTIME_HOOKS, declaredNames)],
    },
  });
  const map = JSON.parse(output.sourceMapText ?? '{}') as SourceMapV3;
  map.sourceRoot = '';
  return {
    code: output.outputText.replace(sourceMappingComment, '\n'),
    map,
    declaredNames: [...declaredNames],
    diagnostics: (output.diagnostics ?? []).map(toCompileDiagnostic),
  };
}

function toCompileDiagnostic(diagnostic: ts.Diagnostic): CompileDiagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return { message, line: 1, column: 1 };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { message, line: line + 1, column: character + 1 };
}
