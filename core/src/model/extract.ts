import type { Position, Range } from '../api';
import type { Edit, SyntaxNode, Tree } from '../parse/goParser';
import { findBuildConstraint } from '../parse/buildConstraints';
import type { ConstDecl, ConstExpr, FieldDecl, FileModel, ImportDecl, TypeDecl, TypeExpr, TypeRef } from './ast';
import { MAX_NESTING, TOO_DEEP } from './nesting';

const MAX_SYNTAX_ERRORS = 50;

/** What one top-level declaration contributes to a file model, with positions as of `start`. */
interface DeclarationPart {
  start: { row: number; column: number };
  packageName?: string;
  imports: ImportDecl[];
  consts: ConstDecl[];
  vars: [string, TypeExpr][];
  types: TypeDecl[];
}

/** One extracted top-level declaration: where it is in the text and what it contributes. */
interface ExtractedDeclaration {
  startIndex: number;
  endIndex: number;
  part: DeclarationPart;
  /** Every position inside `part`, gathered the first time an edit above moves it across lines. */
  positions?: Position[];
}

/**
 * The extracted top-level declarations of a file in source order, for the next extraction after an edit: only the
 * declarations the edit or the re-parse touched are walked again (node access through web-tree-sitter's WASM
 * boundary is the cost of extraction), the others are kept and moved.
 */
export interface ExtractionCache {
  hasLocalTypes: boolean;
  declarations: ExtractedDeclaration[];
}

/** What changed since the cached extraction: the edits applied to its text, and the re-parse's changed ranges. */
export interface PreviousExtraction {
  cache: ExtractionCache;
  /** In the order they were applied; each in the coordinates of the text as it was before that edit. */
  edits: Edit[];
  /** Where the new tree's structure differs from the edited old tree's (Tree.getChangedRanges), in new offsets. */
  changedRanges: { startIndex: number; endIndex: number }[];
}

/**
 * Reduces a parsed Go file to the declarations layout needs; the tree can be freed afterwards.
 * `hasLocalTypes` says whether function bodies must be searched for type declarations (a whole-tree walk).
 * Pass the previous extraction of the same file (with the edits since) to re-extract only the declarations they
 * touched; the cache for the next edit is returned with the model.
 */
export function extractFileModel(tree: Tree, source: string, hasLocalTypes: boolean, previous?: PreviousExtraction): { model: FileModel; cache: ExtractionCache } {
  const root = tree.rootNode;
  const declarations = previous && previous.cache.hasLocalTypes === hasLocalTypes
    ? reextract(tree, previous, hasLocalTypes)
    : allDeclarations(tree, hasLocalTypes);
  const model: FileModel = {
    packageName: '',
    buildConstraint: findBuildConstraint(source),
    imports: [],
    types: [],
    consts: [],
    varTypes: new Map(),
    syntaxErrors: root.hasError ? collectSyntaxErrors(root) : [],
  };
  for (const { part } of declarations) {
    if (part.packageName !== undefined) model.packageName = part.packageName;
    for (const imp of part.imports) model.imports.push(imp);
    for (const c of part.consts) model.consts.push(c);
    for (const [name, type] of part.vars) model.varTypes.set(name, type);
    for (const t of part.types) model.types.push(t);
  }
  if (hasLocalTypes) {
    const found = declarationsInFunctions(root, true);
    model.types.push(...found.types);
    model.consts.push(...found.consts);
  }
  return { model, cache: { hasLocalTypes, declarations } };
}

/**
 * Type and constant declarations inside function bodies (with `topLevelTypes`, the top-level types too: one walk
 * serves both), each with the scopes it is visible in.
 */
export function declarationsInFunctions(root: SyntaxNode, topLevelTypes = false): { types: TypeDecl[]; consts: ConstDecl[] } {
  const types: TypeDecl[] = [];
  const consts: ConstDecl[] = [];
  for (const decl of root.descendantsOfType(['type_declaration', 'const_declaration'])) {
    if (!decl) continue;
    const scopes = enclosingScopes(decl);
    if (decl.type === 'type_declaration' && (scopes || topLevelTypes)) types.push(...typeDeclsOf(decl, scopes));
    // Top-level constants come with the declaration parts; local ones are seen only here.
    else if (decl.type === 'const_declaration' && scopes) consts.push(...constsOf(decl, scopes));
  }
  return { types, consts };
}

/** A span of offsets, both ends inclusive when testing overlap (an edit touching a declaration's end touches it). */
interface Span {
  start: number;
  end: number;
}

/**
 * The previous declarations moved through the edits, minus those an edit or a changed range touches, plus the
 * new tree's declarations in those places, in source order.
 */
