// Which top-level names a cell declares, read from the TypeScript source without
// compiling it: the kernel uses this to say "`model` is declared in cell 7, which has
// not run". Only names that exist at run time count (no interfaces, types, `declare`).
import ts from 'typescript';

/** The identifiers a binding introduces: `x`, or every name inside `{a, b: [c], ...r}`. */
export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) names.push(...bindingNames(element.name));
  }
  return names;
}

/** False for names TypeScript made up while emitting (temporaries), which stay local. */
export function isWrittenName(name: ts.Identifier): boolean {
  const written = ts.getParseTreeNode(name);
  return written !== undefined && ts.isIdentifier(written) && written.text === name.text;
}

export function topLevelDeclarations(source: string): string[] {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  for (const statement of file.statements) {
    for (const name of statementNames(statement)) names.add(name);
  }
  return [...names];
}

function statementNames(statement: ts.Statement): string[] {
  if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) return [];
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  }
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
    return statement.name ? [statement.name.text] : [];
  }
  if (ts.isEnumDeclaration(statement)) return [statement.name.text];
  if (ts.isModuleDeclaration(statement)) {
    return ts.isIdentifier(statement.name) && isInstantiated(statement) ? [statement.name.text] : [];
  }
  if (ts.isImportDeclaration(statement)) return importNames(statement);
  if (ts.isImportEqualsDeclaration(statement) && !statement.isTypeOnly) return [statement.name.text];
  return nestedVarNames(statement);
}

/** `var`s inside top-level blocks and loop heads are global too (not those in functions). */
function nestedVarNames(node: ts.Node): string[] {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return [];
  if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
    return node.declarations.flatMap((d) => bindingNames(d.name));
  }
  const names: string[] = [];
  ts.forEachChild(node, (child) => {
    names.push(...nestedVarNames(child));
  });
  return names;
}

function importNames(statement: ts.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause || clause.isTypeOnly) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) if (!element.isTypeOnly) names.push(element.name.text);
  }
  return names;
}

/** A namespace exists at run time only when it holds something other than types. */
function isInstantiated(declaration: ts.ModuleDeclaration): boolean {
  const body = declaration.body;
  if (!body) return false;
  if (ts.isModuleDeclaration(body)) return isInstantiated(body);
  if (!ts.isModuleBlock(body)) return false;
  return body.statements.some(
    (s) =>
      !ts.isInterfaceDeclaration(s) &&
      !ts.isTypeAliasDeclaration(s) &&
      !hasModifier(s, ts.SyntaxKind.DeclareKeyword) &&
      (!ts.isModuleDeclaration(s) || isInstantiated(s)),
  );
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}
