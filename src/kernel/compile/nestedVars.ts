// `var` declared inside a top-level block or loop head (`for (var i = 0; ...)`,
// `if (c) { var v = 1 }`) is global in a script, so a notebook keeps it global too:
// it becomes an assignment, like a top-level declaration. Functions and classes keep
// their own `var`s.
import ts from 'typescript';
import { bindingNames, isWrittenName } from './declarations';
import { toAssignmentTarget } from './patterns';

const { factory } = ts;

export function globalizeNestedVars(
  statement: ts.Statement,
  context: ts.TransformationContext,
  declare: (name: string) => void,
): ts.Statement {
  const isGlobalVar = (node: ts.Node | undefined): node is ts.VariableDeclarationList =>
    node !== undefined &&
    ts.isVariableDeclarationList(node) &&
    (node.flags & ts.NodeFlags.BlockScoped) === 0 &&
    node.declarations.every((d) => !ts.isIdentifier(d.name) || isWrittenName(d.name));

  const assignments = (list: ts.VariableDeclarationList): ts.Expression | undefined => {
    const expressions: ts.Expression[] = [];
    for (const declaration of list.declarations) {
      bindingNames(declaration.name).forEach(declare);
      if (!declaration.initializer) continue;
      const assignment = factory.createAssignment(toAssignmentTarget(declaration.name), declaration.initializer);
      expressions.push(ts.setTextRange(assignment, declaration));
    }
    return expressions.length > 0 ? expressions.reduce((left, right) => factory.createComma(left, right)) : undefined;
  };

  const visit = (node: ts.Node): ts.Node => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return node;
    if (ts.isVariableStatement(node) && isGlobalVar(node.declarationList)) {
      const expression = assignments(node.declarationList);
      const replacement = expression ? factory.createExpressionStatement(expression) : factory.createEmptyStatement();
      return ts.setTextRange(replacement, node);
    }
    if (ts.isForStatement(node) && isGlobalVar(node.initializer)) {
      const initializer = assignments(node.initializer);
      const loop = factory.updateForStatement(node, initializer, node.condition, node.incrementor, node.statement);
      return ts.visitEachChild(loop, visit, context);
    }
    if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && isGlobalVar(node.initializer)) {
      const [declaration] = node.initializer.declarations;
      bindingNames(declaration.name).forEach(declare);
      const target = toAssignmentTarget(declaration.name);
      const loop = ts.isForInStatement(node)
        ? factory.updateForInStatement(node, target, node.expression, node.statement)
        : factory.updateForOfStatement(node, node.awaitModifier, target, node.expression, node.statement);
      return ts.visitEachChild(loop, visit, context);
    }
    return ts.visitEachChild(node, visit, context);
  };
  return visit(statement) as ts.Statement;
}
