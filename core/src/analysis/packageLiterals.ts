import type { SyntaxNode } from '../parse/goParser';

/** Where a composite literal lists struct fields by position (`T{1, 2}`, or `{1, 2}` elided in `[]T{…}`). */
export interface PositionalSite {
  file: string;
  /** Zero-based line of the literal's `{`. */
  line: number;
}

/**
 * What a package's sources say about how its types are built, read from full syntax trees: which type names get
 * positional composite literals, and which names are declared from which (`type U T`, `type U = T`), since a
 * literal of U lists T's fields too. A proof for fixes that move or retype struct fields.
 */
export class PackageLiterals {
  /** Positional literal sites by the type name written (or implied by elision). */
  private readonly positional = new Map<string, PositionalSite[]>();
  /** `type U T` / `type U = T`: U by T. */
  private readonly derived = new Map<string, string[]>();
  /** Element types of the package's own slice, array and map types, so `Rows{{1, 2}}` counts as a T literal. */
  private readonly containers = new Map<string, string>();
  private readonly pendingNamed: { file: string; name: string; body: SyntaxNode }[] = [];
  /** Fields holding a type by value in named structs (`type H struct{ T; r T }`): by type, holder → field names. */
  private readonly heldIn = new Map<string, Map<string, string[]>>();
  /** Literals of a type written as a keyed field value of another type's literal (`H{r: T{}}`): by type, the outer types. */
  private readonly literalsInside = new Map<string, Set<string>>();
  /** Names used in any other way that may make a value of their own: literals, conversions, new, value variables. */
  private readonly standalone = new Set<string>();

  /** Adds one file; its syntax tree need only live during the call. */
  addFile(file: string, root: SyntaxNode): void {
    for (const spec of root.descendantsOfType(['type_spec', 'type_alias'])) {
      const name = spec?.childForFieldName('name')?.text;
      const type = spec?.childForFieldName('type');
      if (!name || !type) continue;
      if (type.type === 'type_identifier') this.derived.set(type.text, [...(this.derived.get(type.text) ?? []), name]);
      if (['slice_type', 'array_type', 'map_type'].includes(type.type)) this.containers.set(name, type.text.replace(/\s+/g, ''));
    }
    this.classifyTypeUses(root);
    for (const literal of root.descendantsOfType('composite_literal')) {
      const type = literal?.childForFieldName('type');
      const body = literal?.childForFieldName('body');
      if (type && body) this.visit(file, typeText(type), type, body);
    }
  }

  /**
   * The positional literals of `typeName` or of any type declared from it, in the files added. Elided literals
   * inside a named container type of the package (`type Rows []T`) count too.
   */
  positionalUses(typeName: string): PositionalSite[] {
    const names = this.namesOf(typeName);
    const sites = [...names].flatMap((n) => this.positional.get(n) ?? []);
    for (const pending of this.pendingNamed) {
      const element = this.containerElement(pending.name);
      if (element && names.has(element) && hasPositionalElement(pending.body)) sites.push({ file: pending.file, line: pending.body.startPosition.row });
    }
    return sites;
  }

  /**
   * Where values of `typeName` live, when the package only ever makes them as fields of its named structs
   * (embedded or named, by value): holder struct → field names. Undefined when anything may make a value of its
   * own: a literal (other than a field's value in a holder's literal), a conversion, `new`, a variable, a value
   * receiver, a slice or array element. Pointers to it (`*T` receivers, fields) make no value.
   */
  onlyHeldIn(typeName: string): Map<string, string[]> | undefined {
    const holders = this.heldIn.get(typeName);
    if (!holders || this.standalone.has(typeName) || this.derived.has(typeName)) return undefined;
    const outer = this.literalsInside.get(typeName) ?? new Set();
    return [...outer].every((h) => holders.has(h)) ? holders : undefined;
  }

  private classifyTypeUses(root: SyntaxNode): void {
    for (const node of root.descendantsOfType(['type_identifier', 'identifier'])) {
      if (!node) continue;
      const parent = node.parent;
      if (node.type === 'identifier') {
        // In an expression a type name is a conversion or new(T)'s argument: a value of its own.
        if (parent?.type === 'call_expression' || parent?.type === 'argument_list') this.standalone.add(node.text);
        continue;
      }
      if (!parent || (parent.type === 'type_spec' || parent.type === 'type_alias') && parent.childForFieldName('name')?.equals(node)) continue;
      if (parent.type === 'pointer_type' || parent.type === 'qualified_type' || parent.type === 'generic_type') continue;
      // An embedded `*T` is written with the star as a token of the field, not as a pointer type.
      if (parent.type === 'field_declaration' && parent.children.some((c) => c?.type === '*')) continue;
      if (parent.type === 'field_declaration' && parent.childForFieldName('type')?.equals(node) && this.recordHeld(node.text, parent)) continue;
      if (parent.type === 'composite_literal' && this.recordLiteralInside(node.text, parent)) continue;
      this.standalone.add(node.text);
    }
  }

