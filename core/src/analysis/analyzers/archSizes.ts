import type { Target } from '../../api';
import type { TypeExpr } from '../../model/ast';
import { rangeOf, typeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { isKnown } from '../../layout/shapes';
import { targetKey } from '../../targets';
import { Analyzer, importPathOf, localNameOf, nodesOfType, Pass, qualifiedName } from '../pass';
import { declaredTypeOf, dereferenced } from '../variableTypes';

/** Packages whose calls take byte counts or raw memory: a target-dependent size there is a portability bug. */
const BYTE_LENGTH_PACKAGES = new Set(['syscall', 'golang.org/x/sys/unix', 'encoding/binary', 'unsafe']);
const BUILTINS_TAKING_LENGTHS = new Set(['make', 'copy']);

export const archSizes: Analyzer = {
  name: 'archsize',
  ruleId: 'GAL1003',
  doc: 'unsafe.Sizeof/Offsetof/Alignof values that differ between targets, used as byte lengths or in pointer arithmetic.',
  run(pass) {
    const unsafeName = localNameOf(pass.model, 'unsafe');
    if (!unsafeName || pass.fileTargets.length < 2) return;
    for (const call of nodesOfType(pass.root, 'call_expression')) {
      const callee = qualifiedName(call.childForFieldName('function'));
      if (!callee || callee[0] !== unsafeName || !['Sizeof', 'Offsetof', 'Alignof'].includes(callee[1])) continue;
      const arg = call.childForFieldName('arguments')?.namedChildren.find((n) => n !== null) ?? null;
      if (!arg) continue;
      const use = byteLengthUse(pass, call);
      if (!use) continue;
      const values = valuesPerTarget(pass, callee[1], arg);
      if (!values || new Set(values.map((v) => v.value)).size < 2) continue;
      pass.report({
        range: rangeOf(call),
        severity: 'warning',
        message: `${call.text} differs between targets (${describeValues(values)}) and is used ${use}`,
      });
    }
  },
};

/** `24 on linux/amd64, linux/arm64; 16 on linux/386, linux/arm`. */
function describeValues(values: { target: Target; value: number }[]): string {
  const groups = new Map<number, string[]>();
  for (const v of values) groups.set(v.value, [...(groups.get(v.value) ?? []), targetKey(v.target)]);
  return [...groups].map(([value, targets]) => `${value} on ${targets.join(', ')}`).join('; ');
}

/**
 * How the size is used, walking up through arithmetic and conversions: as a length for make/copy, inside a
 * slice or index expression, as an argument of syscall/unix/binary/unsafe functions, or added to a uintptr.
 * Undefined for other uses (a constant declaration, a comparison, a log line) which are not flagged.
 */
function byteLengthUse(pass: Pass, call: SyntaxNode): string | undefined {
  let node: SyntaxNode = call;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'binary_expression':
        if (parent.text.includes('uintptr(')) return 'in pointer arithmetic';
        continue;
      case 'parenthesized_expression':
      case 'argument_list':
        continue;
      case 'slice_expression':
      case 'index_expression':
        return 'as a slice bound';
      case 'call_expression':
        return callUse(pass, parent);
      default:
        return undefined;
    }
  }
  return undefined;
}

function callUse(pass: Pass, call: SyntaxNode): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') {
    if (BUILTINS_TAKING_LENGTHS.has(fn.text)) return `as a length in ${fn.text}`;
    if (fn.text === 'uintptr' || fn.text === 'int' || fn.text === 'int64') return byteLengthUse(pass, call);
    return undefined;
  }
  const chain = fn.text.split('.');
  const importPath = importPathOf(pass.model, chain[0]);
  if (importPath && BYTE_LENGTH_PACKAGES.has(importPath)) return `as an argument of ${fn.text}`;
  return undefined;
}

function valuesPerTarget(pass: Pass, fn: string, arg: SyntaxNode): { target: Target; value: number }[] | undefined {
  const values: { target: Target; value: number }[] = [];
  for (const target of pass.fileTargets) {
    const value = fn === 'Offsetof' ? offsetOf(pass, arg, target) : shapeOf(pass, arg, target, fn);
    if (value === undefined) return undefined;
    values.push({ target, value });
  }
  return values;
}

function shapeOf(pass: Pass, arg: SyntaxNode, target: Target, fn: string): number | undefined {
  const type = typeOfOperand(pass, arg);
  if (!type) return undefined;
  const layout = pass.oracle.layoutOf(type, target);
  if (!isKnown(layout)) return undefined;
  return fn === 'Sizeof' ? layout.size : layout.align;
}

function offsetOf(pass: Pass, arg: SyntaxNode, target: Target): number | undefined {
  const selector = qualifiedName(arg);
  if (!selector) return undefined;
  const owner = declaredTypeOf(selector[0], arg, pass.model.varTypes);
  if (!owner) return undefined;
  const struct = pass.oracle.structLayoutOf(dereferenced(owner), target);
  return struct?.layout.fields.find((f) => f.name === selector[1])?.offset ?? undefined;
}

/** The type of `T{}`, `T(x)`, `*p` or a variable whose type is written down; nothing else is trusted. */
function typeOfOperand(pass: Pass, arg: SyntaxNode): TypeExpr | undefined {
  if (arg.type === 'composite_literal') {
    const type = arg.childForFieldName('type');
    return type ? typeOf(type) : undefined;
  }
  if (arg.type === 'identifier') {
    const declared = declaredTypeOf(arg.text, arg, pass.model.varTypes);
    return declared;
  }
  if (arg.type === 'unary_expression' && arg.childForFieldName('operator')?.text === '*') {
    const operand = arg.childForFieldName('operand');
    const pointer = operand?.type === 'identifier' ? declaredTypeOf(operand.text, operand, pass.model.varTypes) : undefined;
    return pointer?.kind === 'pointer' ? pointer.elem : undefined;
  }
  if (arg.type === 'call_expression' || arg.type === 'type_conversion_expression') {
    const fn = arg.childForFieldName('function') ?? arg.childForFieldName('type');
    if (fn && (fn.type === 'identifier' || fn.type === 'selector_expression' || fn.type.endsWith('_type'))) {
      return fn.type === 'selector_expression' ? selectorType(fn) : typeOf(fn);
    }
  }
  return undefined;
}

/** `pkg.T` written as an expression (a conversion callee) as a type expression. */
function selectorType(node: SyntaxNode): TypeExpr | undefined {
  const name = qualifiedName(node);
  return name ? { kind: 'name', qualifier: name[0], name: name[1], args: [], text: node.text } : undefined;
}
