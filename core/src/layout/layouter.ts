import * as path from 'path';
import type { FieldLayout, StructLayout, Target } from '../api';
import type { ConstExpr, FieldDecl, TypeDecl, TypeExpr, TypeRef } from '../model/ast';
import { NestingGuard, TOO_DEEP } from '../model/nesting';
import type { ImportResolver } from '../resolve/importResolver';
import type { DeclRef, PackageScope, PackageScopes } from '../resolve/packageScopes';
import { archInfo, ArchInfo } from '../targets';
import { ConstEvaluator } from './constEval';
import { declContext, ExprContext, ImportLookup, localType } from './context';
import { arrayPtrBytes, headerShape, isKnown, LayoutResult, predeclaredShape, roundUp, Shape } from './shapes';
import { stdTableShape } from './stdTable';

/** gc refuses types this large on 32-bit targets ("type too large": sizes must fit an int32). */
const MAX_32BIT_SIZE = 2 ** 31 - 1;

/** What a type name refers to once resolved in its context. */
type NameTarget =
  | { kind: 'layout'; result: LayoutResult }
  | { kind: 'decl'; ref: DeclRef<TypeDecl>; scope: PackageScope; importPath?: string }
  | { kind: 'unknown'; reason: string };

/** Computes gc layouts for one target. Results are memoised until the engine drops this layouter after an edit. */
export class Layouter {
  readonly arch: ArchInfo;
  readonly imports: ImportLookup;
  private readonly consts: ConstEvaluator;
  private readonly memo = new Map<string, LayoutResult>();
  private readonly inProgress = new Set<string>();
  private readonly problems = new Map<string, string | undefined>();
  /** Shared with constant evaluation, which recurses into layouts (unsafe.Sizeof) and back. */
  private readonly nesting = new NestingGuard();

  constructor(readonly target: Target, scopes: PackageScopes, resolver: ImportResolver, private readonly goroot?: string) {
    const arch = archInfo(target.goarch);
    if (!arch) throw new Error(`unsupported GOARCH ${target.goarch}`);
    this.arch = arch;
    this.imports = new ImportLookup(resolver, scopes, target);
    this.consts = new ConstEvaluator({
      arch,
      imports: this.imports,
      nesting: this.nesting,
      layoutOf: (t, ctx) => this.layoutOf(t, ctx),
      underlyingBasic: (t, ctx) => this.underlyingBasic(t, ctx),
      offsetOf: (v, f, ctx) => this.offsetOf(v, f, ctx),
      layoutOfValue: (e, ctx) => this.layoutOfValue(e, ctx),
      arrayLengthOfValue: (e, ctx) => this.arrayLengthOfValue(e, ctx),
    });
  }

  /** Layout of a struct with every field's offset; `unknown` names the first field that could not be laid out. */
  structLayout(fields: FieldDecl[], ctx: ExprContext, minAlign = 1): StructLayout {
    const { entries, failure, end, lastSize, maxAlign: fieldAlign, pointers } = this.placeFields(fields, ctx);
    if (failure) {
      return { size: null, align: null, fields: entries, trailingPadding: null, ptrBytes: null,
        ptrBytesUnknown: 'the size is unknown', unknown: `field ${failure.field}: ${failure.reason}` };
    }
    if (end >= this.maxFieldEnd()) return this.tooLarge(entries);
    const align = Math.max(fieldAlign, minAlign);
    // A non-empty struct ending in a zero-size field gets a byte so that field's address stays inside the object.
    const withMarkerByte = end > 0 && entries.length > 0 && lastSize === 0 ? end + 1 : end;
    const size = roundUp(withMarkerByte, align);
    if (this.arch.wordSize === 4 && size > MAX_32BIT_SIZE) return this.tooLarge(entries);
    return { size, align, fields: entries, trailingPadding: size - end, ...pointers };
  }

  /**
   * gc's calcStructOffset rejects a struct once a field ends at or beyond MAXWIDTH; on 32-bit targets, where
   * reflect stores field offsets in 31 bits, at or beyond 2^31-1.
   */
  private maxFieldEnd(): number {
    return this.arch.maxWidth < 2 ** 32 ? 2 ** 31 - 1 : this.arch.maxWidth;
  }

  private tooLarge(entries: FieldLayout[]): StructLayout {
    return { size: null, align: null, fields: entries, trailingPadding: null, ptrBytes: null, ptrBytesUnknown: 'the size is unknown',
      unknown: `invalid type: too large for ${this.target.goarch} (gc rejects it: "type … too large")` };
  }

