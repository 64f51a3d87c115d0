import type { ConstExpr, TypeExpr } from '../model/ast';
import { TOO_DEEP, type NestingGuard } from '../model/nesting';
import type { ArchInfo } from '../targets';
import { localConst, type ExprContext, type ImportLookup } from './context';
import { integerBits, isKnown, LayoutResult, predeclaredShape, Shape } from './shapes';

export type ConstValue =
  | { kind: 'int'; value: bigint; basic?: string }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean };

export type ConstResult = ConstValue | { unknown: string };

/** What constant evaluation needs from the layout side (unsafe.Sizeof and friends, and named types). */
export interface ConstEnvironment {
  arch: ArchInfo;
  imports: ImportLookup;
  /** Bounds the recursion of constants defined by constants (and of the layouts they ask for). */
  nesting: NestingGuard;
  layoutOf(type: TypeExpr, ctx: ExprContext): LayoutResult;
  /** The predeclared integer type under a named type (`type Kind uint8` → uint8), if any. */
  underlyingBasic(type: TypeExpr, ctx: ExprContext): string | undefined;
  /** Offset of field `field` of the struct-typed package variable `variable`. */
  offsetOf(variable: string, field: string, ctx: ExprContext): LayoutResult & { offset?: number };
  /** Layout of the type of a package variable or constant named by an expression. */
  layoutOfValue(expr: ConstExpr, ctx: ExprContext): LayoutResult;
  /** The length of an array-typed value (`len(table)`, `len([4]int{})`, `len(v.field)`), constant in Go. */
  arrayLengthOfValue(expr: ConstExpr, ctx: ExprContext): ConstResult;
}

const failed = (reason: string): ConstResult => ({ unknown: reason });

