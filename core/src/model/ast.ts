import type { Position, Range } from '../api';

/** A Go type expression reduced to what layout needs. Plain data: no syntax-tree references survive parsing. */
export type TypeExpr =
  | { kind: 'name'; qualifier?: string; name: string; args: TypeExpr[]; text: string }
  | { kind: 'pointer'; elem: TypeExpr }
  /** Types whose layout is fixed by their kind alone (a header of pointer-sized words). */
  | { kind: 'slice' | 'map' | 'chan' | 'func' | 'interface' }
  | { kind: 'array'; length: ConstExpr; elem: TypeExpr }
  | { kind: 'struct'; fields: FieldDecl[] }
  | { kind: 'unsupported'; text: string; reason: string };

export interface FieldDecl {
  /** Declared names; empty for an embedded field. */
  names: { name: string; range: Range }[];
  type: TypeExpr;
  embedded: boolean;
  /** Range of the type expression (used as the embedded field's location). */
  typeRange: Range;
  typeText: string;
}

/** A constant expression, kept symbolic because its value can depend on the target (unsafe.Sizeof, ^uintptr(0)). */
export type ConstExpr =
  | { kind: 'int'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'iota' }
  | { kind: 'ref'; qualifier?: string; name: string }
  | { kind: 'unary'; op: string; operand: ConstExpr }
  | { kind: 'binary'; op: string; left: ConstExpr; right: ConstExpr }
  /** `T(x)`: a conversion to a named type (we cannot tell calls from conversions before resolving `T`). */
  | { kind: 'call'; callee: { qualifier?: string; name: string }; args: ConstExpr[]; typeArgs: TypeExpr[] }
  /** The argument of unsafe.Sizeof/Alignof when it is a composite literal or conversion: its type. */
  | { kind: 'typed'; type: TypeExpr }
  /**
   * The length of `[...]T{…}`: one more than the highest index its elements take, each element at the index after
   * the previous one unless a key (`k: v`, a constant) places it. Runs of unkeyed elements are counted, not listed.
   */
  | { kind: 'literalLength'; runs: { key?: ConstExpr; count: number }[] }
  /** `x.f` in unsafe.Offsetof(x.f). */
  | { kind: 'selector'; operand: ConstExpr; field: string }
  | { kind: 'unsupported'; text: string };

export interface TypeDecl {
  name: string;
  nameRange: Range;
  typeParams: string[];
  isAlias: boolean;
  type: TypeExpr;
  /** Range of the type expression; for structs the whole `struct { … }`. */
  typeRange: Range;
  /**
   * For a declaration inside a function: the blocks enclosing it, innermost first up to the function, so that
   * names resolve from the innermost block outwards (see LocalScopes).
   */
  localScope?: number[];
  /**
   * For aliases and generic declarations: every type name the declaration's type mentions, wherever it sits
   * (under pointers, slices, maps, function signatures), to find invalid recursive aliases and instantiation
   * cycles, which gc rejects.
   */
  refs?: TypeRef[];
}

/** A type name as mentioned in a declaration, with its type arguments reduced to the names they mention. */
export interface TypeRef {
  qualifier?: string;
  name: string;
  args: { /** The argument when it is a bare name (`T`). */ bare?: string; names: string[] }[];
}

export interface ConstDecl {
  name: string;
  /** Declared type name, when given (`const X uint8 = 1`). */
  type?: TypeExpr;
  value: ConstExpr;
  iota: number;
  /** For a constant declared inside a function: its enclosing blocks (innermost first) and where its name is. */
  local?: { scopes: number[]; at: Position };
}

export interface ImportDecl {
  /** Local name: the alias, `.` for a dot import, `_` for a blank one, or undefined for the default name. */
  alias?: string;
  path: string;
}

/** Everything layout needs from one Go file. */
export interface FileModel {
  packageName: string;
  buildConstraint?: string;
  imports: ImportDecl[];
  types: TypeDecl[];
  consts: ConstDecl[];
  /** Package-level variable names with an explicit type (for unsafe.Sizeof(v) in constants). */
  varTypes: Map<string, TypeExpr>;
  syntaxErrors: { range: Range; message: string }[];
}
