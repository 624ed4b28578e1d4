// The top-level names one cell gives the rest of the notebook: values (`const`, `let`,
// `var`, functions, classes, enums, namespaces, imports) and types (interfaces, type
// aliases). The cell's file exports them, and every other cell's file imports those it
// does not declare itself (cellFiles.ts). Pure: the TypeScript module comes in.
import type * as TS from 'typescript';

export type NameKind = 'const' | 'let' | 'var' | 'function' | 'class' | 'enum' | 'namespace' | 'import' | 'type';

export interface CellName {
  name: string;
  kind: NameKind;
  /** The cell already exports it (`export const x`): no second export is added. */
  exported: boolean;
}

export function cellNames(ts: typeof TS, file: TS.SourceFile): CellName[] {
  const names = new Map<string, CellName>();
  const add = (name: string, kind: NameKind, exported: boolean) => {
    const known = names.get(name);
    // A value and a type of one name (`interface P` + `const P`) share one export.
    if (!known || known.kind === 'type') names.set(name, { name, kind, exported: exported || (known?.exported ?? false) });
  };
  for (const statement of file.statements) {
    const exported =
      hasModifier(ts, statement, ts.SyntaxKind.ExportKeyword) && !hasModifier(ts, statement, ts.SyntaxKind.DefaultKeyword);
    if (ts.isVariableStatement(statement)) {
      const flags = statement.declarationList.flags;
      const kind: NameKind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
      for (const d of statement.declarationList.declarations) for (const n of bindingNames(ts, d.name)) add(n, kind, exported);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      add(statement.name.text, 'function', exported);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      add(statement.name.text, 'class', exported);
    } else if (ts.isEnumDeclaration(statement)) {
      add(statement.name.text, 'enum', exported);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      add(statement.name.text, 'namespace', exported);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      add(statement.name.text, 'type', exported);
    } else if (ts.isImportDeclaration(statement)) {
      for (const n of importNames(ts, statement)) add(n, 'import', false);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, 'import', exported);
    } else {
      for (const n of nestedVarNames(ts, statement)) add(n, 'var', false);
    }
  }
  return [...names.values()];
}

function bindingNames(ts: typeof TS, name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(ts, e.name)));
}

function importNames(ts: typeof TS, statement: TS.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
  return names;
}

/** `var`s inside top-level blocks and loop heads belong to the cell too, as in the kernel. */
function nestedVarNames(ts: typeof TS, node: TS.Node): string[] {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return [];
  if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
    return node.declarations.flatMap((d) => bindingNames(ts, d.name));
  }
  const names: string[] = [];
  ts.forEachChild(node, (child) => {
    names.push(...nestedVarNames(ts, child));
  });
  return names;
}

function hasModifier(ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}