  /** Assigns offsets in declaration order, each rounded up to the field's alignment. */
  private placeFields(fields: FieldDecl[], ctx: ExprContext) {
    const entries: FieldLayout[] = [];
    let end = 0;
    let maxAlign = 1;
    let lastSize = 0;
    let failure: { field: string; reason: string } | undefined;
    // Fields come at rising offsets, so the last one holding pointers ends the scanned prefix.
    let pointers: { ptrBytes: number | null; ptrBytesUnknown?: string } = { ptrBytes: 0 };
    for (const field of fields) {
      const result = this.layoutOf(field.type, ctx);
      for (const name of fieldNames(field)) {
        if (!isKnown(result) || failure) {
          failure ??= { field: name, reason: isKnown(result) ? 'unknown' : result.unknown };
          entries.push({
            name, offset: null, size: isKnown(result) ? result.size : null, align: isKnown(result) ? result.align : null,
            paddingBefore: null, ptrBytes: isKnown(result) ? result.ptrBytes : null,
            unknown: isKnown(result) ? `follows field ${failure.field}, whose size is unknown` : result.unknown,
          });
          continue;
        }
        const offset = roundUp(end, result.align);
        entries.push({ name, offset, size: result.size, align: result.align, paddingBefore: offset - end, ptrBytes: result.ptrBytes });
        if (result.ptrBytes === null) pointers = { ptrBytes: null, ptrBytesUnknown: `field ${name}: ${result.ptrUnknown ?? 'unknown'}` };
        else if (result.ptrBytes > 0 && pointers.ptrBytes !== null) pointers = { ptrBytes: offset + result.ptrBytes };
        end = offset + result.size;
        maxAlign = Math.max(maxAlign, result.align);
        lastSize = result.size;
      }
    }
    return { entries, failure, end, lastSize, maxAlign, pointers };
  }

  layoutOf(type: TypeExpr, ctx: ExprContext): LayoutResult {
    return this.nesting.descend(() => this.layoutOfType(type, ctx), () => ({ unknown: TOO_DEEP }));
  }

  private layoutOfType(type: TypeExpr, ctx: ExprContext): LayoutResult {
    switch (type.kind) {
      case 'pointer': return headerShape('pointer', this.arch);
      case 'slice': case 'map': case 'chan': case 'func': case 'interface':
        return headerShape(type.kind, this.arch);
      case 'array': return this.arrayLayout(type.length, type.elem, ctx);
      case 'struct': {
        const layout = this.structLayout(type.fields, ctx);
        if (layout.size !== null) return { size: layout.size, align: layout.align!, ptrBytes: layout.ptrBytes, ptrUnknown: layout.ptrBytesUnknown };
        // Report the innermost cause once rather than a chain of "field x: field y: …".
        const inner = layout.fields.find((f) => f.offset === null && f.size === null);
        return { unknown: inner?.unknown ?? layout.unknown ?? 'unknown struct' };
      }
      case 'unsupported': return { unknown: type.reason === TOO_DEEP ? TOO_DEEP : `${type.reason}: ${type.text}` };
      case 'name': return this.namedLayout(type, ctx);
    }
  }

  private arrayLayout(lengthExpr: ConstExpr, elem: TypeExpr, ctx: ExprContext): LayoutResult {
    const length = this.consts.evaluate(lengthExpr, ctx);
    if ('unknown' in length) return { unknown: `array length: ${length.unknown}` };
    if (length.kind !== 'int' || length.value < 0n) return { unknown: 'array length is not a non-negative integer' };
    // An array length is an int: at most 2^31-1 on 32-bit targets ("invalid array length" from the type checker).
    if (length.value > (1n << BigInt(this.arch.wordSize * 8 - 1)) - 1n) {
      return { unknown: `invalid array length ${length.value} on ${this.target.goarch} (does not fit in an int)` };
    }
    const elemLayout = this.layoutOf(elem, ctx);
    if (!isKnown(elemLayout)) return elemLayout;
    // cmd/compile's CalcArraySize: more elements than (MAXWIDTH-1)/elemsize do not fit the address space.
    if (elemLayout.size > 0 && length.value > BigInt(Math.floor((this.arch.maxWidth - 1) / elemLayout.size))) {
      return { unknown: `invalid type: [${length.value}] array larger than the ${this.target.goarch} address space (gc rejects it)` };
    }
    const size = Number(length.value) * elemLayout.size;
    if (this.arch.wordSize === 4 && size > MAX_32BIT_SIZE) {
      return { unknown: `invalid type: array too large for ${this.target.goarch} (gc rejects it: "type … too large")` };
    }
    return { size, align: elemLayout.align, ...arrayPtrBytes(Number(length.value), elemLayout) };
  }

