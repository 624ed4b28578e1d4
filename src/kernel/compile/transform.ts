// The rewrite that gives a cell notebook semantics. It runs after TypeScript has removed
// the types (plain JS, imports still visible) and turns the cell into
//   (async () => { globalThis.f = f; ...statements; return lastExpression; })();
// where top-level declarations and imports became assignments to globals, so later
// cells see them and re-running a cell never fails with "already declared".
// Statements keep their source positions, so the source map stays right.
import ts from 'typescript';
import { bindingNames } from './declarations';
import { addLoopTicks } from './loopTicks';
import { toAssignmentTarget } from './patterns';

export interface CellHooks {
  readonly import: string;
  readonly tick: string;
}

/** Collects the names the rewritten cell assigns on the global scope. */
export interface CellRewrite {
  readonly declaredNames: Set<string>;
}

const { factory } = ts;

export function notebookCellTransformer(hooks: CellHooks, out: CellRewrite): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => {
    const rewriter = new TopLevelRewriter(hooks, out.declaredNames);
    const ticked = addLoopTicks(file, context, hooks.tick);
    const body = ticked.statements.flatMap((s) => rewriter.rewrite(s));
    returnLastExpression(body, lastWrittenStatement(file));
    const wrapper = factory.createArrowFunction(
      [factory.createModifier(ts.SyntaxKind.AsyncKeyword)],
      undefined,
      [],
      undefined,
      factory.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
      factory.createBlock([...rewriter.prologue, ...body], true),
    );
    const run = factory.createCallExpression(factory.createParenthesizedExpression(wrapper), undefined, []);
    return factory.updateSourceFile(file, [factory.createExpressionStatement(run)]);
  };
}

/**
 * Runs before TypeScript's own transforms: `import x = require('m')` would otherwise be
 * dropped (it has no ES module form), so it becomes `const x = await import('m')`.
 */
export function importEqualsTransformer(hooks: CellHooks): ts.TransformerFactory<ts.SourceFile> {
  return () => (file) => {
    const statements = file.statements.map((s) => {
      if (!ts.isImportEqualsDeclaration(s) || s.isTypeOnly || !ts.isExternalModuleReference(s.moduleReference)) return s;
      const declaration = factory.createVariableDeclaration(s.name, undefined, undefined, importCall(hooks, s.moduleReference.expression));
      const list = factory.createVariableDeclarationList([declaration], ts.NodeFlags.Const);
      return ts.setTextRange(factory.createVariableStatement(undefined, list), s);
    });
    return factory.updateSourceFile(file, statements);
  };
}

function importCall(hooks: CellHooks, specifier: ts.Expression): ts.AwaitExpression {
  return factory.createAwaitExpression(factory.createCallExpression(factory.createIdentifier(hooks.import), undefined, [specifier]));
}

/** The cell's last statement as the user wrote it (types included, empty `;` skipped). */
function lastWrittenStatement(file: ts.SourceFile): ts.Statement | undefined {
  const written = ts.getOriginalNode(file) as ts.SourceFile;
  return written.statements.filter((s) => !ts.isEmptyStatement(s)).at(-1);
}

/** `x;` as the cell's last statement becomes `return x;`, so the cell shows its value. */
function returnLastExpression(body: ts.Statement[], last: ts.Statement | undefined): void {
  if (!last || !ts.isExpressionStatement(last)) return;
  const index = body.findIndex((s) => ts.getOriginalNode(s) === last);
  const statement = body[index];
  if (index < 0 || !ts.isExpressionStatement(statement)) return;
  body[index] = ts.setTextRange(factory.createReturnStatement(statement.expression), statement);
}

class TopLevelRewriter {
  /** Statements that must run first: `globalThis.f = f` for hoisted functions. */
  readonly prologue: ts.Statement[] = [];
  private moduleCount = 0;

  constructor(
    private readonly hooks: CellHooks,
    private readonly declared: Set<string>,
  ) {}

  rewrite(statement: ts.Statement): ts.Statement[] {
    if (ts.isVariableStatement(statement)) return this.variables(statement);
    if (ts.isFunctionDeclaration(statement)) return [this.func(statement)];
    if (ts.isClassDeclaration(statement)) return [this.klass(statement)];
    if (ts.isImportDeclaration(statement)) return this.imports(statement);
    if (ts.isExportDeclaration(statement)) return [];
    if (ts.isExportAssignment(statement)) {
      return [ts.setTextRange(factory.createExpressionStatement(statement.expression), statement)];
    }
    return [statement];
  }

