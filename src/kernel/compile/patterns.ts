// Turns a declaration's binding pattern into the equivalent assignment pattern, so
// `const {a, b: [c = 1], ...r} = e` can run as `({a, b: [c = 1], ...r} = e)` and leave
// its names on the notebook's global scope instead of in one cell's function.
import ts from 'typescript';

export function toAssignmentTarget(name: ts.BindingName): ts.Expression {
  if (ts.isIdentifier(name)) return name;
  const converted = ts.isObjectBindingPattern(name)
    ? ts.factory.createObjectLiteralExpression(name.elements.map(toObjectMember), false)
    : ts.factory.createArrayLiteralExpression(name.elements.map(toArrayElement), false);
  return ts.setTextRange(converted, name);
}

function withDefault(target: ts.Expression, initializer: ts.Expression | undefined): ts.Expression {
  return initializer ? ts.factory.createAssignment(target, initializer) : target;
}

function toObjectMember(element: ts.BindingElement): ts.ObjectLiteralElementLike {
  const { factory } = ts;
  let member: ts.ObjectLiteralElementLike;
  if (element.dotDotDotToken) {
    member = factory.createSpreadAssignment(toAssignmentTarget(element.name));
  } else if (!element.propertyName && ts.isIdentifier(element.name)) {
    // `{a}` and `{a = 1}`
    member = factory.createShorthandPropertyAssignment(element.name, element.initializer);
  } else {
    // `{b: c}`, `{b: [c]}`, `{[k]: v = 1}`; a missing property name only happens with
    // identifiers, handled above.
    const key = element.propertyName ?? (element.name as ts.Identifier);
    const target = withDefault(toAssignmentTarget(element.name), element.initializer);
    member = factory.createPropertyAssignment(key, target);
  }
  return ts.setTextRange(member, element);
}

function toArrayElement(element: ts.ArrayBindingElement): ts.Expression {
  const { factory } = ts;
  if (ts.isOmittedExpression(element)) return element;
  const target = toAssignmentTarget(element.name);
  const converted = element.dotDotDotToken ? factory.createSpreadElement(target) : withDefault(target, element.initializer);
  return ts.setTextRange(converted, element);
}