  private namedLayout(type: Extract<TypeExpr, { kind: 'name' }>, ctx: ExprContext): LayoutResult {
    const target = this.resolveName(type, ctx);
    if (target.kind === 'layout') return target.result;
    if (target.kind === 'unknown') return { unknown: target.reason };
    return this.declLayout(target.ref, target.scope, type.args, ctx);
  }

  private declLayout(ref: DeclRef<TypeDecl>, scope: PackageScope, argExprs: TypeExpr[], useCtx: ExprContext): LayoutResult {
    const decl = ref.decl;
    if (decl.typeParams.length !== argExprs.length) {
      return { unknown: decl.typeParams.length === 0 ? `${decl.name} is not generic`
        : `generic type ${decl.name} needs ${decl.typeParams.length} type argument(s)` };
    }
    const problem = this.declProblem(ref, scope);
    if (problem) return { unknown: problem };
    const args = argExprs.map((a) => this.layoutOf(a, useCtx));
    // Pointer bytes too: Box[*int] and Box[uintptr] share a size but not what the collector scans.
    const argKey = args.map((a) => (isKnown(a) ? `${a.size}:${a.align}:${a.ptrBytes ?? '?'}` : '?')).join(',');
    const key = `${ref.path}|${decl.localScope?.[0] ?? ''}|${decl.name}|${argKey}`;
    if (this.inProgress.has(key)) return { unknown: `invalid recursive type ${decl.name}` };
    return this.nesting.memoised(this.memo, key, () => {
      this.inProgress.add(key);
      const typeArgs = new Map(decl.typeParams.map((p, i) => [p, args[i]] as [string, LayoutResult]));
      try {
        const result = this.layoutOf(decl.type, declContext(ref, scope, typeArgs));
        const minAlign = this.declMinAlign(ref);
        return isKnown(result) && result.align < minAlign ? { ...result, align: minAlign, size: roundUp(result.size, minAlign) } : result;
      } finally {
        this.inProgress.delete(key);
      }
    });
  }

  /**
   * Why gc rejects a declaration whatever it is used for: an alias that refers to itself (through any type,
   * `type P = *P`), or a generic type whose instantiations grow without end (`type G[T any] struct{ n *G[G[T]] }`).
   */
  declProblem(ref: DeclRef<TypeDecl>, scope: PackageScope): string | undefined {
    const decl = ref.decl;
    if (!decl.refs) return undefined;
    const key = `${ref.path}|${decl.localScope?.[0] ?? ''}|${decl.name}`;
    if (!this.problems.has(key)) {
      const problem = decl.isAlias && this.aliasRefersToItself(ref, scope) ? `invalid recursive type: ${decl.name} refers to itself`
        : decl.typeParams.length > 0 && this.instantiationCycle(ref, scope) ? `instantiation cycle: ${decl.name}'s type arguments grow without end (gc rejects it)`
          : undefined;
      this.problems.set(key, problem);
    }
    return this.problems.get(key);
  }

  /** The declarations a declaration's type mentions by name (in its own package: imports cannot cycle back). */
  private mentioned(ref: DeclRef<TypeDecl>, scope: PackageScope): { mention: TypeRef; ref: DeclRef<TypeDecl>; scope: PackageScope }[] {
    const ctx = declContext(ref, scope);
    const found: { mention: TypeRef; ref: DeclRef<TypeDecl>; scope: PackageScope }[] = [];
    for (const mention of ref.decl.refs ?? []) {
      if (mention.qualifier || ref.decl.typeParams.includes(mention.name)) continue;
      const target = this.resolveName({ kind: 'name', name: mention.name, args: [], text: mention.name }, ctx);
      if (target.kind === 'decl') found.push({ mention, ref: target.ref, scope: target.scope });
    }
    return found;
  }