  private recordHeld(typeName: string, field: SyntaxNode): boolean {
    const holder = embeddingStruct(field);
    if (!holder) return false;
    const names = field.childrenForFieldName('name').map((n) => n?.text ?? '').filter(Boolean);
    const byHolder = this.heldIn.get(typeName) ?? new Map<string, string[]>();
    byHolder.set(holder, [...(byHolder.get(holder) ?? []), ...(names.length > 0 ? names : [typeName])]);
    this.heldIn.set(typeName, byHolder);
    return true;
  }

  /** `H{r: T{}}`: the T literal is copied into a field of an H value, not a value of its own. */
  private recordLiteralInside(typeName: string, literal: SyntaxNode): boolean {
    const keyed = literal.parent?.type === 'literal_element' ? literal.parent.parent : null;
    const outer = keyed?.type === 'keyed_element' ? keyed.parent?.parent : null;
    const outerType = outer?.type === 'composite_literal' ? outer.childForFieldName('type') : null;
    if (outerType?.type !== 'type_identifier') return false;
    this.literalsInside.set(typeName, (this.literalsInside.get(typeName) ?? new Set()).add(outerType.text));
    return true;
  }

  /** `typeName` and every name declared from it, transitively. */
  private namesOf(typeName: string): Set<string> {
    const names = new Set([typeName]);
    const queue = [typeName];
    while (queue.length > 0) {
      for (const next of this.derived.get(queue.pop()!) ?? []) {
        if (!names.has(next)) {
          names.add(next);
          queue.push(next);
        }
      }
    }
    return names;
  }

  private containerElement(name: string): string | undefined {
    return this.containers.get(name)?.match(/^(?:\[[^\]]*\]|map\[[^\]]*\])\*?([A-Za-z_]\w*)$/)?.[1];
  }

  private visit(file: string, name: string | undefined, type: SyntaxNode, body: SyntaxNode): void {
    if (name !== undefined) {
      if (hasPositionalElement(body)) this.record(name, { file, line: body.startPosition.row });
      // Elements of a named container are elided literals of its element type, known once every file is in.
      for (const inner of elidedLiterals(body, 'value')) this.pendingNamed.push({ file, name, body: inner });
      return;
    }
    const element = elementTypes(type);
    if (!element) return;
    for (const [role, elemType] of element) {
      for (const inner of elidedLiterals(body, role)) this.visit(file, typeText(elemType), elemType, inner);
    }
  }

  private record(name: string, site: PositionalSite): void {
    this.positional.set(name, [...(this.positional.get(name) ?? []), site]);
  }
}

/** The named struct type whose field list holds `field`, if the struct is a type declaration's own. */
function embeddingStruct(field: SyntaxNode): string | undefined {
  const struct = field.parent?.parent;
  const spec = struct?.type === 'struct_type' ? struct.parent : undefined;
  return spec?.type === 'type_spec' ? spec.childForFieldName('name')?.text : undefined;
}

/** The type name a literal's type denotes (`T`, `T[int]` → T, `pkg.T` → pkg.T, `*T` → T), or undefined for `[]T`, `map…`. */
function typeText(type: SyntaxNode): string | undefined {
  switch (type.type) {
    case 'type_identifier':
      return type.text;
    case 'generic_type':
      return type.childForFieldName('type')?.text;
    case 'qualified_type':
      return type.text.replace(/\s+/g, '');
    case 'pointer_type': {
      const inner = type.namedChildren[0];
      return inner ? typeText(inner) : undefined;
    }
    default:
      return undefined;
  }
}

/** The element types of a slice, array or map type literal, by where their elided literals appear. */
function elementTypes(type: SyntaxNode): [('key' | 'value'), SyntaxNode][] | undefined {
  if (['slice_type', 'array_type', 'implicit_length_array_type'].includes(type.type)) {
    const element = type.childForFieldName('element');
    return element ? [['value', element]] : undefined;
  }
  if (type.type === 'map_type') {
    const key = type.childForFieldName('key');
    const value = type.childForFieldName('value');
    return [...(key ? [['key', key] as ['key', SyntaxNode]] : []), ...(value ? [['value', value] as ['value', SyntaxNode]] : [])];
  }
  return undefined;
}

/** The literal values written without a type among a literal's elements (or its keys, for `role` key). */
function elidedLiterals(body: SyntaxNode, role: 'key' | 'value'): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const element of body.namedChildren) {
    if (!element) continue;
    let holder: SyntaxNode | null = null;
    if (element.type === 'literal_element' && role === 'value') holder = element;
    if (element.type === 'keyed_element') holder = element.childForFieldName(role);
    const inner = holder?.namedChildren[0];
    if (inner?.type === 'literal_value') found.push(inner);
  }
  return found;
}

/** Whether a literal value lists at least one element without a key. */
function hasPositionalElement(body: SyntaxNode): boolean {
  return body.namedChildren.some((c) => c?.type === 'literal_element');
}

/** Whether a Go file says it is generated (`// Code generated … DO NOT EDIT.` before its package clause). */
export function isGeneratedFile(text: string): boolean {
  const head = text.slice(0, Math.max(0, text.search(/^package\s/m)));
  return /^\/\/ Code generated .* DO NOT EDIT\.\r?$/m.test(head);
}
