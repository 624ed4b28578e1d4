// Imports in a cell load through the runtime's import hook and land on the global scope:
//   import * as ns from 'm'         ->  ns = await __dlnb_import('m')
//   import { a, b as c } from 'm'   ->  ({ a, b: c } = await __dlnb_import('m'))
//   import d from 'm'               ->  d = m.default ?? m   (the module's default export
//                                        when it has one, else the module itself, like
//                                        Node's CommonJS interop)
//   import 'm'                      ->  await __dlnb_import('m')
//   import x = require('m')         ->  x = await __dlnb_import('m')
import ts from 'typescript';

const { factory } = ts;

export function importCall(hook: string, specifier: ts.Expression): ts.AwaitExpression {
  const call = factory.createCallExpression(factory.createIdentifier(hook), undefined, [specifier]);
  return factory.createAwaitExpression(call);
}

export function assignStatement(target: ts.Expression, value: ts.Expression): ts.ExpressionStatement {
  return factory.createExpressionStatement(factory.createAssignment(target, value));
}

/** Rewrites one import declaration of the emitted JS; `declare` receives each bound name. */
export function rewriteImport(statement: ts.ImportDeclaration, hook: string, declare: (name: string) => void): ts.Statement[] {
  const load = importCall(hook, statement.moduleSpecifier);
  const clause = statement.importClause;
  const at = (s: ts.Statement) => ts.setTextRange(s, statement);
  if (!clause) return [at(factory.createExpressionStatement(load))];
  if (clause.isTypeOnly) return [];
  const bindings = clause.namedBindings;
  if (!clause.name) return bindings ? [at(assignBindings(bindings, load, declare))] : [];

  // The module is needed twice (default and bindings), so it goes in a local first.
  const module = factory.createUniqueName('__dlnb_module', ts.GeneratedIdentifierFlags.Optimistic);
  const declaration = factory.createVariableDeclaration(module, undefined, undefined, load);
  const list = factory.createVariableDeclarationList([declaration], ts.NodeFlags.Const);
  const defaultExport = factory.createBinaryExpression(
    factory.createPropertyAccessExpression(module, 'default'),
    ts.SyntaxKind.QuestionQuestionToken,
    module,
  );
  declare(clause.name.text);
  const statements: ts.Statement[] = [
    factory.createVariableStatement(undefined, list),
    assignStatement(clause.name, defaultExport),
  ];
  if (bindings) statements.push(assignBindings(bindings, module, declare));
  return statements.map(at);
}

function assignBindings(bindings: ts.NamedImportBindings, module: ts.Expression, declare: (name: string) => void): ts.Statement {
  if (ts.isNamespaceImport(bindings)) {
    declare(bindings.name.text);
    return assignStatement(bindings.name, module);
  }
  const members = bindings.elements
    .filter((element) => !element.isTypeOnly)
    .map((element) => {
      const { name } = element;
      declare(name.text);
      const key = element.propertyName ?? name;
      if (ts.isIdentifier(key) && key.text === name.text) return factory.createShorthandPropertyAssignment(name);
      // `{ "a-b" as x }` imports a name that is not an identifier.
      const property = ts.isIdentifier(key) ? key.text : factory.createStringLiteral(key.text);
      return factory.createPropertyAssignment(property, name);
    });
  return assignStatement(factory.createObjectLiteralExpression(members), module);
}

/**
 * Runs before TypeScript's own transforms: `import x = require('m')` has no ES module
 * form, so TypeScript would drop it; it becomes `const x = await __dlnb_import('m')`.
 */
export function importEqualsTransformer(hook: string): ts.TransformerFactory<ts.SourceFile> {
  return () => (file) => {
    if (!file.statements.some(ts.isImportEqualsDeclaration)) return file;
    const statements = file.statements.map((s) => {
      if (!ts.isImportEqualsDeclaration(s) || s.isTypeOnly || !ts.isExternalModuleReference(s.moduleReference)) return s;
      const load = importCall(hook, s.moduleReference.expression);
      const declaration = factory.createVariableDeclaration(s.name, undefined, undefined, load);
      const list = factory.createVariableDeclarationList([declaration], ts.NodeFlags.Const);
      return ts.setTextRange(factory.createVariableStatement(undefined, list), s);
    });
    return factory.updateSourceFile(file, statements);
  };
}
