import type { TypeExpr } from '../../model/ast';
import { rangeOf, typeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { fieldTypes, SyscallSource, syscallTableTargets } from '../../generated/syscalls';
import { targetKey } from '../../targets';
import { SYSCALL_SOURCE_OF, importsSyscallPackage } from '../syscallPackages';
import { Analyzer, importPathOf, nodesOfType, Pass } from '../pass';
import { declaredTypeOf, dereferenced } from '../variableTypes';


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
      if (owner?.type !== 'identifier' || !field) continue;
      const struct = syscallStructOf(pass, owner);
      if (!struct) continue;
      const types = fieldTypes(struct.source, struct.name, field);
      if (!types) continue;
      const perTarget = targets.filter((t) => types[t]).map((t) => ({ target: t, type: types[t] }));
      if (new Set(perTarget.map((p) => p.type)).size < 2) continue;
      const fixed = fixedTypeRequired(pass, selector);
      if (!fixed || perTarget.every((p) => p.type === fixed)) continue;
      report(pass, selector, struct.qualifier, struct.name, field, perTarget, fixed);
    }
  },
};

/** The syscall/unix struct a variable holds (`var st syscall.Stat_t`, `st *unix.Stat_t` …). */
function syscallStructOf(pass: Pass, variable: SyntaxNode): { source: SyscallSource; qualifier: string; name: string } | undefined {
  const declared = declaredTypeOf(variable.text, variable, pass.model.varTypes);
  const type = declared && dereferenced(declared);
  if (type?.kind !== 'name' || !type.qualifier) return undefined;
  const importPath = importPathOf(pass.model, type.qualifier);
  return importPath && importPath in SYSCALL_SOURCE_OF ? { source: SYSCALL_SOURCE_OF[importPath], qualifier: type.qualifier, name: type.name } : undefined;
}

/**
 * The predeclared type the expression must have where it is used: a typed variable declaration or assignment,
 * a comparison or arithmetic with a typed operand, or a return from a function with one result. A conversion
 * around the field (`uint64(st.Nlink)`) is the portable form, so it is never flagged.
 */
function fixedTypeRequired(pass: Pass, selector: SyntaxNode): string | undefined {
  const parent = selector.parent;
  if (!parent) return undefined;
  switch (parent.type) {
    case 'expression_list':
      return fromDeclarationOrAssignment(pass, parent, selector);
    case 'binary_expression': {
      const other = parent.childForFieldName('left')?.equals(selector) ? parent.childForFieldName('right') : parent.childForFieldName('left');
      return other ? typeOfOperand(pass, other) : undefined;
    }
    default:
      return undefined;
  }
}

function fromDeclarationOrAssignment(pass: Pass, list: SyntaxNode, selector: SyntaxNode): string | undefined {
  const holder = list.parent;
  if (!holder) return undefined;
  const index = list.namedChildren.findIndex((n) => n?.equals(selector));
  if (holder.type === 'var_spec' && holder.childForFieldName('value')?.equals(list)) {
    const type = holder.childForFieldName('type');
    return type ? predeclaredName(typeOf(type)) : undefined;
  }
  if (holder.type === 'assignment_statement' && holder.childForFieldName('right')?.equals(list)) {
    const target = holder.childForFieldName('left')?.namedChildren[index];
    return target ? typeOfOperand(pass, target) : undefined;
  }
  if (holder.type === 'return_statement') {
    const result = enclosingFunction(holder)?.childForFieldName('result');
    const type = result && resultTypes(result)[index];
    return type ? predeclaredName(typeOf(type)) : undefined;
  }
  return undefined;
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

function report(pass: Pass, selector: SyntaxNode, qualifier: string, struct: string, field: string,
  perTarget: { target: string; type: string }[], fixed: string): void {
  const groups = new Map<string, string[]>();
  for (const p of perTarget) groups.set(p.type, [...(groups.get(p.type) ?? []), p.target]);
  const described = [...groups].map(([type, ts]) => `${type} on ${ts.join(', ')}`).join('; ');
  const mismatched = perTarget.filter((p) => p.type !== fixed).map((p) => p.target);
  pass.report({
    range: rangeOf(selector),
    severity: 'error',
    message: `${qualifier}.${struct}.${field} is ${described}: used as ${fixed} here, which does not compile on ${mismatched.join(', ')}`,
    fixes: [{
      title: `Convert to ${fixed}: ${fixed}(${selector.text})`,
      preferred: true,
      edits: [{ file: pass.file, range: rangeOf(selector), newText: `${fixed}(${selector.text})` }],
    }],
  });
}