function reextract(tree: Tree, previous: PreviousExtraction, hasLocalTypes: boolean): ExtractedDeclaration[] {
  let kept = previous.cache.declarations;
  let touched: Span[] = [];
  for (const edit of previous.edits) {
    touched = touched.map((span) => mapSpan(span, edit));
    const next: ExtractedDeclaration[] = [];
    for (const decl of kept) {
      if (decl.endIndex < edit.startIndex) next.push(decl);
      else if (decl.startIndex > edit.oldEndIndex) next.push(moveAfter(decl, edit));
      else touched.push(mapSpan({ start: decl.startIndex, end: decl.endIndex }, edit));
    }
    touched.push({ start: edit.startIndex, end: edit.newEndIndex });
    kept = next;
  }
  for (const range of previous.changedRanges) touched.push({ start: range.startIndex, end: range.endIndex });
  let fresh: ExtractedDeclaration[] = [];
  // A new declaration overlapping one kept (the re-parse regrouped text the changed ranges did not cover) replaces
  // it, and the place it took is looked at again, until the two sets no longer overlap.
  for (;;) {
    const spans = merged(touched);
    kept = kept.filter((decl) => !overlapsAny(decl.startIndex, decl.endIndex, spans));
    fresh = declarationsIn(tree, spans, hasLocalTypes, fresh);
    const displaced = kept.filter((decl) => fresh.some((f) => f.startIndex < decl.endIndex && f.endIndex > decl.startIndex));
    if (displaced.length === 0) break;
    for (const decl of displaced) touched.push({ start: decl.startIndex, end: decl.endIndex });
  }
  return mergeBySource(kept, fresh);
}

/** A span of the old text in the new text's offsets: ends inside the edited text go to the edit's edges. */
function mapSpan(span: Span, edit: Edit): Span {
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const start = span.start <= edit.startIndex ? span.start : span.start >= edit.oldEndIndex ? span.start + delta : edit.startIndex;
  const end = span.end < edit.startIndex ? span.end : span.end >= edit.oldEndIndex ? span.end + delta : edit.newEndIndex;
  return { start, end };
}

/**
 * A declaration that starts after an edit, moved to where the edit put it (in place: the cache owns it, and the
 * models built from it before the edit describe a text that no longer exists).
 */
function moveAfter(decl: ExtractedDeclaration, edit: Edit): ExtractedDeclaration {
  const delta = edit.newEndIndex - edit.oldEndIndex;
  decl.startIndex += delta;
  decl.endIndex += delta;
  const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  const endRow = edit.oldEndPosition.row;
  const start = decl.part.start;
  // Columns move only on the row where the edit ended; rows move only when the edit added or removed lines.
  if (rowDelta === 0 && start.row !== endRow) return decl;
  const columnDelta = edit.newEndPosition.column - edit.oldEndPosition.column;
  decl.positions ??= positionsIn(decl.part);
  for (const position of decl.positions) {
    if (position.line === endRow) position.character += columnDelta;
    position.line += rowDelta;
  }
  if (start.row === endRow) start.column += columnDelta;
  start.row += rowDelta;
  return decl;
}

/** Every `{line, character}` object in extracted data, each once. */
function positionsIn(part: DeclarationPart): Position[] {
  const found = new Set<Position>();
  const stack: unknown[] = [part.imports, part.consts, part.vars, part.types];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || value instanceof Map) continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.character === 'number') found.add(record as unknown as Position);
    else for (const key in record) stack.push(record[key]);
  }
  return [...found];
}

/** Sorted, overlapping or touching spans joined. */
function merged(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end + 1) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

/** Whether [start, end] meets a span of `sorted` (ends included). */
function overlapsAny(start: number, end: number, sorted: Span[]): boolean {
  let lo = 0;
  let hi = sorted.length;
  // The first span ending at or after `start`.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].end < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].start <= end;
}

function mergeBySource(a: ExtractedDeclaration[], b: ExtractedDeclaration[]): ExtractedDeclaration[] {
  if (b.length === 0) return a;
  const out: ExtractedDeclaration[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].startIndex < b[j].startIndex)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

const TOP_LEVEL_PARTS = new Set(['package_clause', 'import_declaration', 'const_declaration', 'var_declaration', 'type_declaration']);

