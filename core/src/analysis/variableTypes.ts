import type { TypeExpr } from '../model/ast';
import { typeOf } from '../model/extract';
import type { SyntaxNode } from '../parse/goParser';

/**
 * The declared type of the variable `name` as seen at `use`, from the declarations a reader would look at:
 * the enclosing functions' receivers and parameters, `var name T`, `name := T{…}`, `&T{…}` or `new(T)`, and
 * package-level `var` declarations. Pointers are kept. Undefined when the type is not written down anywhere
 * syntactic (a function result, a range variable…): analyzers then stay silent rather than guess.
 */
export function declaredTypeOf(name: string, use: SyntaxNode, packageVars: Map<string, TypeExpr>): TypeExpr | undefined {
  for (let scope = use.parent; scope; scope = scope.parent) {
    if (isFunction(scope)) {
      const fromSignature = parameterType(scope, name);
      if (fromSignature) return fromSignature;
    }
    if (scope.type === 'block' || scope.type === 'source_file') {
      const local = localDeclarationType(scope, name, use.startIndex);
      if (local) return local;
    }
  }
  return packageVars.get(name);
}

function isFunction(node: SyntaxNode): boolean {
  return node.type === 'function_declaration' || node.type === 'method_declaration' || node.type === 'func_literal';
}

function parameterType(fn: SyntaxNode, name: string): TypeExpr | undefined {
  const lists = [fn.childForFieldName('receiver'), fn.childForFieldName('parameters')];
  for (const list of lists) {
    if (!list) continue;
    for (const param of list.namedChildren) {
      if (!param || param.type !== 'parameter_declaration') continue;
      if (param.childrenForFieldName('name').some((n) => n?.text === name)) {
        const type = param.childForFieldName('type');
        return type ? typeOf(type) : undefined;
      }
    }
  }
  return undefined;
}

/** The last declaration of `name` directly in `block` before `before`. */
function localDeclarationType(block: SyntaxNode, name: string, before: number): TypeExpr | undefined {
  let found: TypeExpr | undefined;
  for (const stmt of block.namedChildren) {
    if (!stmt || stmt.startIndex >= before) break;
    const inner = stmt.type === 'statement_list' ? stmt.namedChildren : [stmt];
    for (const s of inner) {
      if (!s || s.startIndex >= before) break;
      found = declarationIn(s, name) ?? found;
    }
  }
  return found;
}

function declarationIn(stmt: SyntaxNode, name: string): TypeExpr | undefined {
  if (stmt.type === 'var_declaration') {
    for (const spec of stmt.descendantsOfType('var_spec')) {
      if (!spec || !spec.childrenForFieldName('name').some((n) => n?.text === name)) continue;
      const type = spec.childForFieldName('type');
      if (type) return typeOf(type);
      const value = spec.childForFieldName('value')?.namedChildren[0];
      return value ? typeOfValue(value) : undefined;
    }
  }
  if (stmt.type === 'short_var_declaration') {
    const left = stmt.childForFieldName('left')?.namedChildren ?? [];
    const right = stmt.childForFieldName('right')?.namedChildren ?? [];
    const index = left.findIndex((n) => n?.text === name);
    if (index >= 0 && left.length === right.length && right[index]) return typeOfValue(right[index]!);
  }
  return undefined;
}

/** The type of `T{…}`, `&T{…}` and `new(T)`; nothing else is trusted. */
function typeOfValue(value: SyntaxNode): TypeExpr | undefined {
  if (value.type === 'composite_literal') {
    const type = value.childForFieldName('type');
    return type ? typeOf(type) : undefined;
  }
  if (value.type === 'unary_expression' && value.childForFieldName('operator')?.text === '&') {
    const operand = value.childForFieldName('operand');
    const inner = operand ? typeOfValue(operand) : undefined;
    return inner ? { kind: 'pointer', elem: inner } : undefined;
  }
  if (value.type === 'call_expression' && value.childForFieldName('function')?.text === 'new') {
    const arg = value.childForFieldName('arguments')?.namedChildren[0];
    return arg ? { kind: 'pointer', elem: typeOf(arg) } : undefined;
  }
  return undefined;
}

/** Drops one level of pointer: fields of `*T` are fields of `T`. */
export function dereferenced(type: TypeExpr): TypeExpr {
  return type.kind === 'pointer' ? type.elem : type;
}