  private aliasRefersToItself(start: DeclRef<TypeDecl>, scope: PackageScope): boolean {
    const seen = new Set<TypeDecl>();
    const todo = [{ ref: start, scope }];
    while (todo.length > 0) {
      const next = todo.pop()!;
      for (const { ref, scope: s } of this.mentioned(next.ref, next.scope)) {
        if (!ref.decl.isAlias) continue;
        if (ref.decl === start.decl) return true;
        if (!seen.has(ref.decl)) {
          seen.add(ref.decl);
          todo.push({ ref, scope: s });
        }
      }
    }
    return false;
  }

  /**
   * The type checker's test for infinite instantiation: type parameters flow into the parameters of the generic
   * types instantiated with them; a flow that comes back to where it started after wrapping the parameter in a
   * type (`G[T]` → `G[*T]`) at least once never ends.
   */
  private instantiationCycle(start: DeclRef<TypeDecl>, scope: PackageScope): boolean {
    for (const param of start.decl.typeParams) {
      const seen = new Set<string>();
      const todo: { ref: DeclRef<TypeDecl>; scope: PackageScope; param: string; grew: boolean }[] = [{ ref: start, scope, param, grew: false }];
      while (todo.length > 0) {
        const at = todo.pop()!;
        for (const { mention, ref, scope: s } of this.mentioned(at.ref, at.scope)) {
          for (const [i, arg] of mention.args.entries()) {
            const target = ref.decl.typeParams[i];
            if (target === undefined || !arg.names.includes(at.param)) continue;
            const grew = at.grew || arg.bare !== at.param;
            if (ref.decl === start.decl && target === param && grew) return true;
            const key = `${ref.path}|${ref.decl.name}|${target}|${grew}`;
            if (!seen.has(key)) {
              seen.add(key);
              todo.push({ ref, scope: s, param: target, grew });
            }
          }
        }
      }
    }
    return false;
  }

  /** Finds what a type name denotes: a type argument, a declaration, a predeclared type or a table entry. */
  private resolveName(type: Extract<TypeExpr, { kind: 'name' }>, ctx: ExprContext): NameTarget {
    const { qualifier, name } = type;
    if (qualifier) return this.resolveQualified(qualifier, name, ctx);
    const bound = ctx.typeArgs?.get(name);
    if (bound) return { kind: 'layout', result: bound };
    const ref = localType(ctx, name) ?? ctx.scope.types.get(name);
    if (ref) return { kind: 'decl', ref, scope: ctx.scope };
    const predeclared = predeclaredShape(name, this.arch);
    if (predeclared) return { kind: 'layout', result: predeclared };
    for (const scope of this.imports.dotImports(ctx)) {
      const dotRef = scope.types.get(name);
      if (dotRef) return { kind: 'decl', ref: dotRef, scope };
    }
    return { kind: 'unknown', reason: `undefined: ${name}` };
  }

  private resolveQualified(qualifier: string, name: string, ctx: ExprContext): NameTarget {
    const target = this.imports.lookup(ctx, qualifier);
    switch (target.kind) {
      case 'unsafe':
        return name === 'Pointer' ? { kind: 'layout', result: headerShape('pointer', this.arch) }
          : { kind: 'unknown', reason: `unsafe.${name} is not a type` };
      case 'cgo':
        return { kind: 'unknown', reason: `C.${name} is a cgo type: its layout comes from C headers, which are not read` };
      case 'missing':
        return { kind: 'unknown', reason: target.reason };
      case 'stdTableOnly': {
        const shape = stdTableShape(target.importPath, name, this.target.goos, this.target.goarch);
        return shape ? { kind: 'layout', result: shape }
          : { kind: 'unknown', reason: `${target.importPath}.${name}: standard library sources are not available (no GOROOT) and the type is not in the built-in table` };
      }
      case 'package': {
        const ref = target.scope.types.get(name);
        if (ref) return { kind: 'decl', ref, scope: target.scope, importPath: target.importPath };
        return { kind: 'unknown', reason: `undefined: ${qualifier}.${name} (not declared for ${this.target.goos}/${this.target.goarch})` };
      }
    }
  }

