import * as fs from 'fs';
import * as path from 'path';
import type { Range, Target } from '../../api';
import type { FieldDecl, TypeExpr } from '../../model/ast';
import { rangeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { archInfo, targetKey } from '../../targets';
import type { Fix, TextEdit } from '../finding';
import { Analyzer, importPathOf, localNameOf, nodesOfType, Pass, qualifiedName, siblingGoSources, targetLabel } from '../pass';
import { declaredTypeOf, dereferenced } from '../variableTypes';

/** sync/atomic functions on 64-bit words, and the method that replaces each on atomic.Int64/Uint64. */
const SIXTY_FOUR_BIT_OPS: Record<string, { method: string; wrapper: 'Int64' | 'Uint64' }> = {};
for (const [suffix, wrapper] of [['Int64', 'Int64'], ['Uint64', 'Uint64']] as const) {
  for (const op of ['Add', 'Load', 'Store', 'Swap', 'CompareAndSwap', 'And', 'Or']) {
    SIXTY_FOUR_BIT_OPS[op + suffix] = { method: op, wrapper };
  }
}

interface AtomicCall {
  call: SyntaxNode;
  fn: string;
  addressOf: SyntaxNode;
  /** What `&` is applied to: `s.f`, `o.inner.f`, `a[i].f`, `(*p).f`… */
  operand: SyntaxNode;
  /** For the plain form `&s.f`: the variable and the field (the only form fixes rewrite). */
  simple?: { variable: string; field: string };
  restArgs: SyntaxNode[];
}

export const atomicAlign: Analyzer = {
  name: 'atomicalign32',
  ruleId: 'GAL1004',
  doc: '64-bit sync/atomic operations on struct fields that are not 8-byte aligned on 32-bit targets (386, arm, mips), which panic there.',
  // sync/atomic calls, or method calls on wrapper types from a module (go.uber.org/atomic): a path whose first
  // element has a dot. Files importing neither are skipped without a full parse.
  appliesTo: (model) => model.imports.some((i) => i.path === 'sync/atomic' || /^[^/]*\./.test(i.path)),
  run(pass) {
    const thirtyTwoBit = pass.fileTargets.filter((t) => archInfo(t.goarch)?.wordSize === 4);
    if (thirtyTwoBit.length === 0) return;
    atomicWrapperCalls(pass, thirtyTwoBit);
    const atomicName = localNameOf(pass.model, 'sync/atomic');
    if (!atomicName) return;
    const calls = findAtomicCalls(pass, atomicName);
    for (const call of calls) checkCall(pass, call, calls, atomicName, thirtyTwoBit);
  },
};

/**
 * Method calls on wrapper structs around one 64-bit word (`go.uber.org/atomic`'s Int64 before its align64
 * releases: `struct{ _ nocmp; v int64 }`), whatever package declares them: the engine lays the wrapper out like
 * any struct, so where it is only 4-aligned on a 32-bit target and sits at an offset that is not a multiple of 8,
 * its atomic methods panic there. A wrapper counts when its first non-empty field is an int64/uint64 that its own
 * package passes to 64-bit sync/atomic functions. sync/atomic.Int64 is 8-aligned by gc and never flagged.
 */
function atomicWrapperCalls(pass: Pass, targets: Target[]): void {
  const sources = new SourceMemo();
  for (const call of nodesOfType(pass.root, 'call_expression')) {
    const fn = call.childForFieldName('function');
    const receiver = fn?.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
    if (receiver?.type !== 'selector_expression') continue;
    const misaligned: { target: Target; offset: number }[] = [];
    let described: { root?: string; path: string[]; wrapper: string } | undefined;
    for (const target of targets) {
      const holder = locate(pass, receiver, target);
      const word = holder && sameImport(pass, holder, sources) ? wrappedWord(pass, holder.type, target, sources) : undefined;
      if (!holder || !word) {
        described = undefined;
        break;
      }
      described = { root: holder.root, path: holder.path, wrapper: word.wrapper };
      const offset = holder.offset + word.offset;
      if (offset % 8 !== 0 || holder.stride % 8 !== 0) misaligned.push({ target, offset });
    }
    if (!described || misaligned.length === 0) continue;
    const offsets = [...new Set(misaligned.map((m) => m.offset))].join('/');
    pass.report({
      range: rangeOf(call),
      severity: 'warning',
      message: `${described.wrapper} ${fn!.childForFieldName('field')?.text} on ${described.root}.${described.path.join('.')}, whose 64-bit word is at offset ${offsets} on ` +
        `${targetLabel(misaligned.map((m) => m.target))}: 64-bit atomic operations there need 8-byte alignment and panic otherwise (move the field first, or use a wrapper 8-aligned on every target such as sync/atomic.Int64)`,
    });
  }
}

/** Go sources read from disk once per analysis, and what was proven about them. */
class SourceMemo {
  /** wrappedWord's answers by `qualifier.Name@target`. */
  readonly wrappers = new Map<string, { offset: number; wrapper: string } | undefined>();
  private readonly texts = new Map<string, string | undefined>();
  private readonly atomicFields = new Map<string, boolean>();

  text(file: string): string | undefined {
    if (!this.texts.has(file)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        text = undefined;
      }
      this.texts.set(file, text);
    }
    return this.texts.get(file);
  }

  /** Whether the package in `declFile`'s folder passes `&x.<field>` to a 64-bit sync/atomic function. */
  usesAtomically(declFile: string, field: string): boolean {
    const key = `${path.dirname(declFile)}#${field}`;
    let found = this.atomicFields.get(key);
    if (found === undefined) {
      const use = new RegExp(`atomic\\.\\w+(?:Int64|Uint64)\\(\\s*&\\s*\\w+\\.${escapeRegExp(field)}\\b`);
      const dir = path.dirname(declFile);
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'));
      } catch {
        names = [];
      }
      found = names.some((n) => use.test(this.text(path.join(dir, n)) ?? ''));
      this.atomicFields.set(key, found);
    }
    return found;
  }
}

