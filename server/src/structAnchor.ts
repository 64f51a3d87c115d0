import type { Range, StructInfo } from '../../core/src/api';

const STRUCT_KEYWORD = 'struct';

/** Whether the struct is an anonymous `struct{…}` (the type of a field, a variable or a composite literal). */
export function isAnonymous(struct: StructInfo): boolean {
  return struct.form?.kind === 'literal';
}

/**
 * Where a struct is pointed at: its size hint, its hover and the Memory Layout view's position sit on its name, or
 * for an anonymous struct on its `struct` keyword (its name is a field or variable that has hovers of its own).
 */
export function anchorOf(struct: StructInfo): Range {
  if (!isAnonymous(struct)) return struct.nameRange;
  const start = struct.bodyRange.start;
  return { start, end: { line: start.line, character: start.character + STRUCT_KEYWORD.length } };
}

/**
 * Anonymous structs worth showing: `struct{}` (no fields, 0 B with alignment 1 on every target) is everywhere
 * (`chan struct{}`, `map[K]struct{}`) and would only add noise.
 */
export function worthShowing(struct: StructInfo): boolean {
  return !isAnonymous(struct) || struct.fields.length > 0;
}
