// VS Code's language features for dlnb cells, answered by the language worker: completion
// (with details on demand), hover, signature help and go to definition, into another cell
// or into the bundled declarations (shown read-only under the `dlnb-types:` scheme).
import * as vscode from 'vscode';
import type { CompletionEntry, DefinitionTarget, SymbolDocs } from '../../shared/languageProtocol';
import { NOTEBOOK_TYPE } from '../controller';
import { CELL_LANGUAGE } from '../serializer';
import type { LanguageClient } from './languageClient';
import type { NotebookSync } from './notebookSync';

export const DECLARATION_SCHEME = 'dlnb-types';
const selector: vscode.DocumentSelector = { notebookType: NOTEBOOK_TYPE, language: CELL_LANGUAGE };

interface Context {
  client: LanguageClient;
  sync: NotebookSync;
}

class DlnbCompletionItem extends vscode.CompletionItem {
  constructor(
    readonly entry: CompletionEntry,
    readonly notebook: string,
    readonly cellId: string,
    readonly offset: number,
  ) {
    super(entry.name, completionKind(entry.kind));
  }
}

export function registerLanguageProviders(ctx: Context): vscode.Disposable {
  /** The notebook key, cell id and offset the worker knows a position by. */
  const where = (document: vscode.TextDocument, position: vscode.Position) => {
    const notebook = ctx.sync.current(document);
    return (
      notebook && { notebook: notebook.uri.toString(), cellId: document.uri.toString(), offset: document.offsetAt(position) }
    );
  };

  const completions: vscode.CompletionItemProvider<DlnbCompletionItem> = {
    async provideCompletionItems(document, position, _token, context) {
      const at = where(document, position);
      if (!at) return undefined;
      const list = await ctx.client.query(at.notebook, {
        op: 'completions',
        cellId: at.cellId,
        offset: at.offset,
        triggerCharacter: context.triggerCharacter,
      });
      if (!list) return undefined;
      return list.entries.map((entry) => {
        const item = new DlnbCompletionItem(entry, at.notebook, at.cellId, at.offset);
        item.sortText = entry.sortText;
        if (entry.insertText !== undefined) item.insertText = entry.insertText;
        if (entry.replacement)
          item.range = new vscode.Range(document.positionAt(entry.replacement.start), document.positionAt(entry.replacement.end));
        if (entry.kindModifiers?.includes('deprecated')) item.tags = [vscode.CompletionItemTag.Deprecated];
        return item;
      });
    },
    async resolveCompletionItem(item) {
      const { entry } = item;
      const docs = await ctx.client.query(item.notebook, {
        op: 'completionDetails',
        cellId: item.cellId,
        offset: item.offset,
        name: entry.name,
        source: entry.source,
        data: entry.data,
      });
      if (docs) {
        item.detail = docs.display;
        item.documentation = documentation(docs);
      }
      return item;
    },
  };

  const hover: vscode.HoverProvider = {
    async provideHover(document, position) {
      const at = where(document, position);
      if (!at) return undefined;
      const info = await ctx.client.query(at.notebook, { op: 'hover', cellId: at.cellId, offset: at.offset });
      if (!info) return undefined;
      const contents = new vscode.MarkdownString().appendCodeblock(info.display, 'typescript');
      const docs = documentation(info);
      if (docs.value) contents.appendMarkdown('\n\n---\n\n').appendMarkdown(docs.value);
      return new vscode.Hover(
        contents,
        new vscode.Range(document.positionAt(info.range.start), document.positionAt(info.range.end)),
      );
    },
  };

  const signatures: vscode.SignatureHelpProvider = {
    async provideSignatureHelp(document, position) {
      const at = where(document, position);
      if (!at) return undefined;
      const help = await ctx.client.query(at.notebook, { op: 'signatureHelp', cellId: at.cellId, offset: at.offset });
      if (!help) return undefined;
      const result = new vscode.SignatureHelp();
      result.activeSignature = help.activeSignature;
      result.activeParameter = help.activeParameter;
      result.signatures = help.signatures.map((s) => {
        const info = new vscode.SignatureInformation(s.label, new vscode.MarkdownString(s.documentation));
        info.parameters = s.parameters.map(
          (p) => new vscode.ParameterInformation(p.range, new vscode.MarkdownString(p.documentation)),
        );
        return info;
      });
      return result;
    },
  };

  const definitions: vscode.DefinitionProvider = {
    async provideDefinition(document, position) {
      const at = where(document, position);
      if (!at) return undefined;
      const notebook = ctx.sync.current(document)!;
      const targets = await ctx.client.query(at.notebook, { op: 'definition', cellId: at.cellId, offset: at.offset });
      return targets.flatMap((t) => toLocation(t, notebook) ?? []);
    },
  };

  const declarations: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const text = await ctx.client.query('', { op: 'declarationText', path: `/${DECLARATION_SCHEME}${uri.path}` });
      return text ?? `// ${uri.path} is not among dlnb's bundled declarations.`;
    },
  };

  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(selector, completions, '.', '"', "'", '/', '@', '<'),
    vscode.languages.registerHoverProvider(selector, hover),
    vscode.languages.registerSignatureHelpProvider(selector, signatures, {
      triggerCharacters: ['(', ','],
      retriggerCharacters: [')'],
    }),
    vscode.languages.registerDefinitionProvider(selector, definitions),
    vscode.workspace.registerTextDocumentContentProvider(DECLARATION_SCHEME, declarations),
  );
}

