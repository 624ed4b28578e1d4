// The rewrite that gives a cell notebook semantics. It runs after TypeScript has removed
// the types (plain JS, imports still visible) and turns the cell into
//   (async () => { globalThis.f = f; ...statements; return lastExpression; })();
// where top-level declarations and imports became assignments to globals, so later
// cells see them and re-running a cell never fails with "already declared".
// Statements keep their source positions, so the source map stays right.
import ts from 'typescript';
import { bindingNames, isWrittenName } from './declarations';
import { assignStatement, rewriteImport } from './imports';
import { addLoopTicks } from './loopTicks';
import { globalizeNestedVars } from './nestedVars';
import { toAssignmentTarget } from './patterns';

export interface CellHooks {
  readonly import: string;
  readonly tick: string;
}

const { factory } = ts;

/** `declared` receives the names the rewritten cell assigns on the global scope. */
export function notebookCellTransformer(hooks: CellHooks, declared: Set<string>): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => {
    const rewriter = new TopLevelRewriter(hooks, declared, context);
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
  private readonly declare = (name: string) => this.declared.add(name);

  constructor(
    private readonly hooks: CellHooks,
    private readonly declared: Set<string>,
    private readonly context: ts.TransformationContext,
  ) {}

  rewrite(statement: ts.Statement): ts.Statement[] {
    if (ts.isVariableStatement(statement)) return this.variables(statement);
    if (ts.isFunctionDeclaration(statement)) return [this.func(statement)];
    if (ts.isClassDeclaration(statement)) return [this.klass(statement)];
    if (ts.isImportDeclaration(statement)) return rewriteImport(statement, this.hooks.import, this.declare);
    if (ts.isExportDeclaration(statement)) return []; // `export { a }`, `export * from 'm'`
    if (ts.isExportAssignment(statement)) {
      return [ts.setTextRange(factory.createExpressionStatement(statement.expression), statement)];
    }
    return [globalizeNestedVars(statement, this.context, this.declare)];
  }

  /** `const x = 1, {a} = o` -> `x = 1; ({a} = o);`; `let y;` -> `y = void 0`. */
  private variables(statement: ts.VariableStatement): ts.Statement[] {
    const list = statement.declarationList;
    // Temporaries TypeScript made up (e.g. for `using`) stay local to the cell.
    if (list.declarations.some((d) => ts.isIdentifier(d.name) && !isWrittenName(d.name))) return [statement];
    const isVar = (list.flags & ts.NodeFlags.BlockScoped) === 0;
    const result: ts.Statement[] = [];
    list.declarations.forEach((declaration, i) => {
      for (const name of bindingNames(declaration.name)) this.declare(name);
      // `var x;` keeps x's value, as in JavaScript (and as enums and namespaces expect).
      if (!declaration.initializer && isVar) return;
      const value = declaration.initializer ?? factory.createVoidZero();
      const assignment = ts.setTextRange(factory.createAssignment(toAssignmentTarget(declaration.name), value), declaration);
      // The first one also covers `const` and the comments before it.
      const range = { pos: i === 0 ? statement.pos : declaration.pos, end: declaration.end };
      result.push(ts.setTextRange(factory.createExpressionStatement(assignment), range));
    });
    return result;
  }

  /** Functions stay hoisted declarations; the prologue publishes them before anything runs. */
  private func(statement: ts.FunctionDeclaration): ts.Statement {
    const { asteriskToken, name, parameters, body } = statement;
    const modifiers = withoutExport(statement.modifiers);
    if (!name || !isWrittenName(name)) {
      // `export default function () {}`: nothing to name, only to evaluate.
      const expression = factory.createFunctionExpression(
        modifiers?.filter(ts.isModifier),
        asteriskToken,
        undefined,
        undefined,
        parameters,
        undefined,
        body ?? factory.createBlock([]),
      );
      return ts.setTextRange(factory.createExpressionStatement(expression), statement);
    }
    this.declare(name.text);
    const published = factory.createPropertyAccessExpression(factory.createIdentifier('globalThis'), name.text);
    this.prologue.push(assignStatement(published, factory.createIdentifier(name.text)));
    if (modifiers === statement.modifiers) return statement;
    return factory.updateFunctionDeclaration(statement, modifiers, asteriskToken, name, undefined, parameters, undefined, body);
  }

  /** `class A {}` -> `A = class A {}`. */
  private klass(statement: ts.ClassDeclaration): ts.Statement {
    const { name, heritageClauses, members } = statement;
    const modifiers = withoutExport(statement.modifiers);
    const expression = factory.createClassExpression(modifiers, name, undefined, heritageClauses, members);
    ts.setTextRange(expression, statement);
    if (!name || !isWrittenName(name)) {
      // `export default class {}` (TypeScript may have named it)
      const parenthesized = factory.createParenthesizedExpression(expression);
      return ts.setTextRange(factory.createExpressionStatement(parenthesized), statement);
    }
    this.declare(name.text);
    return ts.setTextRange(assignStatement(factory.createIdentifier(name.text), expression), statement);
  }
}

/** A cell is not a module: `export` and `export default` are dropped, the declaration kept. */
function withoutExport(modifiers: ts.NodeArray<ts.ModifierLike> | undefined): ts.NodeArray<ts.ModifierLike> | undefined {
  const isExport = (m: ts.ModifierLike) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword;
  if (!modifiers?.some(isExport)) return modifiers;
  return factory.createNodeArray(modifiers.filter((m) => !isExport(m)));
}
