// TypeScript's language service over one notebook (cellFiles.ts makes the notebook one
// program). Answers in cell coordinates: offsets into a cell's source. Files under
// /dlnb-types come from the bundled declarations, everything else (packages installed
// beside the notebook) from disk. Pure TypeScript API: no VS Code, no worker.
import type * as TS from 'typescript';
import type {
  CellProblem,
  CellRange,
  CompletionList,
  DefinitionTarget,
  HoverResult,
  SignatureHelpResult,
  SymbolDocs,
} from '../shared/languageProtocol';
import { NotebookFiles, type CellFile, type CodeCell } from './cellFiles';
import { isVirtual, VIRTUAL_ROOT, type Declarations } from './declarations';
import { problemFor, readableTypeText } from './problems';

/** Packages the kernel provides itself, whatever is installed beside the notebook. */
const BUILTIN_MODULES: Record<string, string> = {
  '@tensorflow/tfjs': `${VIRTUAL_ROOT}/node_modules/@tensorflow/tfjs/dist/index.d.ts`,
  '@tensorflow/tfjs-core': `${VIRTUAL_ROOT}/node_modules/@tensorflow/tfjs-core/dist/index.d.ts`,
  '@tensorflow/tfjs-layers': `${VIRTUAL_ROOT}/node_modules/@tensorflow/tfjs-layers/dist/index.d.ts`,
};

export class NotebookService {
  readonly files: NotebookFiles;
  private readonly service: TS.LanguageService;
  private readonly options: TS.CompilerOptions;
  private readonly moduleHost: TS.ModuleResolutionHost;

  constructor(
    private readonly ts: typeof TS,
    declarations: Declarations,
    dir: string,
    registry: TS.DocumentRegistry,
  ) {
    this.files = new NotebookFiles(ts, dir);
    this.options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: declarations.lib,
      types: [],
      strict: true,
      // Notebook code is written fast and untyped parameters are common: as in Pylance's
      // default mode, an implicit `any` is not a problem.
      noImplicitAny: false,
      esModuleInterop: true,
      allowSyntheticDefaultImports: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      allowJs: true,
    };
    const read = (path: string): string | undefined =>
      isVirtual(path) ? declarations.files.get(path) : (this.files.byFileName(path)?.text ?? ts.sys.readFile(path));
    const exists = (path: string): boolean =>
      isVirtual(path) ? declarations.files.has(path) : this.files.byFileName(path) !== undefined || ts.sys.fileExists(path);
    this.moduleHost = {
      fileExists: exists,
      readFile: read,
      directoryExists: (path) => (isVirtual(path) ? declarations.folders.has(path) : ts.sys.directoryExists(path)),
      getDirectories: (path) => (isVirtual(path) ? [] : ts.sys.getDirectories(path)),
      realpath: (path) => (isVirtual(path) || this.files.byFileName(path) ? path : (ts.sys.realpath?.(path) ?? path)),
    };
    const { useCaseSensitiveFileNames: _caseSensitive, ...moduleHost } = this.moduleHost;
    const host: TS.LanguageServiceHost = {
      ...moduleHost,
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [declarations.globals, ...this.files.files().map((f) => f.fileName)],
      getScriptVersion: (path) => String(this.files.byFileName(path)?.version ?? 0),
      getScriptSnapshot: (path) => {
        const text = read(path);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => dir,
      getDefaultLibFileName: () => `${VIRTUAL_ROOT}/lib/${declarations.lib[0]}`,
      resolveModuleNameLiterals: (literals, containingFile) =>
        literals.map((literal) => this.resolve(literal.text, containingFile)),
    };
    this.service = ts.createLanguageService(host, registry);
  }

  update(cells: CodeCell[]): void {
    this.files.update(cells);
  }

  /** Problems of one cell, in its own coordinates; nothing for a cell the notebook no longer has. */
  problems(cellId: string): CellProblem[] {
    const file = this.files.byCell(cellId);
    if (!file) return [];
    const diagnostics = [
      ...this.service.getSyntacticDiagnostics(file.fileName),
      ...this.service.getSemanticDiagnostics(file.fileName),
    ];
    return diagnostics.flatMap((d) => problemFor(this.ts, d, file) ?? []);
  }

  completions(cellId: string, offset: number, triggerCharacter?: string): CompletionList | undefined {
    const file = this.files.byCell(cellId);
    if (!file) return undefined;
    const result = this.service.getCompletionsAtPosition(file.fileName, offset + file.preludeLength, {
      includeCompletionsWithInsertText: true,
      includeAutomaticOptionalChainCompletions: true,
      triggerCharacter: triggerCharacter as TS.CompletionsTriggerCharacter | undefined,
    });
    if (!result) return undefined;
    return {
      isMemberCompletion: result.isMemberCompletion,
      entries: result.entries.map((e) => ({
        name: e.name,
        kind: e.kind,
        kindModifiers: e.kindModifiers || undefined,
        sortText: e.sortText,
        insertText: e.insertText,
        replacement: e.replacementSpan && toCellRange(file, e.replacementSpan),
        source: e.source,
        data: e.data,
      })),
    };
  }