function toLocation(target: DefinitionTarget, notebook: vscode.NotebookDocument): vscode.Location | undefined {
  if (target.kind === 'cell') {
    const cell = notebook.getCells().find((c) => c.document.uri.toString() === target.cellId);
    if (!cell) return undefined;
    const { document } = cell;
    return new vscode.Location(
      document.uri,
      new vscode.Range(document.positionAt(target.range.start), document.positionAt(target.range.end)),
    );
  }
  // Bundled files live under /dlnb-types/...; the scheme stands for that first segment.
  const uri = target.virtual
    ? vscode.Uri.from({ scheme: DECLARATION_SCHEME, path: target.path.slice(`/${DECLARATION_SCHEME}`.length) })
    : vscode.Uri.file(target.path);
  const range = new vscode.Range(target.start.line, target.start.character, target.end.line, target.end.character);
  return new vscode.Location(uri, range);
}

function documentation(docs: SymbolDocs): vscode.MarkdownString {
  const tags = docs.tags
    .filter((t) => t.name !== 'doc')
    .map((t) =>
      t.name === 'example'
        ? `*@example*\n\`\`\`typescript\n${t.text}\n\`\`\``
        : `*@${t.name}* ${t.text.replace(/^(\w+) /, '`$1` — ')}`,
    );
  return new vscode.MarkdownString([docs.documentation, ...tags].filter(Boolean).join('\n\n'));
}

/** TypeScript's ScriptElementKind to VS Code's icon, as VS Code's own TypeScript support maps them. */
function completionKind(kind: string): vscode.CompletionItemKind {
  const K = vscode.CompletionItemKind;
  switch (kind) {
    case 'primitive type':
    case 'keyword':
      return K.Keyword;
    case 'const':
    case 'let':
    case 'var':
    case 'local var':
    case 'alias':
    case 'parameter':
      return K.Variable;
    case 'property':
    case 'getter':
    case 'setter':
      return K.Field;
    case 'function':
    case 'local function':
      return K.Function;
    case 'method':
    case 'construct':
    case 'call':
    case 'index':
      return K.Method;
    case 'enum':
      return K.Enum;
    case 'enum member':
      return K.EnumMember;
    case 'module':
    case 'external module name':
      return K.Module;
    case 'class':
    case 'type':
      return K.Class;
    case 'interface':
      return K.Interface;
    case 'warning':
      return K.Text;
    case 'script':
      return K.File;
    case 'directory':
      return K.Folder;
    case 'string':
      return K.Constant;
    default:
      return K.Property;
  }
}