/** The wrapper's 64-bit word: where it lies in the wrapper, and the wrapper's name for messages. */
function wrappedWord(pass: Pass, type: TypeExpr, target: Target, sources: SourceMemo): { offset: number; wrapper: string } | undefined {
  if (type.kind !== 'name') return undefined;
  // Receivers repeat (`s.mu.Lock()` all over a file): one answer per type and target.
  const key = `${type.qualifier ?? ''}.${type.name}@${targetKey(target)}`;
  if (!sources.wrappers.has(key)) sources.wrappers.set(key, wrappedWordOf(pass, type, target, sources));
  return sources.wrappers.get(key);
}

function wrappedWordOf(pass: Pass, type: Extract<TypeExpr, { kind: 'name' }>, target: Target, sources: SourceMemo): { offset: number; wrapper: string } | undefined {
  const found = pass.oracle.structLayoutOf(type, target);
  const struct = found?.declType;
  if (!found?.declFile || struct?.kind !== 'struct') return undefined;
  const first = found.layout.fields.find((f) => f.size !== 0);
  const decl = first && struct.fields.find((f) => f.names.some((n) => n.name === first.name));
  const word = decl?.type;
  if (!first || first.offset === null || first.size !== 8 || word?.kind !== 'name' || word.qualifier || !['int64', 'uint64'].includes(word.name)) return undefined;
  if (!sources.usesAtomically(found.declFile, first.name)) return undefined;
  const importPath = type.qualifier ? importPathOf(pass.model, type.qualifier) : undefined;
  return { offset: first.offset, wrapper: `${importPath ?? pass.model.packageName}.${type.name}` };
}

/**
 * Whether a qualified field type means the same package in this file as in the file declaring the field (an
 * `atomic.Int64` field declared where `atomic` is sync/atomic must not be read as go.uber.org/atomic here).
 */
function sameImport(pass: Pass, location: Location, sources: SourceMemo): boolean {
  const type = location.type;
  if (type.kind !== 'name' || !type.qualifier) return true;
  const here = importPathOf(pass.model, type.qualifier);
  const declFile = location.holder?.file;
  if (!here || !declFile) return false;
  return declFile === pass.file || (sources.text(declFile) ?? '').includes(`"${here}"`);
}