  completionDetails(cellId: string, offset: number, name: string, source?: string, data?: unknown): SymbolDocs | undefined {
    const file = this.files.byCell(cellId);
    if (!file) return undefined;
    const details = this.service.getCompletionEntryDetails(
      file.fileName,
      offset + file.preludeLength,
      name,
      {},
      source,
      {},
      data as TS.CompletionEntryData | undefined,
    );
    return details && this.docs(details.displayParts, details.documentation, details.tags);
  }

  hover(cellId: string, offset: number): HoverResult | undefined {
    const file = this.files.byCell(cellId);
    if (!file) return undefined;
    const info = this.service.getQuickInfoAtPosition(file.fileName, offset + file.preludeLength);
    if (!info) return undefined;
    const docs = this.docs(info.displayParts, info.documentation, info.tags);
    // A name TypeScript could not resolve (`tf.onez`) is only `any`: its problem says more.
    if (docs.display === 'any' && !docs.documentation) return undefined;
    return { ...docs, display: withoutCellImport(docs.display, file), range: toCellRange(file, info.textSpan) };
  }

  signatureHelp(cellId: string, offset: number): SignatureHelpResult | undefined {
    const file = this.files.byCell(cellId);
    if (!file) return undefined;
    const help = this.service.getSignatureHelpItems(file.fileName, offset + file.preludeLength, undefined);
    if (!help) return undefined;
    const text = (parts: TS.SymbolDisplayPart[] | undefined) => this.ts.displayPartsToString(parts);
    return {
      activeSignature: help.selectedItemIndex,
      activeParameter: help.argumentIndex,
      signatures: help.items.map((item) => {
        let label = text(item.prefixDisplayParts);
        const parameters = item.parameters.map((p, i) => {
          if (i > 0) label += text(item.separatorDisplayParts);
          const start = label.length;
          label += text(p.displayParts);
          return { range: [start, label.length] as [number, number], documentation: text(p.documentation) };
        });
        label += text(item.suffixDisplayParts);
        return { label, parameters, documentation: this.docText(item.documentation, item.tags) };
      }),
    };
  }

  definition(cellId: string, offset: number): DefinitionTarget[] {
    const file = this.files.byCell(cellId);
    if (!file) return [];
    const found = this.service.getDefinitionAtPosition(file.fileName, offset + file.preludeLength) ?? [];
    return found.flatMap((d): DefinitionTarget[] => {
      const cell = this.files.byFileName(d.fileName);
      if (cell) {
        const range = toCellRange(cell, d.textSpan);
        return range.start >= 0 ? [{ kind: 'cell', cellId: cell.cell.id, range }] : [];
      }
      const source = this.service.getProgram()?.getSourceFile(d.fileName);
      if (!source) return [];
      const start = source.getLineAndCharacterOfPosition(d.textSpan.start);
      const end = source.getLineAndCharacterOfPosition(d.textSpan.start + d.textSpan.length);
      return [{ kind: 'file', path: d.fileName, virtual: isVirtual(d.fileName), start, end }];
    });
  }

  dispose(): void {
    this.service.dispose();
  }

  private resolve(name: string, containingFile: string): TS.ResolvedModuleWithFailedLookupLocations {
    const builtin = BUILTIN_MODULES[name];
    if (builtin) {
      return { resolvedModule: { resolvedFileName: builtin, extension: this.ts.Extension.Dts, isExternalLibraryImport: true } };
    }
    return this.ts.resolveModuleName(name, containingFile, this.options, this.moduleHost);
  }

  private docs(
    display: TS.SymbolDisplayPart[] | undefined,
    documentation?: TS.SymbolDisplayPart[],
    tags?: TS.JSDocTagInfo[],
  ): SymbolDocs {
    return {
      display: readableTypeText(this.ts.displayPartsToString(display)),
      documentation: this.ts.displayPartsToString(documentation),
      tags: (tags ?? []).map((t) => ({ name: t.name, text: this.ts.displayPartsToString(t.text) })),
    };
  }

  private docText(documentation: TS.SymbolDisplayPart[], tags: TS.JSDocTagInfo[]): string {
    const tagText = tags.map((t) => `@${t.name} ${this.ts.displayPartsToString(t.text)}`.trim());
    return [this.ts.displayPartsToString(documentation), ...tagText].filter(Boolean).join('\n\n');
  }
}

/**
 * A name another cell declared shows as that declaration, not as the prelude's import:
 * `(alias) const model: Linear\nimport model` reads `const model: Linear`. `tf` reads as
 * the import it stands for.
 */
function withoutCellImport(display: string, file: CellFile): string {
  if (display === 'import tf = tfModule') return "import * as tf from '@tensorflow/tfjs'";
  const alias = /^\(alias\) ([^\n]*)\nimport (\S+)$/.exec(display);
  return alias && file.imports.has(alias[2]) ? alias[1] : display;
}

/** A span of a cell file in the cell's own offsets (negative when it lies in the prelude). */
export function toCellRange(file: CellFile, span: TS.TextSpan): CellRange {
  const start = span.start - file.preludeLength;
  return { start, end: start + span.length };
}
