import type { TypeExpr } from '../../model/ast';
import { rangeOf, typeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { fieldTypes, functionParams, SyscallSource, syscallTableTargets } from '../../generated/syscalls';
import { targetKey } from '../../targets';
import type { Fix } from '../finding';
import { SYSCALL_SOURCE_OF, importsSyscallPackage } from '../syscallPackages';
import { Analyzer, importPathOf, nodesOfType, Pass } from '../pass';
import { declaredTypeOf, dereferenced } from '../variableTypes';

interface SyscallStruct {
  source: SyscallSource;
  qualifier: string;
  name: string;
}

/** The fixed type an expression must have where it is, and whether the field is read there, passed, or written. */
interface Required {
  type: string;
  how: 'used' | 'passed' | 'assigned';
}

export const fieldTypesAnalyzer: Analyzer = {
  name: 'fieldtype',
  ruleId: 'GAL1005',
  doc: 'Fields of syscall/unix structs whose type differs per target (Stat_t.Nlink, Timespec.Sec…) used where a fixed type is required.',
  appliesTo: importsSyscallPackage,
  run(pass) {
    const targets = pass.fileTargets.map(targetKey).filter((t) => syscallTableTargets.includes(t));
    if (targets.length < 2) return;
    for (const selector of nodesOfType(pass.root, 'selector_expression')) {
      const owner = selector.childForFieldName('operand');
      const field = selector.childForFieldName('field')?.text;
      const struct = owner && field ? syscallStructOf(pass, owner) : undefined;
      const perTarget = struct && differingTypes(struct, field!, targets);
      if (!struct || !perTarget) continue;
      const required = fixedTypeRequired(pass, selector);
      if (!required || perTarget.every((p) => p.type === required.type)) continue;
      report(pass, selector, struct, field!, perTarget, required);
    }
    for (const literal of nodesOfType(pass.root, 'composite_literal')) checkKeyedLiteral(pass, literal, targets);
  },
};

/** A struct field's type per target, when it differs between the targets; undefined when it is the same. */
function differingTypes(struct: SyscallStruct, field: string, targets: string[]): { target: string; type: string }[] | undefined {
  const types = fieldTypes(struct.source, struct.name, field);
  if (!types) return undefined;
  const perTarget = targets.filter((t) => types[t]).map((t) => ({ target: t, type: types[t] }));
  return new Set(perTarget.map((p) => p.type)).size < 2 ? undefined : perTarget;
}

/** `unix.Iovec{Len: uint64(l)}` (also under `&`, and elided in `[]unix.Iovec{{Len: …}}`): keyed values of a fixed type. */
function checkKeyedLiteral(pass: Pass, literal: SyntaxNode, targets: string[]): void {
  const type = literal.childForFieldName('type');
  const body = literal.childForFieldName('body');
  if (!type || !body) return;
  if (type.type === 'qualified_type') {
    const struct = syscallStructNamed(pass, typeOf(type));
    if (struct) checkKeyedValues(pass, struct, body, targets);
    return;
  }
  if (!['slice_type', 'array_type', 'implicit_length_array_type'].includes(type.type)) return;
  const element = type.childForFieldName('element');
  const struct = element?.type === 'qualified_type' ? syscallStructNamed(pass, typeOf(element)) : undefined;
  if (!struct) return;
  for (const item of body.namedChildren) {
    const inner = item?.type === 'literal_element' ? item.namedChildren[0] : undefined;
    if (inner?.type === 'literal_value') checkKeyedValues(pass, struct, inner, targets);
  }
}

function checkKeyedValues(pass: Pass, struct: SyscallStruct, body: SyntaxNode, targets: string[]): void {
  for (const element of body.namedChildren) {
    if (element?.type !== 'keyed_element') continue;
    const field = element.childForFieldName('key')?.text.trim();
    const value = element.childForFieldName('value')?.namedChildren[0];
    const perTarget = field && value ? differingTypes(struct, field, targets) : undefined;
    const type = perTarget && typeOfOperand(pass, value!);
    if (!perTarget || !type || perTarget.every((p) => p.type === type)) continue;
    report(pass, value!, struct, field!, perTarget, { type, how: 'assigned' });
  }
}

/**
 * The syscall/unix struct an operand holds: a variable (`var st syscall.Stat_t`, `st *unix.Stat_t` …), an element
 * of a slice or array variable (`iovs[i]` with `iovs []unix.Iovec`), either in parentheses or dereferenced.
 */
function syscallStructOf(pass: Pass, operand: SyntaxNode): SyscallStruct | undefined {
  const inner = operand.type === 'parenthesized_expression' ? operand.namedChildren[0]
    : operand.type === 'unary_expression' && operand.childForFieldName('operator')?.text === '*' ? operand.childForFieldName('operand')
      : undefined;
  if (inner !== undefined) return inner ? syscallStructOf(pass, inner) : undefined;
  if (operand.type === 'index_expression') {
    const collection = operand.childForFieldName('operand');
    return collection?.type === 'identifier' ? elementStructOf(pass, collection) : undefined;
  }
  if (operand.type !== 'identifier') return undefined;
  const declared = declaredTypeOf(operand.text, operand, pass.model.varTypes);
  return declared ? syscallStructNamed(pass, dereferenced(declared)) : undefined;
}

function syscallStructNamed(pass: Pass, type: TypeExpr): SyscallStruct | undefined {
  if (type.kind !== 'name' || !type.qualifier) return undefined;
  const importPath = importPathOf(pass.model, type.qualifier);
  return importPath && importPath in SYSCALL_SOURCE_OF ? { source: SYSCALL_SOURCE_OF[importPath], qualifier: type.qualifier, name: type.name } : undefined;
}

/**
 * The element struct of a slice or array variable, from its declaration in the enclosing functions or the file:
 * `iovs []unix.Iovec` (a parameter or var), `iovs := make([]unix.Iovec, n)`, `iovs := []unix.Iovec{…}`,
 * `var iovs [4]unix.Iovec`. The layout model keeps no element type for slices, so the declaration is read here.
 */
function elementStructOf(pass: Pass, collection: SyntaxNode): SyscallStruct | undefined {
  const name = collection.text.replace(/[^\w]/g, '');
  const declaration = new RegExp(`\\b${name}\\s*(?::?=\\s*(?:make\\(\\s*)?|\\s)\\s*\\[[^\\]]*\\]\\s*(\\w+)\\.(\\w+)`);
  for (let scope: SyntaxNode | null = collection.parent; scope; scope = scope.parent) {
    if (!['function_declaration', 'method_declaration', 'func_literal', 'source_file'].includes(scope.type)) continue;
    const m = declaration.exec(scope.text);
    if (m) return syscallStructNamed(pass, { kind: 'name', qualifier: m[1], name: m[2], args: [], text: `${m[1]}.${m[2]}` });
  }
  return undefined;
}

/**
 * The predeclared type the field must have where it appears: a typed variable declaration or assignment, a
 * comparison or arithmetic with a typed operand, a return from a function with typed results, an argument of a
 * function with a fixed integer parameter, or a write of a typed value into the field (`=`, `+=`). A conversion
 * around the field (`uint64(st.Nlink)`) is the portable form of a read, so it is never flagged.
 */
function fixedTypeRequired(pass: Pass, selector: SyntaxNode): Required | undefined {
  const parent = selector.parent;
  if (!parent) return undefined;
  switch (parent.type) {
    case 'expression_list':
      return fromDeclarationOrAssignment(pass, parent, selector);
    case 'binary_expression': {
      const other = parent.childForFieldName('left')?.equals(selector) ? parent.childForFieldName('right') : parent.childForFieldName('left');
      return used(other ? typeOfOperand(pass, other) : undefined);
    }
    case 'argument_list':
      return fromCallArgument(pass, parent, selector);
    default:
      return undefined;
  }
}

function used(type: string | undefined): Required | undefined {
  return type ? { type, how: 'used' } : undefined;
}

function fromDeclarationOrAssignment(pass: Pass, list: SyntaxNode, selector: SyntaxNode): Required | undefined {
  const holder = list.parent;
  if (!holder) return undefined;
  const index = list.namedChildren.findIndex((n) => n?.equals(selector));
  if (holder.type === 'var_spec' && holder.childForFieldName('value')?.equals(list)) {
    const type = holder.childForFieldName('type');
    return used(type ? predeclaredName(typeOf(type)) : undefined);
  }
  if (holder.type === 'assignment_statement' && holder.childForFieldName('right')?.equals(list)) {
    const target = holder.childForFieldName('left')?.namedChildren[index];
    return used(target ? typeOfOperand(pass, target) : undefined);
  }
  if (holder.type === 'assignment_statement' && holder.childForFieldName('left')?.equals(list)) {
    const source = holder.childForFieldName('right')?.namedChildren[index];
    const type = source ? typeOfOperand(pass, source) : undefined;
    return type ? { type, how: 'assigned' } : undefined;
  }
  if (holder.type === 'return_statement') {
    const result = enclosingFunction(holder)?.childForFieldName('result');
    const type = result && resultTypes(result)[index];
    return used(type ? predeclaredName(typeOf(type)) : undefined);
  }
  return undefined;
}

/**
 * An argument where the callee's parameter has a fixed integer type: a syscall/unix function (from the generated
 * table: unix.Major takes a uint64) or a function declared in this file.
 */
function fromCallArgument(pass: Pass, args: SyntaxNode, selector: SyntaxNode): Required | undefined {
  const call = args.parent;
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  if (!fn) return undefined;
  const index = args.namedChildren.findIndex((n) => n?.equals(selector));
  let params: readonly string[] | undefined;
  if (fn.type === 'selector_expression') {
    const qualifier = fn.childForFieldName('operand');
    const importPath = qualifier?.type === 'identifier' ? importPathOf(pass.model, qualifier.text) : undefined;
    const name = fn.childForFieldName('field')?.text;
    params = importPath && importPath in SYSCALL_SOURCE_OF && name ? functionParams(SYSCALL_SOURCE_OF[importPath], name) : undefined;
  } else if (fn.type === 'identifier') {
    params = ownFunctionParams(pass, fn.text);
  }
  const type = params?.[index];
  return type && PREDECLARED_NUMERIC.has(type) ? { type, how: 'passed' } : undefined;
}

/** Parameter types of a top-level function declared in this file, one per parameter (a variadic one as `...T`). */
function ownFunctionParams(pass: Pass, name: string): string[] | undefined {
  const decl = pass.root.namedChildren.find((n) => n?.type === 'function_declaration' && n.childForFieldName('name')?.text === name);
  const list = decl?.childForFieldName('parameters');
  if (!list) return undefined;
  return list.namedChildren.flatMap((param) => {
    const type = param?.childForFieldName('type');
    if (!param || !type) return [];
    const text = param.type === 'variadic_parameter_declaration' ? `...${type.text}` : type.text;
    return Array<string>(Math.max(1, param.childrenForFieldName('name').length)).fill(text);
  });
}

/** A function's result types in order: `T`, or `(a, b T, err error)` flattened to one entry per value. */
function resultTypes(result: SyntaxNode): SyntaxNode[] {
  if (result.type !== 'parameter_list') return [result];
  return result.namedChildren.flatMap((param) => {
    const type = param?.childForFieldName('type');
    if (!param || !type) return [];
    return Array<SyntaxNode>(Math.max(1, param.childrenForFieldName('name').length)).fill(type);
  });
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') return p;
  }
  return undefined;
}