/** Evaluates Go constant expressions for one target, with iota and constants from the package and its imports. */
export class ConstEvaluator {
  private readonly memo = new Map<string, ConstResult>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly env: ConstEnvironment) {}

  evaluate(expr: ConstExpr, ctx: ExprContext, iota?: number): ConstResult {
    switch (expr.kind) {
      case 'int': return { kind: 'int', value: expr.value };
      case 'string': return { kind: 'string', value: expr.value };
      case 'bool': return { kind: 'bool', value: expr.value };
      case 'iota':
        return iota === undefined ? failed('iota outside a constant declaration') : { kind: 'int', value: BigInt(iota) };
      case 'ref': return this.reference(expr.name, expr.qualifier, ctx);
      case 'unary': return this.unary(expr.op, this.evaluate(expr.operand, ctx, iota));
      case 'binary':
        return this.binary(expr.op, this.evaluate(expr.left, ctx, iota), this.evaluate(expr.right, ctx, iota));
      case 'call': return this.call(expr, ctx, iota);
      case 'literalLength': return this.literalLength(expr.runs, ctx);
      default: return failed(`\`${'text' in expr ? expr.text : expr.kind}\` is not a constant the engine can evaluate`);
    }
  }

  private literalLength(runs: Extract<ConstExpr, { kind: 'literalLength' }>['runs'], ctx: ExprContext): ConstResult {
    let next = 0n;
    let length = 0n;
    for (const run of runs) {
      if (run.key) {
        const key = this.evaluate(run.key, ctx);
        if ('unknown' in key) return failed(`array literal index: ${key.unknown}`);
        if (key.kind !== 'int' || key.value < 0n) return failed('array literal index is not a non-negative integer');
        next = key.value;
      }
      next += BigInt(run.count);
      if (next > length) length = next;
    }
    return { kind: 'int', value: length };
  }

  private reference(name: string, qualifier: string | undefined, ctx: ExprContext): ConstResult {
    if (!qualifier && (name === 'true' || name === 'false')) return { kind: 'bool', value: name === 'true' };
    let scopeCtx = ctx;
    if (qualifier) {
      const target = this.env.imports.lookup(ctx, qualifier);
      if (target.kind !== 'package') return failed(`constant ${qualifier}.${name} cannot be read (${describe(target)})`);
      const ref = target.scope.consts.get(name);
      if (!ref) return failed(`undefined constant ${qualifier}.${name}`);
      scopeCtx = { scope: target.scope, file: ref.file, filePath: ref.path };
    }
    const ref = (qualifier ? undefined : localConst(ctx, name)) ?? scopeCtx.scope.consts.get(name) ??
      this.env.imports.dotImports(ctx).map((s) => s.consts.get(name)).find(Boolean);
    if (!ref) return failed(`undefined constant ${qualifier ? qualifier + '.' : ''}${name}`);
    const local = ref.decl.local;
    const key = `${ref.path}|${local?.scopes[0] ?? ''}|${name}`;
    if (this.inProgress.has(key)) return failed(`constant ${name} refers to itself`);
    return this.env.nesting.memoised(this.memo, key, () => this.env.nesting.descend(() => {
      this.inProgress.add(key);
      try {
        const declCtx: ExprContext = {
          scope: scopeCtx.scope, file: ref.file, filePath: ref.path,
          ...(local ? { localScope: local.scopes, localAt: local.at } : {}),
        };
        const value = this.evaluate(ref.decl.value, declCtx, ref.decl.iota);
        if (!ref.decl.type || !('kind' in value) || value.kind !== 'int') return value;
        return this.convert(value, this.env.underlyingBasic(ref.decl.type, declCtx));
      } finally {
        this.inProgress.delete(key);
      }
    }, () => failed(`constant ${name}: ${TOO_DEEP}`)));
  }

  private call(expr: Extract<ConstExpr, { kind: 'call' }>, ctx: ExprContext, iota?: number): ConstResult {
    const { callee, args } = expr;
    if (callee.qualifier && this.env.imports.lookup(ctx, callee.qualifier).kind === 'unsafe') {
      return this.unsafeCall(callee.name, args, ctx);
    }
    if (!callee.qualifier && (callee.name === 'len' || callee.name === 'cap') && args.length === 1) {
      const arg = this.evaluate(args[0], ctx, iota);
      if (!('unknown' in arg) && arg.kind === 'string' && callee.name === 'len') {
        return { kind: 'int', value: BigInt(Buffer.byteLength(arg.value, 'utf8')) };
      }
      // Otherwise only an array's length is a constant.
      return this.env.arrayLengthOfValue(args[0], ctx);
    }
    if (!callee.qualifier && (callee.name === 'min' || callee.name === 'max') && args.length > 0) {
      return this.minMax(callee.name, args.map((a) => this.evaluate(a, ctx, iota)));
    }
    if (args.length !== 1) return failed(`${callee.name}(…) is not a constant the engine can evaluate`);
    // One argument and a callee that names a type: a conversion such as uintptr(0) or Kind(3).
    const type: TypeExpr = { kind: 'name', qualifier: callee.qualifier, name: callee.name, args: [], text: callee.name };
    const basic = this.env.underlyingBasic(type, ctx);
    const value = this.evaluate(args[0], ctx, iota);
    if ('unknown' in value || value.kind !== 'int') return value;
    if (!basic) return failed(`conversion to ${callee.name} is not understood`);
    return this.convert(value, basic);
  }

  private unsafeCall(fn: string, args: ConstExpr[], ctx: ExprContext): ConstResult {
    if (args.length !== 1) return failed(`unsafe.${fn} takes one argument`);
    if (fn === 'Offsetof') {
      const arg = args[0];
      if (arg.kind !== 'ref' || !arg.qualifier) return failed('unsafe.Offsetof argument is not a variable.field');
      const result = this.env.offsetOf(arg.qualifier, arg.name, ctx);
      if ('unknown' in result) return result;
      return { kind: 'int', value: BigInt(result.offset ?? 0), basic: 'uintptr' };
    }
    const layout = this.env.layoutOfValue(args[0], ctx);
    if (!isKnown(layout)) return layout;
    if (fn === 'Sizeof') return { kind: 'int', value: BigInt(layout.size), basic: 'uintptr' };
    if (fn === 'Alignof') return { kind: 'int', value: BigInt(layout.align), basic: 'uintptr' };
    return failed(`unsafe.${fn} is not a constant`);
  }

  /** The layout of the type of a constant value (for unsafe.Sizeof(1) and the like). */
  shapeOfValue(value: ConstValue): Shape {
    const basic = value.kind === 'int' ? value.basic ?? 'int' : value.kind === 'string' ? 'string' : 'bool';
    return predeclaredShape(basic, this.env.arch)!;
  }

  private minMax(fn: string, values: ConstResult[]): ConstResult {
    let best: ConstValue | undefined;
    for (const v of values) {
      if ('unknown' in v) return v;
      if (v.kind !== 'int') return failed(`${fn} of non-integer constants`);
      if (!best || (fn === 'min' ? v.value < (best as { value: bigint }).value : v.value > (best as { value: bigint }).value)) best = v;
    }
    return best!;
  }

  /** Converts to a predeclared integer type, wrapping as the target's width does (e.g. ^uintptr(0)). */
  private convert(value: Extract<ConstValue, { kind: 'int' }>, basic: string | undefined): ConstResult {
    if (!basic) return value;
    const width = integerBits(basic, this.env.arch);
    if (!width) return { ...value, basic };
    return { kind: 'int', value: wrap(value.value, width.bits, width.signed), basic };
  }

  private unary(op: string, operand: ConstResult): ConstResult {
    if ('unknown' in operand) return operand;
    if (op === '!' && operand.kind === 'bool') return { kind: 'bool', value: !operand.value };
    if (operand.kind !== 'int') return failed(`operator ${op} on a non-integer constant`);
    switch (op) {
      case '+': return operand;
      case '-': return { ...operand, value: -operand.value };
      case '^': {
        const width = operand.basic ? integerBits(operand.basic, this.env.arch) : undefined;
        const flipped = -operand.value - 1n;
        return { ...operand, value: width && !width.signed ? wrap(flipped, width.bits, false) : flipped };
      }
      default: return failed(`operator ${op} is not supported in constants`);
    }
  }

  private binary(op: string, left: ConstResult, right: ConstResult): ConstResult {
    if ('unknown' in left) return left;
    if ('unknown' in right) return right;
    if (left.kind === 'string' && right.kind === 'string' && op === '+') {
      return { kind: 'string', value: left.value + right.value };
    }
    if (left.kind === 'bool' && right.kind === 'bool') {
      if (op === '&&') return { kind: 'bool', value: left.value && right.value };
      if (op === '||') return { kind: 'bool', value: left.value || right.value };
    }
    if (left.kind !== 'int' || right.kind !== 'int') return failed(`operator ${op} on non-integer constants`);
    const comparison = compare(op, left.value, right.value);
    if (comparison !== undefined) return { kind: 'bool', value: comparison };
    const basic = op === '<<' || op === '>>' ? left.basic : left.basic ?? right.basic;
    const value = arithmetic(op, left.value, right.value);
    if (value === undefined) return failed(op === '/' || op === '%' ? 'division by zero' : `operator ${op} is not supported`);
    const width = basic ? integerBits(basic, this.env.arch) : undefined;
    return { kind: 'int', value: width ? wrap(value, width.bits, width.signed) : value, basic };
  }
}

function describe(target: { kind: string; reason?: string; importPath?: string }): string {
  if (target.kind === 'missing') return target.reason ?? 'missing';
  if (target.kind === 'stdTableOnly') return `standard library sources are not available for "${target.importPath}"`;
  return `${target.kind} package`;
}

function wrap(value: bigint, bits: number, signed: boolean): bigint {
  return signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
}

function compare(op: string, a: bigint, b: bigint): boolean | undefined {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: return undefined;
  }
}

function arithmetic(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '<<': return b > 4096n ? undefined : a << b;
    case '>>': return a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&^': return a & ~b;
    default: return undefined;
  }
}
