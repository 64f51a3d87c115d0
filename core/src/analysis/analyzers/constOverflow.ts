import type { Target } from '../../api';
import { constExprOf, rangeOf, typeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { archInfo, targetKey } from '../../targets';
import { Analyzer, importPathOf, nodesOfType, Pass, qualifiedName } from '../pass';
import { declaredTypeOf } from '../variableTypes';

const INTEGER_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);

export const constOverflow: Analyzer = {
  name: 'constoverflow',
  ruleId: 'GAL1008',
  doc: 'Constants of other packages whose value changes per target (unix.PerfBitWatermark with byte order) used where they overflow the integer type on some targets only.',
  appliesTo: (model) => model.imports.length > 0,
  run(pass) {
    if (pass.fileTargets.length < 2) return;
    const seen = new Set<number>();
    for (const selector of nodesOfType(pass.root, 'selector_expression')) {
      const name = qualifiedName(selector);
      if (!name || !importPathOf(pass.model, name[0])) continue;
      const expr = constantExpression(selector);
      if (seen.has(expr.startIndex)) continue;
      seen.add(expr.startIndex);
      const type = requiredIntegerType(pass, expr);
      if (type) check(pass, expr, type);
    }
  },
};

/** The largest constant expression around `node`: parentheses, unary and binary operators over constant operands. */
function constantExpression(node: SyntaxNode): SyntaxNode {
  let expr = node;
  for (let parent = expr.parent; parent; expr = parent, parent = parent.parent) {
    if (parent.type === 'parenthesized_expression' || parent.type === 'unary_expression') continue;
    if (parent.type !== 'binary_expression') break;
    const other = parent.childForFieldName('left')?.equals(expr) ? parent.childForFieldName('right') : parent.childForFieldName('left');
    if (!other || !looksConstant(other)) break;
  }
  return expr;
}

/** Integer literals and qualified names (package constants), combined by operators. */
function looksConstant(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'int_literal':
      return true;
    case 'selector_expression':
      return qualifiedName(node) !== undefined;
    case 'parenthesized_expression':
    case 'unary_expression':
    case 'binary_expression':
      return node.namedChildren.every((c) => !c || looksConstant(c));
    default:
      return false;
  }
}

/**
 * The integer type the constant takes where it is used: a conversion `uint32(c)`, a variable it is assigned or
 * compared to (`bits |= c` with `bits := 0` an int), a typed `var`, or `x := c` (an untyped constant defaults
 * to int). Undefined where the type is not written down.
 */
function requiredIntegerType(pass: Pass, expr: SyntaxNode): string | undefined {
  const parent = expr.parent;
  if (!parent) return undefined;
  if (parent.type === 'argument_list' && parent.namedChildren.length === 1) {
    const fn = parent.parent?.childForFieldName('function');
    return fn?.type === 'identifier' && INTEGER_TYPES.has(fn.text) ? fn.text : undefined;
  }
  if (parent.type === 'binary_expression') {
    const other = parent.childForFieldName('left')?.equals(expr) ? parent.childForFieldName('right') : parent.childForFieldName('left');
    return other?.type === 'identifier' ? variableType(pass, other) : undefined;
  }
  if (parent.type !== 'expression_list') return undefined;
  const holder = parent.parent;
  const index = parent.namedChildren.findIndex((n) => n?.equals(expr));
  if (holder?.type === 'assignment_statement' && holder.childForFieldName('right')?.equals(parent)) {
    const target = holder.childForFieldName('left')?.namedChildren[index];
    return target?.type === 'identifier' ? variableType(pass, target) : undefined;
  }
  if (holder?.type === 'short_var_declaration' && holder.childForFieldName('right')?.equals(parent)) return 'int';
  if (holder?.type === 'var_spec' && holder.childForFieldName('value')?.equals(parent)) {
    const type = holder.childForFieldName('type');
    if (!type) return 'int';
    const named = typeOf(type);
    return named.kind === 'name' && !named.qualifier && INTEGER_TYPES.has(named.name) ? named.name : undefined;
  }
  return undefined;
}

/** A variable's predeclared integer type: written down, or `v := 0` (an int). */
function variableType(pass: Pass, variable: SyntaxNode): string | undefined {
  const declared = declaredTypeOf(variable.text, variable, pass.model.varTypes);
  if (declared) return declared.kind === 'name' && !declared.qualifier && INTEGER_TYPES.has(declared.name) ? declared.name : undefined;
  const name = variable.text.replace(/\W/g, '');
  const intLiteral = new RegExp(`(?:^|[\\s;{])${name}\\s*:=\\s*(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)\\s*(?:$|[;\\n}])`, 'm');
  for (let scope = variable.parent; scope; scope = scope.parent) {
    if (scope.type === 'function_declaration' || scope.type === 'method_declaration' || scope.type === 'func_literal') {
      return intLiteral.test(scope.text) ? 'int' : undefined;
    }
  }
  return undefined;
}

function check(pass: Pass, expr: SyntaxNode, type: string): void {
  const constant = constExprOf(expr);
  const values: { target: Target; value: bigint; fits: boolean }[] = [];
  for (const target of pass.fileTargets) {
    const result = pass.oracle.evaluateConst(constant, target);
    if (!('kind' in result) || result.kind !== 'int') return;
    values.push({ target, value: result.value, fits: fitsIn(result.value, type, target) });
  }
  const overflowing = values.filter((v) => !v.fits);
  if (overflowing.length === 0 || overflowing.length === values.length) return;
  const byValue = new Map<string, string[]>();
  for (const v of values) byValue.set(v.value.toString(), [...(byValue.get(v.value.toString()) ?? []), targetKey(v.target)]);
  const described = [...byValue].map(([value, targets]) => `${value} on ${targets.join(', ')}`).join('; ');
  pass.report({
    range: rangeOf(expr),
    severity: 'error',
    message: `${expr.text} is ${described}: it overflows ${type} on ${overflowing.map((v) => targetKey(v.target)).join(', ')}, which does not compile there`,
  });
}

/** Whether `value` is representable in the predeclared integer type on `target` (int and uint follow the word size). */
function fitsIn(value: bigint, type: string, target: Target): boolean {
  const word = (archInfo(target.goarch)?.wordSize ?? 8) * 8;
  const bits = type === 'int' || type === 'uint' || type === 'uintptr' ? word : Number(type.replace(/^u?int/, ''));
  const signed = type.startsWith('int');
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  return value >= min && value <= max;
}
