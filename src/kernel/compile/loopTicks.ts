// Puts a call to the runtime's tick hook at the top of every loop body, at any depth, so
// a synchronous `while (true) {}` can still be interrupted: the hook throws once the
// user asked to stop. It is a bare call because it runs on every iteration.
import ts from 'typescript';

export function addLoopTicks<T extends ts.Node>(node: T, context: ts.TransformationContext, tick: string): T {
  const visit = (child: ts.Node): ts.Node => {
    const visited = ts.visitEachChild(child, visit, context);
    return ts.isIterationStatement(visited, false) ? withTick(visited, tick) : visited;
  };
  return ts.visitEachChild(node, visit, context);
}

function withTick(loop: ts.IterationStatement, tick: string): ts.IterationStatement {
  const { factory } = ts;
  const call = factory.createExpressionStatement(factory.createCallExpression(factory.createIdentifier(tick), undefined, []));
  // An interrupt then points at the loop's line in the cell.
  ts.setSourceMapRange(call, ts.getSourceMapRange(loop));
  const body = ts.isBlock(loop.statement)
    ? factory.updateBlock(loop.statement, [call, ...loop.statement.statements])
    : ts.setTextRange(factory.createBlock([call, loop.statement], true), loop.statement);
  switch (loop.kind) {
    case ts.SyntaxKind.ForStatement: {
      const l = loop as ts.ForStatement;
      return factory.updateForStatement(l, l.initializer, l.condition, l.incrementor, body);
    }
    case ts.SyntaxKind.ForInStatement: {
      const l = loop as ts.ForInStatement;
      return factory.updateForInStatement(l, l.initializer, l.expression, body);
    }
    case ts.SyntaxKind.ForOfStatement: {
      const l = loop as ts.ForOfStatement;
      return factory.updateForOfStatement(l, l.awaitModifier, l.initializer, l.expression, body);
    }
    case ts.SyntaxKind.WhileStatement: {
      const l = loop as ts.WhileStatement;
      return factory.updateWhileStatement(l, l.expression, body);
    }
    case ts.SyntaxKind.DoStatement: {
      const l = loop as ts.DoStatement;
      return factory.updateDoStatement(l, body, l.expression);
    }
    default:
      return loop;
  }
}