  /**
   * The least alignment gc gives a declared struct type whatever its fields: 8 for the zero-size `align64` marker
   * of sync/atomic and internal/runtime/atomic (cmd/compile's CalcStructSize recognises the type by name), so that
   * every struct, array or type holding one is 8-byte aligned on 32-bit targets too.
   */
  declMinAlign(ref: DeclRef<TypeDecl>): number {
    if (ref.decl.name !== 'align64' || ref.decl.localScope || ref.decl.isAlias || ref.decl.type.kind !== 'struct' || !this.goroot) return 1;
    const dir = path.dirname(ref.path);
    const src = path.join(this.goroot, 'src');
    return dir === path.join(src, 'sync', 'atomic') || dir === path.join(src, 'internal', 'runtime', 'atomic') ? 8 : 1;
  }

  /** The predeclared integer type a (possibly named) type stands for, following named types. */
  underlyingBasic(type: TypeExpr, ctx: ExprContext, depth = 0): string | undefined {
    if (type.kind !== 'name' || depth > 16) return undefined;
    const target = this.resolveName(type, ctx);
    if (target.kind !== 'decl') return target.kind === 'layout' && !type.qualifier && predeclaredShape(type.name, this.arch) ? type.name : undefined;
    return this.underlyingBasic(target.ref.decl.type, declContext(target.ref, target.scope), depth + 1);
  }

  /**
   * The struct a named type stands for (`Header`, `Box[uint64]`, `pkg.T`), following aliases and defined types
   * and binding generic types' parameters to the layouts of their arguments; undefined when it is no struct.
   */
  namedStruct(type: TypeExpr, ctx: ExprContext): { fields: FieldDecl[]; ctx: ExprContext } | { unknown: string } | undefined {
    for (let depth = 0; type.kind === 'name'; depth++) {
      if (depth > 32) return { unknown: `too many named types in a row behind ${type.text}` };
      const target = this.resolveName(type, ctx);
      if (target.kind === 'unknown') return { unknown: target.reason };
      if (target.kind === 'layout') return undefined;
      const problem = this.declProblem(target.ref, target.scope);
      if (problem) return { unknown: problem };
      const decl = target.ref.decl;
      if (decl.typeParams.length !== type.args.length) return undefined;
      const args = type.args;
      const useCtx = ctx;
      const typeArgs = decl.typeParams.length === 0 ? undefined
        : new Map(decl.typeParams.map((p, i) => [p, this.layoutOf(args[i], useCtx)] as [string, LayoutResult]));
      ctx = declContext(target.ref, target.scope, typeArgs);
      type = decl.type;
    }
    return type.kind === 'struct' ? { fields: type.fields, ctx } : undefined;
  }

  /** Whether a name (written where a value could also stand, `F[Box[int]]`) denotes a declared type. */
  namesType(type: TypeExpr, ctx: ExprContext): boolean {
    return type.kind === 'name' && this.resolveName(type, ctx).kind === 'decl';
  }

  /** The struct fields behind a type expression (following names), with the context they are written in. */
  structFields(type: TypeExpr, ctx: ExprContext): { fields: FieldDecl[]; ctx: ExprContext; struct: TypeExpr } | undefined {
    const found = this.underlying(type, ctx);
    return found?.type.kind === 'struct' ? { fields: found.type.fields, ctx: found.ctx, struct: found.type } : undefined;
  }

  private offsetOf(variable: string, field: string, ctx: ExprContext): LayoutResult & { offset?: number } {
    const varRef = ctx.scope.vars.get(variable);
    if (!varRef) return { unknown: `unsafe.Offsetof: ${variable} is not a package variable with a declared type` };
    const varCtx: ExprContext = { scope: ctx.scope, file: varRef.file, filePath: varRef.path };
    const struct = this.structFields(varRef.decl, varCtx);
    if (!struct) return { unknown: `unsafe.Offsetof: ${variable} is not a struct` };
    const layout = this.structLayout(struct.fields, struct.ctx);
    const entry = layout.fields.find((f) => f.name === field);
    if (!entry) return { unknown: `unsafe.Offsetof: ${variable} has no field ${field}` };
    if (entry.offset === null) return { unknown: entry.unknown ?? 'unknown offset' };
    return { size: entry.size!, align: entry.align!, ptrBytes: entry.ptrBytes, offset: entry.offset };
  }