function findAtomicCalls(pass: Pass, atomicName: string): AtomicCall[] {
  const calls: AtomicCall[] = [];
  for (const call of nodesOfType(pass.root, 'call_expression')) {
    const callee = qualifiedName(call.childForFieldName('function'));
    if (!callee || callee[0] !== atomicName || !(callee[1] in SIXTY_FOUR_BIT_OPS)) continue;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is SyntaxNode => n !== null) ?? [];
    const addressOf = args[0];
    if (addressOf?.type !== 'unary_expression' || addressOf.childForFieldName('operator')?.text !== '&') continue;
    const operand = addressOf.childForFieldName('operand');
    if (operand?.type !== 'selector_expression') continue;
    const plain = qualifiedName(operand);
    const simple = plain && { variable: plain[0], field: plain[1] };
    calls.push({ call, fn: callee[1], addressOf, operand, simple, restArgs: args.slice(1) });
  }
  return calls;
}

/**
 * Where an expression's value lies for one target, counted from the start of the allocation holding it (a
 * variable, or what a pointer or slice points at). gc guarantees 8-byte alignment on 32-bit targets only for that
 * start (sync/atomic, "Bugs"), so a 64-bit word is safe there exactly when this offset is a multiple of 8.
 */
interface Location {
  type: TypeExpr;
  offset: number;
  /** Non-zero when a non-constant index moves the value by multiples of this many bytes (gcd of element sizes). */
  stride: number;
  /** Whether `type` can be resolved in this file's scope (false for field types of another package's struct). */
  resolvable: boolean;
  /** The outermost struct selected from, and the fields followed from it (promoted ones included), for messages. */
  root?: string;
  path: string[];
  /** Of the last field selected: its size and the struct declaring it. */
  size?: number;
  holder?: { file?: string; struct?: TypeExpr };
}

function locate(pass: Pass, node: SyntaxNode, target: Target): Location | undefined {
  switch (node.type) {
    case 'identifier': {
      const type = declaredTypeOf(node.text, node, pass.model.varTypes);
      return type && { type, offset: 0, stride: 0, resolvable: true, path: [] };
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? locate(pass, inner, target) : undefined;
    }
    case 'unary_expression': {
      const operand = node.childForFieldName('operand');
      const pointer = node.childForFieldName('operator')?.text === '*' && operand ? locate(pass, operand, target) : undefined;
      return pointer && pointedAt(pointer);
    }
    case 'selector_expression': {
      const operand = node.childForFieldName('operand');
      const field = node.childForFieldName('field')?.text;
      const base = operand && field ? locate(pass, operand, target) : undefined;
      return base && selectField(pass, base.type.kind === 'pointer' ? pointedAt(base) : base, field!, target);
    }
    case 'index_expression':
      return indexed(pass, node, target);
    default:
      return undefined;
  }
}

/** What a pointer points at: a separate allocation, whose start is aligned. */
function pointedAt(pointer: Location): Location | undefined {
  if (pointer.type.kind !== 'pointer') return undefined;
  return { type: pointer.type.elem, offset: 0, stride: 0, resolvable: pointer.resolvable, path: [] };
}