  /** `const x = 1, {a} = o` -> `x = 1; ({a} = o);`; `let y;` -> `y = void 0`. */
  private variables(statement: ts.VariableStatement): ts.Statement[] {
    const list = statement.declarationList;
    const isVar = (list.flags & ts.NodeFlags.BlockScoped) === 0;
    const result: ts.Statement[] = [];
    list.declarations.forEach((declaration, i) => {
      for (const name of bindingNames(declaration.name)) this.declared.add(name);
      // `var x;` keeps x's value, as in JavaScript (and as enums and namespaces expect).
      if (!declaration.initializer && isVar) return;
      const value = declaration.initializer ?? factory.createVoidZero();
      const assignment = factory.createAssignment(toAssignmentTarget(declaration.name), value);
      const range = { pos: i === 0 ? statement.pos : declaration.pos, end: declaration.end };
      result.push(ts.setTextRange(factory.createExpressionStatement(ts.setTextRange(assignment, declaration)), range));
    });
    return result;
  }

  /** Functions stay hoisted declarations; the prologue publishes them before anything runs. */
  private func(statement: ts.FunctionDeclaration): ts.Statement {
    const modifiers = withoutExport(statement.modifiers);
    if (!statement.name) {
      const expression = factory.createFunctionExpression(modifiers?.filter(ts.isModifier), statement.asteriskToken, undefined, undefined, statement.parameters, undefined, statement.body ?? factory.createBlock([]));
      return ts.setTextRange(factory.createExpressionStatement(expression), statement);
    }
    const name = statement.name.text;
    this.declared.add(name);
    this.prologue.push(factory.createExpressionStatement(factory.createAssignment(factory.createPropertyAccessExpression(factory.createIdentifier('globalThis'), name), factory.createIdentifier(name))));
    if (modifiers === statement.modifiers) return statement;
    return factory.updateFunctionDeclaration(statement, modifiers, statement.asteriskToken, statement.name, undefined, statement.parameters, undefined, statement.body);
  }

  /** `class A {}` -> `A = class A {}`. */
  private klass(statement: ts.ClassDeclaration): ts.Statement {
    const expression = factory.createClassExpression(withoutExport(statement.modifiers), statement.name, undefined, statement.heritageClauses, statement.members);
    ts.setTextRange(expression, statement);
    if (!statement.name) {
      return ts.setTextRange(factory.createExpressionStatement(factory.createParenthesizedExpression(expression)), statement);
    }
    this.declared.add(statement.name.text);
    const assignment = factory.createAssignment(factory.createIdentifier(statement.name.text), expression);
    return ts.setTextRange(factory.createExpressionStatement(assignment), statement);
  }

  /**
   * `import * as ns from 'm'` -> `ns = await import('m')`; `import {a, b as c} from 'm'`
   * -> `({a, b: c} = await import('m'))`; `import d from 'm'` -> d is the module's
   * default export when it has one, else the module itself (like Node's CommonJS interop).
   */
  private imports(statement: ts.ImportDeclaration): ts.Statement[] {
    const load = importCall(this.hooks, statement.moduleSpecifier);
    const clause = statement.importClause;
    const at = (s: ts.Statement) => ts.setTextRange(s, statement);
    if (!clause) return [at(factory.createExpressionStatement(load))];
    if (clause.isTypeOnly) return [];
    const bindings = clause.namedBindings;
    if (!clause.name && bindings) return [at(this.assign(bindings, load))];
    if (!clause.name) return [];
    const module = factory.createUniqueName('__dlnb_module', ts.GeneratedIdentifierFlags.Optimistic);
    const moduleStatement = factory.createVariableStatement(undefined, factory.createVariableDeclarationList([factory.createVariableDeclaration(module, undefined, undefined, load)], ts.NodeFlags.Const));
    this.declared.add(clause.name.text);
    const defaultExport = factory.createBinaryExpression(factory.createPropertyAccessExpression(module, 'default'), ts.SyntaxKind.QuestionQuestionToken, module);
    const statements: ts.Statement[] = [moduleStatement, factory.createExpressionStatement(factory.createAssignment(clause.name, defaultExport))];
    if (bindings) statements.push(this.assign(bindings, module));
    return statements.map(at);
  }

  private assign(bindings: ts.NamedImportBindings, module: ts.Expression): ts.Statement {
    if (ts.isNamespaceImport(bindings)) {
      this.declared.add(bindings.name.text);
      return factory.createExpressionStatement(factory.createAssignment(bindings.name, module));
    }
    const members = bindings.elements
      .filter((e) => !e.isTypeOnly)
      .map((e) => {
        this.declared.add(e.name.text);
        const key = e.propertyName ?? e.name;
        return ts.isIdentifier(key) && key.text === e.name.text
          ? factory.createShorthandPropertyAssignment(e.name)
          : factory.createPropertyAssignment(ts.isIdentifier(key) ? key.text : factory.createStringLiteral(key.text), e.name);
      });
    return factory.createExpressionStatement(factory.createAssignment(factory.createObjectLiteralExpression(members), module));
  }
}

function withoutExport(modifiers: ts.NodeArray<ts.ModifierLike> | undefined): ts.NodeArray<ts.ModifierLike> | undefined {
  if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword)) return modifiers;
  return factory.createNodeArray(modifiers.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword));
}