  /** Layout of the type of the value an unsafe.Sizeof/Alignof argument denotes. */
  private layoutOfValue(expr: ConstExpr, ctx: ExprContext): LayoutResult {
    if (expr.kind === 'typed') return this.layoutOf(expr.type, ctx);
    if (expr.kind === 'selector') {
      const typed = this.typeOfValue(expr, ctx);
      return typed ? this.layoutOf(typed.type, typed.ctx) : { unknown: `unsafe.Sizeof argument: no field ${expr.field} found` };
    }
    if (expr.kind === 'call' && expr.args.length === 1) {
      if (!expr.callee.qualifier && expr.callee.name === 'new') return headerShape('pointer', this.arch);
      const asType: TypeExpr = { kind: 'name', qualifier: expr.callee.qualifier, name: expr.callee.name, args: expr.typeArgs, text: expr.callee.name };
      const named = this.resolveName(asType, ctx);
      if (named.kind !== 'unknown') return this.layoutOf(asType, ctx);
    }
    if (expr.kind === 'ref' && !expr.qualifier) {
      const varRef = ctx.scope.vars.get(expr.name);
      if (varRef) return this.layoutOf(varRef.decl, { scope: ctx.scope, file: varRef.file, filePath: varRef.path });
    }
    if (expr.kind === 'ref' && expr.qualifier && this.imports.lookup(ctx, expr.qualifier).kind === 'missing') {
      const field = this.offsetOf(expr.qualifier, expr.name, ctx);
      return isKnown(field) ? { size: field.size, align: field.align, ptrBytes: field.ptrBytes } : field;
    }
    const value = this.consts.evaluate(expr, ctx);
    if ('unknown' in value) return { unknown: `unsafe.Sizeof argument: ${value.unknown}` };
    return this.consts.shapeOfValue(value);
  }

  /** `len`/`cap` of an array-typed value: the array type's length, evaluated where the type is written. */
  private arrayLengthOfValue(expr: ConstExpr, ctx: ExprContext) {
    const typed = this.typeOfValue(expr, ctx);
    const array = typed && this.underlying(typed.type, typed.ctx);
    if (!array || array.type.kind !== 'array') {
      return { unknown: 'len/cap is constant only for arrays, and this value is not a known array' };
    }
    return this.consts.evaluate(array.type.length, array.ctx);
  }

  /** The written type of a value expression: `T{…}`, a package variable, or a field of one. */
  private typeOfValue(expr: ConstExpr, ctx: ExprContext): { type: TypeExpr; ctx: ExprContext } | undefined {
    if (expr.kind === 'typed') return { type: expr.type, ctx };
    if (expr.kind === 'selector') {
      // `T{}.f` (x/sys: len(ifreq{}.Ifru)): the field's written type, in the struct's context.
      const base = this.typeOfValue(expr.operand, ctx);
      const struct = base && this.structFields(base.type, base.ctx);
      const field = struct?.fields.find((f) => f.names.some((n) => n.name === expr.field));
      return field && struct ? { type: field.type, ctx: struct.ctx } : undefined;
    }
    if (expr.kind !== 'ref') return undefined;
    const variable = ctx.scope.vars.get(expr.qualifier ?? expr.name);
    if (!variable) return undefined;
    const varCtx: ExprContext = { scope: ctx.scope, file: variable.file, filePath: variable.path };
    if (!expr.qualifier) return { type: variable.decl, ctx: varCtx };
    const struct = this.structFields(variable.decl, varCtx);
    const field = struct?.fields.find((f) => f.names.some((n) => n.name === expr.name));
    return field && struct ? { type: field.type, ctx: struct.ctx } : undefined;
  }

  /** Follows named types (not generic ones) to the type literal they stand for. */
  private underlying(type: TypeExpr, ctx: ExprContext, depth = 0): { type: TypeExpr; ctx: ExprContext } | undefined {
    if (type.kind !== 'name') return { type, ctx };
    if (depth > 16) return undefined;
    const target = this.resolveName(type, ctx);
    if (target.kind !== 'decl' || target.ref.decl.typeParams.length > 0) return undefined;
    return this.underlying(target.ref.decl.type, declContext(target.ref, target.scope), depth + 1);
  }

  /** Evaluates an integer constant expression for this target (used by analyzers and tests). */
  evaluateConst(expr: ConstExpr, ctx: ExprContext) {
    return this.consts.evaluate(expr, ctx);
  }
}

/** Names a field contributes: declared names, or the type's name for an embedded field. */
export function fieldNames(field: FieldDecl): string[] {
  if (!field.embedded) return field.names.map((n) => n.name);
  let type = field.type;
  if (type.kind === 'pointer') type = type.elem;
  return [type.kind === 'name' ? type.name : '?'];
}

export type { Shape };