/** Every top-level declaration of the tree that carries layout data; a cursor skips the rest without materialising it. */
function allDeclarations(tree: Tree, hasLocalTypes: boolean): ExtractedDeclaration[] {
  const found: ExtractedDeclaration[] = [];
  const cursor = tree.walk();
  try {
    if (!cursor.gotoFirstChild()) return found;
    do {
      if (!TOP_LEVEL_PARTS.has(cursor.nodeType)) continue;
      found.push({ startIndex: cursor.startIndex, endIndex: cursor.endIndex, part: declarationPart(cursor.currentNode, hasLocalTypes) });
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
  return found;
}

/**
 * The tree's top-level declarations that carry layout data and meet one of the sorted spans (ends included),
 * extracted, with those of `already` (extracted earlier) reused.
 */
function declarationsIn(tree: Tree, spans: Span[], hasLocalTypes: boolean, already: ExtractedDeclaration[]): ExtractedDeclaration[] {
  const byStart = new Map(already.map((d) => [d.startIndex, d]));
  const found: ExtractedDeclaration[] = [];
  const root = tree.rootNode;
  let lastStart = -1;
  for (const span of spans) {
    for (let i = firstChildEndingAtOrAfter(root, span.start); i < root.childCount; i++) {
      const node = root.child(i)!;
      const { startIndex, endIndex } = node;
      if (startIndex > span.end) break;
      if (startIndex <= lastStart || !TOP_LEVEL_PARTS.has(node.type)) continue;
      lastStart = startIndex;
      const reused = byStart.get(startIndex);
      found.push(reused && reused.endIndex === endIndex ? reused : { startIndex, endIndex, part: declarationPart(node, hasLocalTypes) });
    }
  }
  return found;
}

/**
 * The index of the first child of `root` ending at or after `offset` (childCount when none), by binary search: the
 * children are in source order, and Node.child(i) is answered in WASM. web-tree-sitter 0.25's own lookups cannot be
 * used: TreeCursor.gotoFirstChildForIndex passes the index where its WASM side does not read it (it always lands on
 * the first child), and Node.firstChildForIndex answers null for some offsets between declarations.
 */
function firstChildEndingAtOrAfter(root: SyntaxNode, offset: number): number {
  let lo = 0;
  let hi = root.childCount;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (root.child(mid)!.endIndex < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function declarationPart(decl: SyntaxNode, hasLocalTypes: boolean): DeclarationPart {
  const part: DeclarationPart = {
    start: { row: decl.startPosition.row, column: decl.startPosition.column },
    imports: [], consts: [], vars: [], types: [],
  };
  switch (decl.type) {
    case 'package_clause':
      part.packageName = decl.namedChildren[0]?.text ?? '';
      break;
    case 'import_declaration':
      part.imports = importsOf(decl);
      break;
    case 'const_declaration':
      part.consts = constsOf(decl);
      break;
    case 'var_declaration': {
      const vars = new Map<string, TypeExpr>();
      collectVarTypes(decl, vars);
      part.vars = [...vars];
      break;
    }
    case 'type_declaration':
      // With local types the whole-tree walk collects top-level ones too.
      if (!hasLocalTypes) part.types = typeDeclsOf(decl, undefined);
      break;
  }
  return part;
}

export function rangeOf(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

function named(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
}

function collectSyntaxErrors(root: SyntaxNode): { range: Range; message: string }[] {
  const errors: { range: Range; message: string }[] = [];
  // An explicit stack, in source order: an error can sit under thousands of nested nodes.
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0 && errors.length < MAX_SYNTAX_ERRORS) {
    const node = stack.pop()!;
    if (node.isMissing) {
      errors.push({ range: rangeOf(node), message: `syntax error: missing ${node.type}` });
    } else if (node.isError) {
      errors.push({ range: rangeOf(node), message: `syntax error near ${quoteSnippet(node.text.split('\n')[0].slice(0, 40))}` });
    } else if (node.hasError) {
      const children = node.children.filter((c): c is SyntaxNode => c !== null);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return errors;
}

/** Characters that could rewrite a terminal or log line or hide text: controls, invisible line and direction marks. */
const UNPRINTABLE = '\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff';
const QUOTED_ESCAPES = new RegExp(`[\\\\"${UNPRINTABLE}]`, 'g');
/** All of UNPRINTABLE but the line feed and the tab, which lay out multi-line text. */
const TEXT_ESCAPES = new RegExp(`(?![\\n\\t])[${UNPRINTABLE}]`, 'g');
/** All of UNPRINTABLE: a name has no lines to lay out. */
const NAME_ESCAPES = new RegExp(`[${UNPRINTABLE}]`, 'g');

/** Source text quoted for a message, as Go's %q would: UNPRINTABLE characters, quotes and backslashes escaped. */
export function quoteSnippet(text: string): string {
  return `"${text.replace(QUOTED_ESCAPES, escapeChar)}"`;
}

/**
 * Text for a terminal with the UNPRINTABLE characters but line feeds and tabs escaped as quoteSnippet does: file
 * names come from a repository, and a name like `p\x1b[31m.go` must not colour or retitle the reader's terminal.
 */
export function escapeUnprintable(text: string): string {
  return text.replace(TEXT_ESCAPES, escapeChar);
}

/**
 * A file name (or another one-line text from a workspace) put into a multi-line message, escaped as escapeUnprintable
 * does and its line feeds and tabs too: a file named `p\n[Error] forged.go` must not start a line of its own.
 */
export function escapeName(text: string): string {
  return text.replace(NAME_ESCAPES, escapeChar);
}

function escapeChar(ch: string): string {
  const named = SNIPPET_ESCAPES[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

const SNIPPET_ESCAPES: Record<string, string> = {
  '\\': '\\\\', '"': '\\"', '\t': '\\t', '\r': '\\r', '\n': '\\n', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v',
};

/** Syntax that opens a scope a local declaration can live in (a function, a block, a case clause). */
const SCOPE_NODES = new Set([
  'function_declaration', 'method_declaration', 'func_literal', 'block', 'expression_case', 'default_case',
  'type_case', 'communication_case',
]);

/**
 * The scopes enclosing a declaration inside a function, innermost first, identified by their start offsets;
 * undefined at package level. Function literals do not stop the walk: a closure sees its function's types.
 */
function enclosingScopes(node: SyntaxNode): number[] | undefined {
  const scopes: number[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (SCOPE_NODES.has(p.type)) scopes.push(scopeId(p));
    if (p.type === 'function_declaration' || p.type === 'method_declaration') break;
  }
  return scopes.length > 0 ? scopes : undefined;
}

/**
 * A scope's id: its start position, not its byte offset, so that a file's skeleton (declarations only) and its full
 * parse agree (bodies that declare types are kept verbatim, line for line).
 */
function scopeId(node: SyntaxNode): number {
  return node.startPosition.row * 2 ** 20 + node.startPosition.column;
}

/** An anonymous struct type (`struct{…}` as the type of a field, a variable, a composite literal…). */
export interface LiteralStruct {
  /** The field or variable it is the type of (`T.f`, `v`), else `struct{…}`. */
  label: string;
  /** The field's or variable's name, else the `struct` keyword. */
  nameRange: Range;
  /** From the `struct` keyword to the closing brace. */
  bodyRange: Range;
  type: Extract<TypeExpr, { kind: 'struct' }>;
  localScope?: number[];
  /** Type parameters of the generic type or function around it that it mentions: then its layout varies. */
  typeParams: string[];
}

/**
 * Anonymous structs nested deeper than this inside other struct types, and generic uses inside other generic uses
 * (`W[W[…]]`), are not listed on their own: gc allows thousands, no real code comes close, and their layouts are
 * within the outer ones'. node.parent walks down from the root in web-tree-sitter, so listing deeper ones would
 * cost cubic time.
 */
export const MAX_USE_NESTING = 64;

/**
 * For the nodes of a pre-order walk given in turn, how many of them (the node itself included) enclose each one,
 * from offsets alone (no parent walks).
 */
function nestingDepths(): (node: SyntaxNode) => number {
  const open: number[] = [];
  return (node) => {
    while (open.length > 0 && open[open.length - 1] <= node.startIndex) open.pop();
    open.push(node.endIndex);
    return open.length;
  };
}

/**
 * The anonymous struct types of a syntax tree (of a range of lines when given), in source order: every
 * `struct{…}` that is not itself the type a `type` declaration names.
 */
export function literalStructsIn(root: SyntaxNode, range?: Range): LiteralStruct[] {
  const start = range ? { row: range.start.line, column: 0 } : undefined;
  const end = range ? { row: range.end.line + 1, column: 0 } : undefined;
  const found: LiteralStruct[] = [];
  // Labels by struct node, outer ones first (the walk is in source order): a nested struct extends its outer's.
  const labels = new Map<number, string>();
  const depthOf = nestingDepths();
  for (const node of root.descendantsOfType('struct_type', start, end)) {
    if (!node || depthOf(node) > MAX_USE_NESTING || node.hasError) continue;
    const parent = node.parent;
    if (!parent || parent.type === 'type_spec' || parent.type === 'type_alias') continue;
    const type = typeOf(node);
    if (type.kind !== 'struct') continue;
    const owner = ownerName(node, labels);
    if (owner) labels.set(node.id, owner.label);
    found.push({
      label: owner?.label ?? 'struct{…}',
      nameRange: rangeOf(owner?.node ?? node.child(0) ?? node),
      bodyRange: rangeOf(node),
      type,
      localScope: enclosingScopes(node),
      typeParams: mentionedTypeParams(node),
    });
  }
  return found;
}

/** A generic type named with type arguments (`Box[uint64]`, `pkg.Pair[K, V]`): an instance, laid out on its own. */
export interface GenericUse {
  type: Extract<TypeExpr, { kind: 'name' }>;
  /** The generic type's name in the use (`Box` of `pkg.Box[int]`). */
  nameRange: Range;
  /** The whole use, type arguments included. */
  range: Range;
  localScope?: number[];
  /** Type parameters of the generic type or function around it that the arguments mention: then it varies. */
  typeParams: string[];
  /** Written as an expression (`F[Box[int]]`, `new(Box[int])` parsed as an index): a type only if it resolves to one. */
  maybeValue: boolean;
}

const GENERIC_USE_NODES = ['generic_type', 'index_expression', 'type_instantiation_expression'];

/** The uses of generic types with type arguments in a syntax tree (of a range of lines when given), in source order. */
export function genericUsesIn(root: SyntaxNode, range?: Range): GenericUse[] {
  const start = range ? { row: range.start.line, column: 0 } : undefined;
  const end = range ? { row: range.end.line + 1, column: 0 } : undefined;
  const found: GenericUse[] = [];
  const depthOf = nestingDepths();
  for (const node of root.descendantsOfType(GENERIC_USE_NODES, start, end)) {
    if (!node || depthOf(node) > MAX_USE_NESTING || node.hasError) continue;
    const type = node.type === 'generic_type' ? typeOf(node) : expressionAsType(node);
    if (!type || type.kind !== 'name' || type.args.length === 0) continue;
    const base = named(node)[0];
    const nameNode = base?.type === 'qualified_type' ? base.childForFieldName('name')
      : base?.type === 'selector_expression' ? base.childForFieldName('field') : base;
    if (!nameNode) continue;
    found.push({
      type, nameRange: rangeOf(nameNode), range: rangeOf(node), localScope: enclosingScopes(node),
      typeParams: mentionedTypeParams(node), maybeValue: node.type !== 'generic_type',
    });
  }
  return found;
}

/**
 * An expression read as the type it would be (`Box[int]` in `F[Box[int]]`, `pkg.T`, `*T`), or undefined when it
 * cannot be one. Whether it is one depends on what the names resolve to.
 */
function expressionAsType(node: SyntaxNode): TypeExpr | undefined {
  switch (node.type) {
    case 'identifier':
    case 'type_identifier':
      return { kind: 'name', name: node.text, args: [], text: node.text };
    case 'selector_expression': {
      const operand = node.childForFieldName('operand');
      const field = node.childForFieldName('field');
      if (operand?.type !== 'identifier' || !field) return undefined;
      return { kind: 'name', qualifier: operand.text, name: field.text, args: [], text: node.text };
    }
    case 'index_expression':
    case 'type_instantiation_expression': {
      const [base, ...args] = named(node);
      const baseType = base && expressionAsType(base);
      if (!baseType || baseType.kind !== 'name' || args.length === 0) return undefined;
      const argTypes = args.map((a) => (a.type.endsWith('_expression') || a.type === 'identifier' ? expressionAsType(a) : typeOf(a)));
      if (argTypes.some((a) => !a)) return undefined;
      return { ...baseType, args: argTypes as TypeExpr[], text: node.text };
    }
    case 'unary_expression': {
      const operand = node.childForFieldName('operand');
      const elem = node.childForFieldName('operator')?.text === '*' && operand ? expressionAsType(operand) : undefined;
      return elem && { kind: 'pointer', elem };
    }
    case 'parenthesized_expression':
      return named(node)[0] ? expressionAsType(named(node)[0]) : undefined;
    default:
      return node.type.endsWith('_type') ? typeOf(node) : undefined;
  }
}

/** Types a struct can sit in and still be "the type of" a field or variable: `[]struct{…}`, `*struct{…}`, `map[K]struct{…}`. */
const TYPE_WRAPPERS = new Set([
  'slice_type', 'array_type', 'implicit_length_array_type', 'pointer_type', 'map_type', 'channel_type', 'parenthesized_type',
]);

/**
 * The field, variable or parameter whose type holds the struct (through slices, arrays, pointers, maps, and the
 * composite literal, or its address, a variable is set to), with a readable label: `T.f`, `T.f.g` when nested, `v` at package level,
 * `F.tests` (or `T.M.tests` in a method) inside a function.
 */
function ownerName(node: SyntaxNode, outerLabels: Map<number, string>): { node: SyntaxNode; label: string } | undefined {
  let inner = node;
  let parent = node.parent;
  while (parent && (TYPE_WRAPPERS.has(parent.type) || isAddressOf(parent) ||
    (parent.type === 'composite_literal' && parent.childForFieldName('type')?.equals(inner)))) {
    inner = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  if (parent.type === 'field_declaration' && parent.childForFieldName('type')?.equals(inner)) {
    const name = identifiersOf(parent, 'name')[0];
    const outer = parent.parent?.parent;
    if (!name || outer?.type !== 'struct_type') return undefined;
    const outerSpec = outer.parent;
    const typeName = outerSpec && (outerSpec.type === 'type_spec' || outerSpec.type === 'type_alias') ? outerSpec.childForFieldName('name')?.text : undefined;
    const outerLabel = typeName ?? outerLabels.get(outer.id);
    return { node: name, label: outerLabel ? nestedLabel(outerLabel, name.text) : name.text };
  }
  const name = declaredName(parent, inner);
  return name ? { node: name, label: inFunction(parent, name.text) } : undefined;
}

/** `&x`: `p := &struct{…}{…}` names the struct's variable as well. */
function isAddressOf(node: SyntaxNode): boolean {
  return node.type === 'unary_expression' && node.childForFieldName('operator')?.text === '&';
}

/** Labels keep the outermost name and the innermost few: structs nested thousands deep must not cost quadratic text. */
const MAX_LABEL_PARTS = 6;

/** `T.a.b` + `c`, shortened to `T.….x.y.z.c` past MAX_LABEL_PARTS names. */
function nestedLabel(outer: string, name: string): string {
  const parts = [...outer.split('.'), name];
  if (parts.length <= MAX_LABEL_PARTS) return parts.join('.');
  return [parts[0], '…', ...parts.slice(parts.length - (MAX_LABEL_PARTS - 2))].join('.');
}

/** The name a variable or parameter declaration gives to `typeOrValue`, its type or the value at some index. */
function declaredName(decl: SyntaxNode, typeOrValue: SyntaxNode): SyntaxNode | undefined {
  if ((decl.type === 'var_spec' || decl.type === 'parameter_declaration') && decl.childForFieldName('type')?.equals(typeOrValue)) {
    return identifiersOf(decl, 'name')[0];
  }
  // `tests := []struct{…}{…}`, `var tests = …`, `tests = …`: the name at the value's index.
  const list = decl.type === 'expression_list' ? decl : undefined;
  const spec = list?.parent;
  if (!list || !spec || !['short_var_declaration', 'var_spec', 'assignment_statement'].includes(spec.type)) return undefined;
  const index = list.namedChildren.findIndex((n) => n?.equals(typeOrValue));
  const names = spec.type === 'var_spec' ? identifiersOf(spec, 'name') : spec.childForFieldName('left')?.namedChildren ?? [];
  const name = names[index];
  return name && name.type === 'identifier' ? name : undefined;
}

/** `name` prefixed with the function or method declaring it, if any: `F.tests`, `T.M.tests`. */
function inFunction(node: SyntaxNode, name: string): string {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_declaration') return `${p.childForFieldName('name')?.text ?? 'func'}.${name}`;
    if (p.type === 'method_declaration') {
      const receiver = p.childForFieldName('receiver')?.descendantsOfType('type_identifier')[0]?.text;
      const method = p.childForFieldName('name')?.text ?? 'func';
      return receiver ? `${receiver}.${method}.${name}` : `${method}.${name}`;
    }
  }
  return name;
}

/** Type parameters of the enclosing generic declarations that a node's text mentions. */
function mentionedTypeParams(node: SyntaxNode): string[] {
  const params: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    const list = p.type === 'type_spec' || p.type === 'function_declaration' || p.type === 'method_declaration'
      ? p.childForFieldName('type_parameters') : null;
    if (list) {
      for (const decl of list.descendantsOfType('type_parameter_declaration')) {
        if (decl) params.push(...identifiersOf(decl, 'name').map((n) => n.text));
      }
    }
    if (p.type === 'method_declaration') {
      // A method of a generic type names its receiver's parameters: func (b *Box[T]) …
      const receiver = p.childForFieldName('receiver');
      for (const args of receiver?.descendantsOfType('type_arguments') ?? []) {
        if (args) params.push(...args.descendantsOfType('type_identifier').flatMap((n) => (n ? [n.text] : [])));
      }
    }
  }
  if (params.length === 0) return [];
  // Identifiers too: type arguments written as expressions (`F[Box[T]]`) are identifiers to the parser.
  const used = new Set(node.descendantsOfType(['type_identifier', 'identifier']).flatMap((n) => (n ? [n.text] : [])));
  return params.filter((p) => used.has(p));
}

/**
 * The identifiers of a repeated field. tree-sitter-go wraps a whole comma-separated list in some fields (a
 * const_spec's `name` covers `a, b, c`, commas included), so the commas are filtered out here.
 */
export function identifiersOf(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.childrenForFieldName(field).filter((n): n is SyntaxNode => n !== null && n.isNamed && n.type !== 'comment');
}

function importsOf(decl: SyntaxNode): ImportDecl[] {
  return decl.descendantsOfType('import_spec').flatMap((spec) => {
    const pathNode = spec?.childForFieldName('path');
    if (!spec || !pathNode) return [];
    const alias = spec.childForFieldName('name')?.text;
    return [{ alias, path: stringValue(pathNode) }];
  });
}

function typeDeclsOf(decl: SyntaxNode, localScope: number[] | undefined): TypeDecl[] {
  const decls: TypeDecl[] = [];
  for (const spec of named(decl)) {
    if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
    const nameNode = spec.childForFieldName('name');
    const typeNode = spec.childForFieldName('type');
    if (!nameNode || !typeNode) continue;
    const params = spec.childForFieldName('type_parameters');
    const isAlias = spec.type === 'type_alias';
    decls.push({
      name: nameNode.text,
      nameRange: rangeOf(nameNode),
      typeParams: params ? params.descendantsOfType('type_parameter_declaration')
        .flatMap((p) => p ? identifiersOf(p, 'name').map((n) => n.text) : []) : [],
      isAlias,
      type: typeOf(typeNode),
      typeRange: rangeOf(typeNode),
      localScope,
      ...(isAlias || params ? { refs: typeRefsIn(typeNode) } : {}),
    });
  }
  return decls;
}

/** Every type name mentioned inside a type expression, with the names its type arguments mention. */
function typeRefsIn(node: SyntaxNode): TypeRef[] {
  const refs: TypeRef[] = [];
  const nodes = [node, ...node.descendantsOfType(['type_identifier', 'qualified_type', 'generic_type'])];
  for (const n of nodes) {
    if (!n) continue;
    if (n.type === 'generic_type') {
      const base = n.childForFieldName('type');
      const argsNode = n.childForFieldName('type_arguments');
      const target = base && typeOf(base);
      if (!target || target.kind !== 'name') continue;
      const args = argsNode ? named(argsNode).map((a) => ({
        ...(a.type === 'type_identifier' || (a.type === 'type_elem' && named(a).length === 1 && named(a)[0].type === 'type_identifier')
          ? { bare: a.text } : {}),
        names: [a, ...a.descendantsOfType('type_identifier')].filter((x): x is SyntaxNode => x?.type === 'type_identifier').map((x) => x.text),
      })) : [];
      refs.push({ qualifier: target.qualifier, name: target.name, args });
    } else if (n.type === 'type_identifier' && n.parent?.type !== 'qualified_type' && n.parent?.type !== 'generic_type') {
      refs.push({ name: n.text, args: [] });
    } else if (n.type === 'qualified_type' && n.parent?.type !== 'generic_type') {
      refs.push({ qualifier: n.childForFieldName('package')?.text, name: n.childForFieldName('name')?.text ?? '', args: [] });
    }
  }
  return refs;
}

/** Type and constant expressions being extracted, nested: deeper than MAX_NESTING the rest is cut off. */
let nesting = 0;

function nested<T>(node: SyntaxNode, extract: (node: SyntaxNode) => T, tooDeep: () => T): T {
  if (nesting >= MAX_NESTING) return tooDeep();
  nesting++;
  try {
    return extract(node);
  } finally {
    nesting--;
  }
}

export function typeOf(node: SyntaxNode): TypeExpr {
  return nested(node, typeOfNode, () => ({ kind: 'unsupported', text: firstLine(node), reason: TOO_DEEP }));
}

function firstLine(node: SyntaxNode): string {
  const text = node.text;
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).slice(0, 40);
}

function typeOfNode(node: SyntaxNode): TypeExpr {
  switch (node.type) {
    case 'type_identifier':
    case 'identifier':
      return { kind: 'name', name: node.text, args: [], text: node.text };
    case 'qualified_type': {
      const qualifier = node.childForFieldName('package')?.text;
      const name = node.childForFieldName('name')?.text ?? '';
      return { kind: 'name', qualifier, name, args: [], text: node.text };
    }
    case 'generic_type':
      return genericTypeOf(node);
    case 'pointer_type':
      return { kind: 'pointer', elem: firstTypeChild(node) };
    case 'array_type': {
      const length = node.childForFieldName('length');
      const element = node.childForFieldName('element');
      if (!length || !element) return unsupported(node, 'incomplete array type');
      return { kind: 'array', length: constExprOf(length), elem: typeOf(element) };
    }
    case 'slice_type':
      return { kind: 'slice' };
    case 'map_type':
      return { kind: 'map' };
    case 'channel_type':
      return { kind: 'chan' };
    case 'function_type':
      return { kind: 'func' };
    case 'interface_type':
      return { kind: 'interface' };
    case 'struct_type':
      return { kind: 'struct', fields: fieldsOf(node) };
    case 'parenthesized_type':
      return firstTypeChild(node);
    case 'type_elem':
      return named(node).length === 1 ? typeOf(named(node)[0]) : unsupported(node, 'a type union has no layout');
    default:
      return unsupported(node, node.hasError ? 'syntax error in type' : `unsupported type syntax (${node.type})`);
  }
}

function unsupported(node: SyntaxNode, reason: string): TypeExpr {
  return { kind: 'unsupported', text: node.text.slice(0, 80), reason };
}

function firstTypeChild(node: SyntaxNode): TypeExpr {
  const inner = named(node)[0];
  return inner ? typeOf(inner) : unsupported(node, 'incomplete type');
}

function genericTypeOf(node: SyntaxNode): TypeExpr {
  const base = node.childForFieldName('type');
  const argsNode = node.childForFieldName('type_arguments');
  if (!base) return unsupported(node, 'incomplete generic type');
  const baseType = typeOf(base);
  if (baseType.kind === 'unsupported') return baseType;
  if (baseType.kind !== 'name') return unsupported(node, 'unsupported generic type');
  const args = argsNode ? named(argsNode).map(typeOf) : [];
  return { ...baseType, args, text: node.text };
}

function fieldsOf(structNode: SyntaxNode): FieldDecl[] {
  const list = named(structNode).find((n) => n.type === 'field_declaration_list');
  if (!list) return [];
  return named(list).filter((n) => n.type === 'field_declaration').map(fieldOf);
}

export function fieldOf(node: SyntaxNode): FieldDecl {
  const typeNode = node.childForFieldName('type');
  const names = identifiersOf(node, 'name');
  const embedded = names.length === 0;
  const isPointer = embedded && node.children.some((c) => c?.type === '*');
  let type: TypeExpr = typeNode ? typeOf(typeNode) : unsupported(node, 'field without a type');
  if (isPointer) type = { kind: 'pointer', elem: type };
  const typeRange = rangeOf(typeNode ?? node);
  return {
    names: names.map((n) => ({ name: n.text, range: rangeOf(n) })),
    type,
    embedded,
    typeRange,
    typeText: (isPointer ? '*' : '') + (typeNode?.text ?? ''),
  };
}

function constsOf(decl: SyntaxNode, localScopes?: number[]): ConstDecl[] {
  const consts: ConstDecl[] = [];
  let previousValues: SyntaxNode[] = [];
  let previousType: SyntaxNode | null = null;
  named(decl).filter((n) => n.type === 'const_spec').forEach((spec, iota) => {
    const valueList = spec.childForFieldName('value');
    const names = identifiersOf(spec, 'name');
    // A spec without values repeats the previous spec's expressions and type, with the next iota.
    if (valueList) {
      previousValues = named(valueList);
      previousType = spec.childForFieldName('type');
    }
    names.forEach((nameNode, i) => {
      const valueNode = previousValues[i];
      if (nameNode.text === '_' || !valueNode) return;
      consts.push({
        name: nameNode.text,
        type: previousType ? typeOf(previousType) : undefined,
        value: constExprOf(valueNode),
        iota,
        ...(localScopes ? { local: { scopes: localScopes, at: rangeOf(nameNode).start } } : {}),
      });
    });
  });
  return consts;
}

/** The type of a composite literal; `[...]T{…}` gets the length its elements give it. */
function compositeLiteralType(node: SyntaxNode): TypeExpr | undefined {
  const typeNode = node.childForFieldName('type');
  if (!typeNode) return undefined;
  if (typeNode.type !== 'implicit_length_array_type') return typeOf(typeNode);
  const elem = named(typeNode)[0];
  const body = node.childForFieldName('body');
  if (!elem || !body) return unsupported(node, 'incomplete array literal');
  const runs: { key?: ConstExpr; count: number }[] = [{ count: 0 }];
  for (const element of named(body)) {
    if (element.type === 'keyed_element') {
      const key = named(element)[0];
      const keyExpr = key?.type === 'literal_element' && named(key)[0] ? constExprOf(named(key)[0]) : undefined;
      runs.push({ key: keyExpr ?? { kind: 'unsupported', text: element.text.slice(0, 40) }, count: 1 });
    } else {
      runs[runs.length - 1].count++;
    }
  }
  return { kind: 'array', length: { kind: 'literalLength', runs }, elem: typeOf(elem) };
}

function collectVarTypes(decl: SyntaxNode, into: Map<string, TypeExpr>): void {
  // Only the declaration's own specs: var_specs inside function literals of an initializer are local variables.
  const specs = named(decl).flatMap((n) => (n.type === 'var_spec_list' ? named(n) : [n]));
  for (const spec of specs) {
    if (spec.type !== 'var_spec') continue;
    const typeNode = spec.childForFieldName('type');
    const value = spec.childForFieldName('value')?.namedChildren[0];
    const type = typeNode ? typeOf(typeNode) : value?.type === 'composite_literal' ? compositeLiteralType(value) : undefined;
    if (!type) continue;
    for (const n of identifiersOf(spec, 'name')) into.set(n.text, type);
  }
}

export function constExprOf(node: SyntaxNode): ConstExpr {
  return nested(node, constExprOfNode, () => ({ kind: 'unsupported', text: `${firstLine(node)}… (${TOO_DEEP})` }));
}

function constExprOfNode(node: SyntaxNode): ConstExpr {
  switch (node.type) {
    case 'int_literal':
      return intLiteral(node.text);
    case 'float_literal': {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isSafeInteger(value) ? { kind: 'int', value: BigInt(value) } : unsupportedExpr(node);
    }
    case 'rune_literal': {
      const value = runeValue(node.text);
      return value === undefined ? unsupportedExpr(node) : { kind: 'int', value: BigInt(value) };
    }
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return { kind: 'string', value: stringValue(node) };
    case 'true':
    case 'false':
      return { kind: 'bool', value: node.type === 'true' };
    case 'iota':
      return { kind: 'iota' };
    case 'identifier':
      return { kind: 'ref', name: node.text };
    case 'selector_expression':
      return selectorOf(node);
    case 'parenthesized_expression':
      return named(node)[0] ? constExprOf(named(node)[0]) : unsupportedExpr(node);
    case 'unary_expression': {
      const operand = node.childForFieldName('operand');
      const op = node.childForFieldName('operator')?.text ?? '';
      return operand ? { kind: 'unary', op, operand: constExprOf(operand) } : unsupportedExpr(node);
    }
    case 'binary_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const op = node.childForFieldName('operator')?.text ?? '';
      return left && right ? { kind: 'binary', op, left: constExprOf(left), right: constExprOf(right) }
        : unsupportedExpr(node);
    }
    case 'call_expression':
      return callOf(node);
    case 'composite_literal': {
      const type = compositeLiteralType(node);
      return type ? { kind: 'typed', type } : unsupportedExpr(node);
    }
    case 'type_conversion_expression': {
      const type = node.childForFieldName('type');
      return type ? { kind: 'typed', type: typeOf(type) } : unsupportedExpr(node);
    }
    default:
      return unsupportedExpr(node);
  }
}

function unsupportedExpr(node: SyntaxNode): ConstExpr {
  return { kind: 'unsupported', text: node.text.slice(0, 80) };
}

function selectorOf(node: SyntaxNode): ConstExpr {
  const operand = node.childForFieldName('operand');
  const field = node.childForFieldName('field')?.text ?? '';
  if (!operand) return unsupportedExpr(node);
  if (operand.type === 'identifier') return { kind: 'ref', qualifier: operand.text, name: field };
  return { kind: 'selector', operand: constExprOf(operand), field };
}

function callOf(node: SyntaxNode): ConstExpr {
  const fn = node.childForFieldName('function');
  const argList = node.childForFieldName('arguments');
  if (!fn) return unsupportedExpr(node);
  const args = argList ? named(argList).map(constExprOf) : [];
  const typeArgsNode = node.childForFieldName('type_arguments');
  const typeArgs = typeArgsNode ? named(typeArgsNode).map(typeOf) : [];
  if (fn.type === 'identifier') return { kind: 'call', callee: { name: fn.text }, args, typeArgs };
  if (fn.type === 'selector_expression') {
    const operand = fn.childForFieldName('operand');
    const name = fn.childForFieldName('field')?.text ?? '';
    if (operand?.type === 'identifier') {
      return { kind: 'call', callee: { qualifier: operand.text, name }, args, typeArgs };
    }
  }
  if (fn.type === 'parenthesized_expression' || fn.type.endsWith('_type')) {
    // `(*T)(nil)` or `[]byte(s)`: a conversion whose result type is the callee.
    return { kind: 'typed', type: typeOf(fn.type === 'parenthesized_expression' ? named(fn)[0] ?? fn : fn) };
  }
  return unsupportedExpr(node);
}

function intLiteral(text: string): ConstExpr {
  const digits = text.replace(/_/g, '');
  const legacyOctal = /^0[0-7]+$/.test(digits) ? '0o' + digits.slice(1) : digits;
  try {
    return { kind: 'int', value: BigInt(legacyOctal.replace(/^0O/, '0o').replace(/^0X/, '0x').replace(/^0B/, '0b')) };
  } catch {
    return { kind: 'unsupported', text };
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };

function runeValue(literal: string): number | undefined {
  const body = literal.slice(1, -1);
  if (!body.startsWith('\\')) return body.codePointAt(0);
  const kind = body[1];
  if (kind in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[kind];
  if (kind === 'x' || kind === 'u' || kind === 'U') return parseInt(body.slice(2), 16);
  if (/[0-7]/.test(kind)) return parseInt(body.slice(1), 8);
  return undefined;
}

function stringValue(node: SyntaxNode): string {
  const text = node.text;
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    return JSON.parse(text) as string;
  } catch {
    return text.slice(1, -1);
  }
}
