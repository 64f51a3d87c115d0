import type { Target } from '../../api';
import type { TypeExpr } from '../../model/ast';
import { rangeOf, typeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { isKnown } from '../../layout/shapes';
import { targetKey } from '../../targets';
import { Analyzer, importPathOf, localNameOf, nodesOfType, Pass, qualifiedName } from '../pass';
import { declaredTypeOf, dereferenced } from '../variableTypes';

/**
 * Packages whose calls carry sizes across the process boundary: to the kernel, or into an encoded byte stream.
 * A size that differs per target there means a different ABI or wire format per target.
 */
const BOUNDARY_PACKAGES = new Set(['syscall', 'golang.org/x/sys/unix', 'encoding/binary']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '<<', '|']);
/** Packages whose struct types mirror the kernel's ABI: their size per target is the kernel's, so using it is right. */
const KERNEL_ABI_PACKAGES = new Set(['syscall', 'golang.org/x/sys/unix', 'golang.org/x/sys/windows']);
const INTEGER_CONVERSIONS = new Set(['uintptr', 'int', 'int32', 'int64', 'uint', 'uint32', 'uint64']);

export const archSizes: Analyzer = {
  name: 'archsize',
  ruleId: 'GAL1003',
  doc: 'unsafe.Sizeof/Offsetof/Alignof values that differ between targets, used as byte lengths or in pointer arithmetic.',
  appliesTo: (model) => model.imports.some((i) => i.path === 'unsafe'),
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
 * Where the size ends up, walking up through arithmetic, parentheses and integer conversions. Only uses that
 * take the size out of the program's own memory are reported: a byte buffer's length or bounds, a byte view of a
 * value, a kernel call, an encoder, or a walk over a byte buffer. Comparisons, constants and pointer arithmetic
 * over Go-allocated values are portable (the size adapts with the layout) and are not reported.
 */
function byteLengthUse(pass: Pass, call: SyntaxNode): string | undefined {
  let node: SyntaxNode = call;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'parenthesized_expression':
      case 'argument_list':
        continue;
      case 'binary_expression': {
        const op = parent.childForFieldName('operator')?.text ?? '';
        if (!ARITHMETIC.has(op)) return undefined;
        if (walksByteBuffer(parent)) return 'to step through a byte buffer';
        continue;
      }
      case 'slice_expression':
      case 'index_expression':
        return isByteSlice(pass, parent.childForFieldName('operand')) && node !== parent.childForFieldName('operand')
          ? 'as a bound of a byte slice' : undefined;
      case 'call_expression': {
        const use = callUse(pass, parent);
        if (use !== 'conversion') return use;
        continue;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** `unsafe.Slice((*byte)(p), n)`: the value's memory seen as bytes (other element types count elements). */
function viewsBytes(call: SyntaxNode): boolean {
  const first = call.childForFieldName('arguments')?.namedChildren[0];
  return !!first && /^\(\s*\*\s*(byte|uint8)\s*\)/.test(first.text);
}

/** `&buf[i]` inside the arithmetic: the pointer walks a byte buffer whose contents came from outside. */
function walksByteBuffer(expr: SyntaxNode): boolean {
  return /&\s*[A-Za-z_][A-Za-z0-9_.]*\[/.test(expr.text);
}

function isByteSlice(pass: Pass, operand: SyntaxNode | null): boolean {
  if (!operand || operand.type !== 'identifier') return false;
  const declared = declaredTypeOf(operand.text, operand, pass.model.varTypes);
  return declared?.kind === 'slice' || declared?.kind === 'array';
}

function callUse(pass: Pass, call: SyntaxNode): string | 'conversion' | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') {
    if (INTEGER_CONVERSIONS.has(fn.text)) return 'conversion';
    if (fn.text === 'make' && /^make\(\s*\[\](byte|uint8)\b/.test(call.text)) return 'as the length of a byte buffer (make)';
    return undefined;
  }
  const boundary = packageReachedThrough(pass, fn);
  if (boundary && BOUNDARY_PACKAGES.has(boundary)) return `as an argument of ${fn.text}`;
  const name = qualifiedName(fn);
  if (!name) return undefined;
  const importPath = importPathOf(pass.model, name[0]);
  if (importPath === 'unsafe' && (name[1] === 'String' || (name[1] === 'Slice' && viewsBytes(call)))) {
    return `as the length of a byte view (${fn.text})`;
  }
  if (importPath === 'unsafe' && name[1] === 'Add' && walksByteBuffer(call)) return 'to step through a byte buffer';
  return undefined;
}

/**
 * The imported package a callee belongs to: `binary.Write`, or `binary.LittleEndian.PutUint32` through a package
 * variable (the byte order methods are how most code writes encoding/binary).
 */
function packageReachedThrough(pass: Pass, fn: SyntaxNode): string | undefined {
  let operand: SyntaxNode | null = fn;
  while (operand?.type === 'selector_expression') operand = operand.childForFieldName('operand');
  return operand && operand !== fn && operand.type === 'identifier' ? importPathOf(pass.model, operand.text) : undefined;
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
  if (!type || isKernelAbiType(pass, type)) return undefined;
  const layout = pass.oracle.layoutOf(type, target);
  if (!isKnown(layout)) return undefined;
  return fn === 'Sizeof' ? layout.size : layout.align;
}

function offsetOf(pass: Pass, arg: SyntaxNode, target: Target): number | undefined {
  const selector = qualifiedName(arg);
  if (!selector) return undefined;
  const owner = declaredTypeOf(selector[0], arg, pass.model.varTypes);
  if (!owner || isKernelAbiType(pass, dereferenced(owner))) return undefined;
  const struct = pass.oracle.structLayoutOf(dereferenced(owner), target);
  return struct?.layout.fields.find((f) => f.name === selector[1])?.offset ?? undefined;
}

/**
 * `syscall.Dirent`, `unix.Cmsghdr`, arrays of them: types declared to match the kernel's layout on each target.
 * A buffer sized by them has the size the kernel reads or writes there, so a per-target difference is correct.
 */
function isKernelAbiType(pass: Pass, type: TypeExpr): boolean {
  if (type.kind === 'array') return isKernelAbiType(pass, type.elem);
  if (type.kind !== 'name' || !type.qualifier) return false;
  const importPath = importPathOf(pass.model, type.qualifier);
  return importPath !== undefined && KERNEL_ABI_PACKAGES.has(importPath);
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