/** The fixed type of an operand: a conversion `uint64(x)` or a variable whose type is written down. */
function typeOfOperand(pass: Pass, node: SyntaxNode): string | undefined {
  if (node.type === 'identifier') {
    const declared = declaredTypeOf(node.text, node, pass.model.varTypes);
    return declared ? predeclaredName(declared) : undefined;
  }
  if (node.type === 'call_expression') {
    const fn = node.childForFieldName('function');
    return fn?.type === 'identifier' && PREDECLARED_NUMERIC.has(fn.text) ? fn.text : undefined;
  }
  return undefined;
}

const PREDECLARED_NUMERIC = new Set([
  'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64',
]);

function predeclaredName(type: TypeExpr): string | undefined {
  return type.kind === 'name' && !type.qualifier && PREDECLARED_NUMERIC.has(type.name) ? type.name : undefined;
}

function report(pass: Pass, node: SyntaxNode, struct: SyscallStruct, field: string,
  perTarget: { target: string; type: string }[], required: Required): void {
  const groups = new Map<string, string[]>();
  for (const p of perTarget) groups.set(p.type, [...(groups.get(p.type) ?? []), p.target]);
  const described = [...groups].map(([type, ts]) => `${type} on ${ts.join(', ')}`).join('; ');
  const mismatched = perTarget.filter((p) => p.type !== required.type).map((p) => p.target);
  const fixed = required.type;
  const where = required.how === 'assigned' ? `set from a ${fixed} here` : `${required.how} as ${fixed} here`;
  // A read converts to the fixed type portably; a write has no single conversion that fits every target.
  const advice = required.how === 'assigned'
    ? ': convert to the field\'s type per target (per-architecture files), or use the struct\'s Set… method where x/sys has one' : '';
  const fixes: Fix[] = required.how === 'assigned' ? [] : [{
    title: `Convert to ${fixed}: ${fixed}(${node.text})`,
    preferred: true,
    edits: [{ file: pass.file, range: rangeOf(node), newText: `${fixed}(${node.text})` }],
  }];
  pass.report({
    range: rangeOf(node),
    severity: 'error',
    message: `${struct.qualifier}.${struct.name}.${field} is ${described}: ${where}, which does not compile on ${mismatched.join(', ')}${advice}`,
    fixes,
  });
}