/** `a[i]`: an array element lies inside the array (for a pointer to an array, inside what it points at). */
function indexed(pass: Pass, node: SyntaxNode, target: Target): Location | undefined {
  const operand = node.childForFieldName('operand');
  let base = operand ? locate(pass, operand, target) : undefined;
  if (base?.type.kind === 'pointer') base = pointedAt(base);
  // Slices are not followed: the model keeps no element type for them.
  if (!base || !base.resolvable || base.type.kind !== 'array') return undefined;
  const elem = base.type.elem;
  const shape = pass.oracle.layoutOf(elem, target);
  if (!('size' in shape)) return undefined;
  const index = node.childForFieldName('index');
  // Decimal literals only; any other index is treated as unknown, which can only add findings.
  const constant = index && /^(0|[1-9][0-9_]*)$/.test(index.text) ? Number(index.text.replace(/_/g, '')) : NaN;
  const known = Number.isSafeInteger(constant);
  // An array field stays part of its struct: `Table.rows[i].n`.
  const path = base.path.length > 0 ? [...base.path.slice(0, -1), `${base.path.at(-1)}[${known ? constant : 'i'}]`] : [];
  const element = { type: elem, resolvable: true, root: base.root, path };
  if (known) return { ...element, offset: base.offset + constant * shape.size, stride: base.stride };
  return { ...element, offset: base.offset, stride: gcd(base.stride, shape.size) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** `x.name`, directly declared or promoted through value- or pointer-embedded fields (shallowest first, as Go). */
function selectField(pass: Pass, base: Location | undefined, name: string, target: Target): Location | undefined {
  for (let depth = 0; base && depth <= MAX_EMBEDDING_DEPTH; depth++) {
    const found = selectAtDepth(pass, base, name, target, depth);
    if (found) return found;
  }
  return undefined;
}

const MAX_EMBEDDING_DEPTH = 4;

function selectAtDepth(pass: Pass, base: Location, name: string, target: Target, depth: number): Location | undefined {
  if (!base.resolvable) return undefined;
  const found = pass.oracle.structLayoutOf(base.type, target);
  const struct = found?.declType;
  if (!found || struct?.kind !== 'struct') return undefined;
  if (depth === 0) {
    const decl = struct.fields.find((f) => (f.embedded ? embeddedName(f.type) === name : f.names.some((n) => n.name === name)));
    const entry = found.layout.fields.find((f) => f.name === name);
    if (!decl || !entry || entry.offset === null || entry.size === null) return undefined;
    return {
      type: decl.type,
      offset: base.offset + entry.offset,
      stride: base.stride,
      resolvable: found.declFile !== undefined && path.dirname(found.declFile) === path.dirname(pass.file),
      root: base.root ?? (base.type.kind === 'name' ? base.type.name : 'struct'),
      path: [...base.path, name],
      size: entry.size,
      holder: { file: found.declFile, struct },
    };
  }
  for (const embedded of struct.fields.filter((f) => f.embedded)) {
    const via = selectAtDepth(pass, base, embeddedName(embedded.type), target, 0);
    const inner = via?.type.kind === 'pointer' ? pointedAt(via) : via;
    const hit = inner && selectAtDepth(pass, inner, name, target, depth - 1);
    if (hit) return hit;
  }
  return undefined;
}

function checkCall(pass: Pass, call: AtomicCall, all: AtomicCall[], atomicName: string, targets: Target[]): void {
  const words: { target: Target; word: Location }[] = [];
  for (const target of targets) {
    const word = locate(pass, call.operand, target);
    if (!word || word.size !== 8) return;
    words.push({ target, word });
  }
  const word = words[0]?.word;
  if (!word) return;
  const holders = onlyHeldIn(pass, word);
  const misaligned = (holders && misalignedInHolders(pass, words, holders)) ?? misalignedAlone(words);
  if (misaligned.length === 0) return;
  const offsets = [...new Set(misaligned.map((m) => m.where))].join('/');
  // Fixes retype or move a field of the struct `&s.f` names directly; deeper forms get the warning alone.
  const fixable = call.simple && word.path.length === 1 && word.holder;
  pass.report({
    range: rangeOf(call.addressOf),
    severity: 'warning',
    message: `atomic.${call.fn} on ${word.root}.${word.path.join('.')}, which is at offset ${offsets} on ${targetLabel([...new Map(misaligned.map((m) => [m.target, m.target])).keys()])}: ` +
      '64-bit atomic operations there need 8-byte alignment and panic otherwise',
    fixes: fixable ? fixesFor(pass, call, all, atomicName, word.holder!, targets[0]) : [],
  });
}

function misalignedAlone(words: { target: Target; word: Location }[]): { target: Target; where: string }[] {
  return words.filter(({ word }) => word.offset % 8 !== 0 || word.stride % 8 !== 0)
    .map(({ target, word }) => ({ target, where: word.stride ? `${word.offset}+${word.stride}*i` : `${word.offset}` }));
}

/**
 * The struct fields the word's allocation always lives in, when its root type is an unexported struct of this
 * package whose values only ever exist as fields of named structs (containerd v1.7.29's pullRequestReporter, a
 * field of pullProgressReporter): its own offset 0 is then never the start of an allocation.
 */
function onlyHeldIn(pass: Pass, word: Location): Map<string, string[]> | undefined {
  const root = word.root;
  return root && /^[\p{Ll}_]/u.test(root) ? pass.packageLiterals()?.onlyHeldIn(root) : undefined;
}

/** Offsets counted from each holding struct's start: misaligned where any holder puts the word off 8. */
function misalignedInHolders(pass: Pass, words: { target: Target; word: Location }[], holders: Map<string, string[]>): { target: Target; where: string }[] | undefined {
  const misaligned: { target: Target; where: string }[] = [];
  for (const { target, word } of words) {
    for (const [holder, fields] of holders) {
      const found = pass.oracle.structLayoutOf({ kind: 'name', name: holder, args: [], text: holder }, target);
      for (const field of fields) {
        const start = found?.layout.fields.find((f) => f.name === field)?.offset;
        if (start === undefined || start === null) return undefined;
        const offset = start + word.offset;
        if (offset % 8 !== 0 || word.stride % 8 !== 0) misaligned.push({ target, where: `${offset} in ${holder}` });
      }
    }
  }
  return misaligned;
}

function fixesFor(pass: Pass, call: AtomicCall, all: AtomicCall[], atomicName: string, decl: { file?: string; struct?: TypeExpr }, target: Target): Fix[] {
  const struct = decl.struct;
  const fieldName = call.simple?.field;
  if (decl.file !== pass.file || struct?.kind !== 'struct' || !fieldName) return [];
  const field = struct.fields.find((f) => f.names.length === 1 && f.names[0].name === fieldName);
  const typeNames = pass.model.types.filter((t) => t.type === struct).map((t) => t.name);
  // Only a named struct of this file can be proven safe to change: its literals and uses must all be visible.
  if (!field || typeNames.length === 0) return [];
  const siblings = siblingGoSources(pass.file);
  if (!siblings) return [];
  const siblingTexts = siblings.map((s) => s.text);
  if (mayHavePositionalLiteral(pass, typeNames)) return [];
  const fixes: Fix[] = [];
  const move = !otherPackagesMayListFields(typeNames, struct.fields) && moveFieldFirst(pass, struct.fields, field);
  if (move) fixes.push({ title: `Move ${fieldName} to the start of the struct (offset 0 is 8-aligned everywhere)`, edits: move });
  const wrapper = SIXTY_FOUR_BIT_OPS[call.fn].wrapper;
  const rewrites = rewritesForWrapper(pass, { struct, field, wrapper, target }, all, siblingTexts);
  if (rewrites) {
    fixes.push({
      title: `Use atomic.${wrapper} for ${fieldName} (8-byte aligned on every target)`,
      preferred: true,
      edits: [{ file: pass.file, range: field.typeRange, newText: `${atomicName}.${wrapper}` }, ...rewrites],
    });
  }
  return fixes;
}

/** An exported struct whose fields are all exported may be written `pkg.T{a, b}` in other packages we cannot see. */
function otherPackagesMayListFields(typeNames: string[], fields: FieldDecl[]): boolean {
  const exported = (name: string) => /^\p{Lu}/u.test(name);
  const fieldNames = fields.flatMap((f) => (f.embedded ? [embeddedName(f.type)] : f.names.map((n) => n.name)));
  return typeNames.some(exported) && fieldNames.every(exported);
}

function embeddedName(type: TypeExpr): string {
  const named = dereferenced(type);
  return named.kind === 'name' ? named.name : '';
}

/**
 * Whether a composite literal of the package lists the struct's fields by position (`T{true, 1}`, `[]T{{true, 1}}`,
 * or through another name `type U T`): moving or retyping a field breaks those. From the package's syntax trees;
 * a file that cannot be read means no proof.
 */
function mayHavePositionalLiteral(pass: Pass, typeNames: string[]): boolean {
  const literals = pass.packageLiterals();
  return !literals || typeNames.some((name) => literals.positionalUses(name).length > 0);
}

/**
 * The call rewrites that turn every use of the field into atomic.Int64/Uint64 method calls, or undefined when some
 * use cannot be rewritten: the package would then not compile. Proven only for an unexported field (other packages
 * cannot see it) whose every use in the package is a 64-bit sync/atomic call on `&v.field` in this file, with `v`
 * of a written-down type that is this struct.
 */
function rewritesForWrapper(
  pass: Pass, want: { struct: TypeExpr; field: FieldDecl; wrapper: 'Int64' | 'Uint64'; target: Target },
  calls: AtomicCall[], siblingTexts: string[],
): TextEdit[] | undefined {
  const name = want.field.names[0].name;
  const fieldType = want.field.type;
  if (/^\p{Lu}/u.test(name) || fieldType.kind !== 'name' || fieldType.qualifier || fieldType.name !== want.wrapper.toLowerCase()) return undefined;
  const n = escapeRegExp(name);
  if (siblingTexts.some((t) => new RegExp(`\\.\\s*${n}\\b`).test(t))) return undefined;
  const keyed = new RegExp(`\\b${n}\\s*:(?!=)`); // a keyed literal (or a label, a map key): no proof
  if ([pass.text, ...siblingTexts].some((t) => keyed.test(t))) return undefined;
  const edits: TextEdit[] = [];
  for (const selector of nodesOfType(pass.root, 'selector_expression')) {
    if (selector.childForFieldName('field')?.text !== name) continue;
    const owner = fieldOwner(pass, selector, name, want.struct, want.target);
    if (owner === 'another struct') continue;
    const call = calls.find((c) => c.operand.startIndex === selector.startIndex && c.operand.endIndex === selector.endIndex);
    if (owner !== 'this struct' || !call?.simple || SIXTY_FOUR_BIT_OPS[call.fn].wrapper !== want.wrapper) return undefined;
    edits.push(methodCallEdit(pass, call, call.simple));
  }
  return edits;
}

/** Whose field `v.name` is: this struct's, another struct's own field of that name, or unknown (undefined). */
function fieldOwner(pass: Pass, selector: SyntaxNode, name: string, struct: TypeExpr, target: Target): 'this struct' | 'another struct' | undefined {
  const operand = selector.childForFieldName('operand');
  if (operand?.type !== 'identifier') return undefined;
  const varType = declaredTypeOf(operand.text, selector, pass.model.varTypes);
  const found = varType && pass.oracle.structLayoutOf(dereferenced(varType), target);
  if (!found?.declType) return undefined;
  if (found.declType === struct) return 'this struct';
  const declares = found.declType.kind === 'struct' && found.declType.fields.some((f) => f.names.some((n) => n.name === name));
  return declares ? 'another struct' : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `atomic.AddInt64(&s.n, 1)` → `s.n.Add(1)`. */
function methodCallEdit(pass: Pass, call: AtomicCall, simple: { variable: string; field: string }): TextEdit {
  const args = call.restArgs.map((a) => a.text).join(', ');
  return {
    file: pass.file,
    range: rangeOf(call.call),
    newText: `${simple.variable}.${simple.field}.${SIXTY_FOUR_BIT_OPS[call.fn].method}(${args})`,
  };
}

/** Moves the field's whole line to just after the struct's opening brace; only for one field on its own line. */
function moveFieldFirst(pass: Pass, fields: FieldDecl[], field: FieldDecl): TextEdit[] | undefined {
  const line = field.typeRange.start.line;
  const first = fields[0];
  if (first === field) return undefined;
  const sharesLine = fields.some((f) => f !== field && (f.typeRange.start.line === line || f.names.some((n) => n.range.start.line === line)));
  if (sharesLine || field.names[0].range.start.line !== line) return undefined;
  const firstLine = Math.min(first.typeRange.start.line, ...first.names.map((n) => n.range.start.line));
  if (firstLine === line) return undefined;
  const lines = pass.text.split('\n');
  // The field's doc comment lines travel with it.
  let top = line;
  while (top - 1 > firstLine && lines[top - 1].trim().startsWith('//')) top--;
  const moved = lines.slice(top, line + 1).join('\n') + '\n';
  const removed: Range = { start: { line: top, character: 0 }, end: { line: line + 1, character: 0 } };
  const insertAt: Range = { start: { line: firstLine, character: 0 }, end: { line: firstLine, character: 0 } };
  return [
    { file: pass.file, range: insertAt, newText: moved },
    { file: pass.file, range: removed, newText: '' },
  ];
}
