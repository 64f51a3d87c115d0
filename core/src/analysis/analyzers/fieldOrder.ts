import * as path from 'path';
import type { Target } from '../../api';
import type { FieldDecl } from '../../model/ast';
import { fieldOf, rangeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { arrayPtrBytes, isKnown, Shape } from '../../layout/shapes';
import { targetKey } from '../../targets';
import type { Fix, ReorderGoal } from '../finding';
import { Analyzer, nodesOfType, Pass } from '../pass';
import { isGeneratedFile } from '../packageLiterals';

/** A field declaration with the source lines that travel with it (doc comment above, trailing comment). */
interface FieldUnit {
  decl: FieldDecl;
  /** Per target key: the field's shape; every target must be known to reorder. */
  shapes: Map<string, Shape>;
  firstLine: number;
  lastLine: number;
}

export const fieldOrder: Analyzer = {
  name: 'fieldorder',
  ruleId: 'GAL1006',
  doc: 'Structs whose fields, reordered, would be smaller on the configured targets, or leave the garbage collector fewer pointer bytes to scan (offered as a fix, not a warning).',
  // Anonymous structs (`[]struct{…}` test tables, `var x struct{…}`) leave no trace in the file model: every file
  // may hold one.
  appliesTo: () => true,
  run(pass) {
    if (pass.fileTargets.length === 0) return;
    for (const struct of nodesOfType(pass.root, 'struct_type')) {
      const spec = struct.parent?.type === 'type_spec' ? struct.parent : undefined;
      if (spec?.childForFieldName('type_parameters')) continue;
      const name = spec?.childForFieldName('name');
      if (spec && !name) continue;
      suggestOrder(pass, struct, name ?? undefined);
    }
  },
};

/**
 * Reports a struct (named when `name` is given, else anonymous) whose fields, reordered, are smaller. The fix is
 * withheld for an anonymous struct whose type is written again elsewhere in the file (the two would no longer be
 * the same type) or whose composite literal lists values by position (they would land in the wrong fields).
 */
function suggestOrder(pass: Pass, struct: SyntaxNode, name: SyntaxNode | undefined): void {
  const units = fieldUnits(pass, struct);
  if (!units || units.length < 2) return;
  const targets = pass.fileTargets;
  const smallest = bestOrder(units, targets);
  const leanest = fewestPointerBytesOrder(units, targets);
  const before = figuresOf(pass, units, targets);
  const small = figuresOf(pass, smallest, targets);
  const lean = leanest && figuresOf(pass, leanest, targets);
  if (!before || !small) return;
  const savings = targets.map((t) => ({ target: t, saved: before.get(targetKey(t))!.size - small.get(targetKey(t))!.size }));
  const offerSmallest = savings.every((s) => s.saved >= 0) && savings.some((s) => s.saved > 0);
  // The second goal keeps the smallest size and then scans fewer pointer bytes than the order it replaces.
  const baseline = offerSmallest ? small : before;
  const ptr = (figures: Figures, t: Target) => figures.get(targetKey(t))!.ptrBytes ?? Number.NaN;
  const offerLeanest = !!lean && !!leanest && !sameOrder(leanest, smallest) &&
    targets.every((t) => lean.get(targetKey(t))!.size <= baseline.get(targetKey(t))!.size && ptr(lean, t) <= ptr(baseline, t)) &&
    targets.some((t) => ptr(lean, t) < ptr(baseline, t));
  if (!offerSmallest && !offerLeanest) return;
  const sizeSummary = offerSmallest ? describeSavings(savings, new Map([...before].map(([k, v]) => [k, v.size]))) : '';
  const pointerSummary = offerLeanest ? describePointerBytes(targets.map((t) => ({ target: t, from: ptr(before, t), to: ptr(lean!, t) }))) : '';
  const label = name ? name.text : 'this struct';
  const range = rangeOf(name ?? struct.child(0) ?? struct);
  // A generated file is rewritten by its generator: an edit there is lost, or breaks the generator's checks.
  const blocker = isGeneratedFile(pass.text) ? 'the file is generated (change its generator instead)'
    : name ? positionalLiteralBlocker(pass, name.text) : anonymousBlocker(pass, struct);
  if (blocker) {
    const gain = offerSmallest ? `save ${sizeSummary}` : `leave fewer pointer bytes to scan (${pointerSummary})`;
    pass.report({ range, severity: 'hint', message: `reordering the fields of ${label} would ${gain}, but ${blocker}` });
    return;
  }
  const caveat = name && otherPackagesMayListFields(name.text, units) ? ` (other packages may build ${name.text} with positional literals, which a reorder breaks)` : '';
  const fixes = [];
  if (offerSmallest) fixes.push(reorderFix(pass, units, smallest, `Reorder fields of ${label} to save ${sizeSummary}`, 'smallest'));
  if (offerLeanest) {
    const title = offerSmallest
      ? `Reorder fields of ${label} to save ${sizeSummary}, then scan fewer pointer bytes (${pointerSummary})`
      : `Reorder fields of ${label} to scan fewer pointer bytes (${pointerSummary})`;
    fixes.push(reorderFix(pass, units, leanest!, title, 'smallest-then-pointers'));
  }
  const gain = offerSmallest ? `saves ${sizeSummary}` : `leaves fewer pointer bytes for the GC to scan: ${pointerSummary}`;
  pass.report({ range, severity: 'hint', message: `reordering the fields of ${label} ${gain}${caveat}`, fixes });
}

/** Rewrites the struct's field lines in `order`, each field with its doc comment, trailing comment and tag. */
function reorderFix(pass: Pass, units: FieldUnit[], order: FieldUnit[], title: string, reorderGoal: ReorderGoal): Fix {
  const lines = pass.text.split('\n');
  const body = order.map((u) => lines.slice(u.firstLine, u.lastLine + 1).join('\n')).join('\n') + '\n';
  const start = units[0].firstLine;
  const end = units[units.length - 1].lastLine + 1;
  return {
    title,
    edits: [{ file: pass.file, range: { start: { line: start, character: 0 }, end: { line: end, character: 0 } }, newText: body }],
    fieldOrder: flatFieldOrder(units, order),
    reorderGoal,
  };
}

function sameOrder(a: FieldUnit[], b: FieldUnit[]): boolean {
  return a.every((unit, i) => unit === b[i]);
}

/** `40 → 8 B on linux/amd64, linux/arm64; 20 → 4 B on linux/386, linux/arm`, only where it changes. */
function describePointerBytes(changes: { target: Target; from: number; to: number }[]): string {
  const groups = new Map<string, Target[]>();
  for (const c of changes.filter((x) => x.to !== x.from)) {
    const key = `${c.from} → ${c.to} B`;
    groups.set(key, [...(groups.get(key) ?? []), c.target]);
  }
  return [...groups].map(([figures, targets]) => `${figures} on ${targets.map(targetKey).join(', ')}`).join('; ');
}

/** Why an anonymous struct's fields cannot be moved safely, if they cannot. */
function anonymousBlocker(pass: Pass, struct: SyntaxNode): string | undefined {
  const normalized = (text: string) => text.replace(/\s+/g, ' ');
  const own = normalized(struct.text);
  const twins = nodesOfType(pass.root, 'struct_type').filter((s) => s.startIndex !== struct.startIndex && normalized(s.text) === own);
  if (twins.length > 0) return `the same struct type is written again at line ${twins[0].startPosition.row + 1}, which would no longer match it`;
  if (hasPositionalElements(struct)) return 'its composite literal lists values by position';
  return undefined;
}

const WRAPPERS = new Set(['slice_type', 'array_type', 'implicit_length_array_type', 'map_type', 'pointer_type']);

/**
 * Whether a composite literal of this struct (`struct{…}{…}`, or through slices, arrays, maps and pointers:
 * `[]struct{…}{{…}, …}`) gives a struct value by position rather than by field name.
 */
function hasPositionalElements(struct: SyntaxNode): boolean {
  let node: SyntaxNode = struct;
  let depth = 0;
  for (; node.parent && WRAPPERS.has(node.parent.type); node = node.parent) if (node.parent.type !== 'pointer_type') depth++;
  const body = node.parent?.type === 'composite_literal' ? node.parent.childForFieldName('body') : null;
  if (!body) return false;
  let lists: SyntaxNode[] = [body];
  for (let level = 0; level < depth; level++) lists = lists.flatMap(elementLiterals);
  return lists.some((list) => list.namedChildren.some((el) => el?.type === 'literal_element'));
}

/** The literal values given as elements of a list (`{…}` or `key: {…}`). */
function elementLiterals(list: SyntaxNode): SyntaxNode[] {
  return list.namedChildren.flatMap((el) => {
    if (!el) return [];
    const value = el.type === 'keyed_element' ? el.namedChildren[el.namedChildren.length - 1] : el;
    const inner = value?.type === 'literal_element' ? value.namedChildren[0] : value;
    return inner?.type === 'literal_value' ? [inner] : [];
  });
}

/** Why the reorder is not offered: a literal of the package lists the fields by position (it would not compile). */
function positionalLiteralBlocker(pass: Pass, typeName: string): string | undefined {
  const literals = pass.packageLiterals();
  if (!literals) return 'a file of its package cannot be read to prove no literal lists its fields by position';
  const site = literals.positionalUses(typeName)[0];
  if (!site) return undefined;
  return `${path.basename(site.file)}:${site.line + 1} builds it with a positional literal, which the reorder would break`;
}

/** Other packages can write `pkg.T{a, b}` only for an exported type whose fields are all exported. */
function otherPackagesMayListFields(typeName: string, units: FieldUnit[]): boolean {
  const exported = (name: string) => /^\p{Lu}/u.test(name);
  const names = units.flatMap((u) => (u.decl.embedded ? [u.decl.typeText.replace(/^\*/, '').replace(/\[[\s\S]*$/, '').split('.').pop() ?? ''] : u.decl.names.map((n) => n.name)));
  return exported(typeName) && names.every(exported);
}

/**
 * The reordered fields as indexes into the struct's fields one name at a time (`a, b int32` is two fields moving
 * together), the numbering `StructInfo.fields` uses.
 */
function flatFieldOrder(units: FieldUnit[], reordered: FieldUnit[]): number[] {
  const firstIndex = new Map<FieldUnit, number>();
  let next = 0;
  for (const unit of units) {
    firstIndex.set(unit, next);
    next += namesIn(unit);
  }
  return reordered.flatMap((unit) => Array.from({ length: namesIn(unit) }, (_, i) => firstIndex.get(unit)! + i));
}

/** Fields one declaration adds: its names, or one embedded field. */
function namesIn(unit: FieldUnit): number {
  return Math.max(1, unit.decl.names.length);
}

/** Groups targets with the same figures: `8 B on linux/amd64, linux/arm64 (24 → 16 B); 4 B on …`, each group its own. */
function describeSavings(savings: { target: Target; saved: number }[], before: Map<string, number>): string {
  const groups = new Map<string, { saved: number; size: number; targets: Target[] }>();
  for (const s of savings.filter((x) => x.saved > 0)) {
    const size = before.get(targetKey(s.target))!;
    const key = `${s.saved}:${size}`;
    const group = groups.get(key) ?? { saved: s.saved, size, targets: [] };
    group.targets.push(s.target);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => `${g.saved} B on ${g.targets.map(targetKey).join(', ')} (${g.size} → ${g.size - g.saved} B)`)
    .join('; ');
}

/**
 * The struct's field declarations as movable units, or undefined when the struct cannot be rewritten line by
 * line (several fields on one line, a field with an unknown layout, comments not attached to a field).
 */
function fieldUnits(pass: Pass, struct: SyntaxNode): FieldUnit[] | undefined {
  const list = struct.namedChildren.find((n) => n?.type === 'field_declaration_list');
  if (!list) return undefined;
  const units: FieldUnit[] = [];
  let pendingCommentLine: number | undefined;
  let previousLastLine = list.startPosition.row;
  for (const child of list.namedChildren) {
    if (!child) continue;
    if (child.type === 'comment') {
      // A comment on the line of the previous field (or of the opening brace) stays where it is.
      if (child.startPosition.row === previousLastLine) continue;
      pendingCommentLine ??= child.startPosition.row;
      continue;
    }
    if (child.type !== 'field_declaration') return undefined;
    const firstLine = pendingCommentLine ?? child.startPosition.row;
    if (firstLine <= previousLastLine) return undefined;
    pendingCommentLine = undefined;
    const decl = fieldOf(child);
    const shapes = new Map<string, Shape>();
    for (const target of pass.fileTargets) {
      const shape = pass.oracle.layoutOf(decl.type, target);
      if (!isKnown(shape)) return undefined;
      // Several names in one declaration move together: their combined footprint, like an array of them.
      const count = Math.max(1, decl.names.length);
      shapes.set(targetKey(target), { size: shape.size * count, align: shape.align, ...arrayPtrBytes(count, shape) });
    }
    units.push({ decl, shapes, firstLine, lastLine: child.endPosition.row });
    previousLastLine = child.endPosition.row;
  }
  // Comments after the last field (notes on the struct as a whole) stay where they are, below the fields.
  if (list.endPosition.row <= previousLastLine) return undefined;
  return units;
}

/**
 * Zero-size fields first (a trailing zero-size field costs padding), then by alignment, largest first, on every
 * target in turn. Since every Go type's size is a multiple of its alignment, that leaves no padding between
 * fields on any target.
 */
function bestOrder(units: FieldUnit[], targets: Target[]): FieldUnit[] {
  return [...units].sort(bySizeGoal(targets));
}

/**
 * The smallest order, then among fields it ranks equal, pointerful ones first, the one with the most bytes
 * after its last pointer last: the pointer prefix then ends as early as this order allows. Pointers are
 * word-aligned, so pointerful fields sit in the leading alignment group, where their order costs no padding.
 */
function fewestPointerBytesOrder(units: FieldUnit[], targets: Target[]): FieldUnit[] | undefined {
  const keys = targets.map(targetKey);
  // A field whose pointers are unknown (a std type from the built-in table) leaves this goal unknown too.
  if (units.some((u) => keys.some((k) => u.shapes.get(k)!.ptrBytes === null))) return undefined;
  const bySize = bySizeGoal(targets);
  const hasPointers = (u: FieldUnit) => keys.some((k) => u.shapes.get(k)!.ptrBytes! > 0);
  const pointerFreeTail = (u: FieldUnit, k: string) => u.shapes.get(k)!.size - u.shapes.get(k)!.ptrBytes!;
  return [...units].sort((a, b) => {
    const bySizeOrder = bySize(a, b);
    if (bySizeOrder !== 0) return bySizeOrder;
    if (hasPointers(a) !== hasPointers(b)) return hasPointers(a) ? -1 : 1;
    if (!hasPointers(a)) return 0;
    for (const k of keys) {
      const d = pointerFreeTail(a, k) - pointerFreeTail(b, k);
      if (d !== 0) return d;
    }
    return 0;
  });
}

function bySizeGoal(targets: Target[]): (a: FieldUnit, b: FieldUnit) => number {
  const keys = targets.map(targetKey);
  const maxAlign = (u: FieldUnit) => Math.max(...keys.map((k) => u.shapes.get(k)!.align));
  const isZero = (u: FieldUnit) => keys.every((k) => u.shapes.get(k)!.size === 0);
  return (a, b) => {
    if (isZero(a) !== isZero(b)) return isZero(a) ? -1 : 1;
    const byMax = maxAlign(b) - maxAlign(a);
    if (byMax !== 0) return byMax;
    for (const k of keys) {
      const d = b.shapes.get(k)!.align - a.shapes.get(k)!.align;
      if (d !== 0) return d;
    }
    return 0;
  };
}

/** Size and pointer bytes (null: unknown) of the struct with its fields in `units`' order, per target key. */
type Figures = Map<string, { size: number; ptrBytes: number | null }>;

function figuresOf(pass: Pass, units: FieldUnit[], targets: Target[]): Figures | undefined {
  const figures: Figures = new Map();
  for (const target of targets) {
    const layout = pass.oracle.layoutOf({ kind: 'struct', fields: units.map((u) => u.decl) }, target);
    if (!isKnown(layout)) return undefined;
    figures.set(targetKey(target), { size: layout.size, ptrBytes: layout.ptrBytes });
  }
  return figures;
}
