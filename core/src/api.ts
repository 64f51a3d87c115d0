// Public shapes of the core engine. Everything here is plain data so that the LSP server, the CLI and tests
// can consume it without touching tree-sitter or the resolver.

/** A build target as `GOOS/GOARCH`, e.g. `linux/amd64`. */
export interface Target {
  goos: string;
  goarch: string;
}

/** Zero-based position, columns in UTF-16 code units (what LSP and VS Code use). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A size, alignment or offset the engine knows exactly, or `null` with the reason it cannot. */
export interface Known {
  size: number;
  align: number;
}

export interface FieldLayout {
  /** Field name; an embedded field uses its type name, a blank field is `_`. */
  name: string;
  offset: number | null;
  size: number | null;
  align: number | null;
  /** Bytes of padding inserted before this field to reach its alignment. */
  paddingBefore: number | null;
  /** The field's own pointer prefix (see `StructLayout.ptrBytes`), counted from the field's offset; null: unknown. */
  ptrBytes: number | null;
  /** Why offset/size are null. */
  unknown?: string;
}

export interface StructLayout {
  size: number | null;
  align: number | null;
  fields: FieldLayout[];
  /** Bytes of padding after the last field (trailing zero-size rule and rounding to alignment). */
  trailingPadding: number | null;
  /**
   * Bytes the garbage collector scans: from offset 0 to the end of the last pointer word (the compiler's
   * internal/abi.Type.PtrBytes); 0 when the struct holds no pointers. Null when unknown, with `ptrBytesUnknown`.
   */
  ptrBytes: number | null;
  ptrBytesUnknown?: string;
  /** Why size/align are null (the first unresolvable type, or an invalid recursive type). */
  unknown?: string;
  /** The declaring file is not built for this target (build constraints): show nothing rather than "unknown". */
  excluded?: boolean;
}

export interface FieldInfo {
  name: string;
  /** Range of the whole field declaration line part for this name (the identifier, or the type if embedded). */
  range: Range;
  /** The source text of the field's type. */
  typeText: string;
}

export interface StructInfo {
  /** Type name as written, e.g. `Header` or `Pair[K, V]` for a generic declaration. */
  name: string;
  file: string;
  nameRange: Range;
  /** Range of the whole `struct { … }` type literal. */
  bodyRange: Range;
  fields: FieldInfo[];
  /** Generic declarations have no layout until instantiated; layouts then hold a reason in `unknown`. */
  generic: boolean;
  /**
   * How a declaration that is not itself `struct { … }` is a struct: an alias (`type A = Header`,
   * `type B = Box[uint64]`) or a defined type over a struct type (`type N Header`), with the type it names.
   * Its fields are declared there, so `fields` is empty and only each layout lists them.
   */
  form?: { kind: 'alias' | 'defined'; of: string } | {
    /**
     * An anonymous `struct{…}` (Engine.literalStructsInFile): `of` is the field or variable whose type it is
     * (`T.f`, `v`) or `struct{…}`; `bodyRange` starts at the `struct` keyword, `nameRange` is that name (or the
     * keyword), and `fields` are its own.
     */
    kind: 'literal'; of: string;
  } | {
    /**
     * An instance of a generic struct type named in the source (Engine.instanceStructsInFile): `of` is the type as
     * written (`Box[uint64]`), `nameRange` the generic type's name in it, `bodyRange` the whole use; `fields` is
     * empty (they are declared with the generic type) and each layout lists them.
     */
    kind: 'instance'; of: string;
  };
  /** Keyed by `GOOS/GOARCH`. */
  layouts: Record<string, StructLayout>;
}

/** Why a source file was not read: only regular files up to the size cap are. */
export type SkipReason = 'too-large' | 'not-regular' | 'symlink-loop' | 'dangling-symlink' | 'unreadable';

/** A source file the engine left out, with the reason as one sentence fit for a user (`x.go is …; skipped`). */
export interface SkippedFile {
  file: string;
  reason: SkipReason;
  message: string;
}

/** An incremental edit as LSP sends it: replace `range` (in the text before the edit) with `text`. */
export interface TextChange {
  range: Range;
  text: string;
  /**
   * The same range as UTF-16 offsets into the text before the edit, when the caller's document model has resolved
   * it (the server's does): they are then used as they are, so the engine's copy cannot drift from that model's.
   */
  offsets?: { start: number; end: number };
  /**
   * The whole text after this change, when the caller's document model holds it: the engine keeps that string
   * rather than building its own, so that a keystroke in a 7 MB buffer copies (and flattens) it once, not twice.
   */
  after?: string;
}

export interface EngineOptions {
  /** Folder holding `tree-sitter.wasm` and `tree-sitter-go.wasm`; defaults to the installed npm packages. */
  wasmDir?: string;
  /** GOROOT to read standard-library sources from; without it std types come from the generated table only. */
  goroot?: string;
  /** GOMODCACHE to read required modules from (besides a module's vendor/ folder). */
  gomodcache?: string;
  /**
   * GOEXPERIMENT and the level variables (GOAMD64, GOARM, GO386…) the user builds with: they decide the
   * toolchain's own build tags (goexperiment.*, amd64.v3…) and so which files build.
   */
  toolchainEnv?: Partial<Record<string, string>>;
  /** The toolchain's version (`go1.26.8`); default: read from GOROOT/VERSION when goroot is given. */
  goVersion?: string;
}

/** The build tags the toolchain sets itself for one target (goexperiment.*, amd64.v1…), and where they come from. */
export interface ToolTags {
  tags: string[];
  /** `go list (go1.26.8)` or `the go1.26 table`. */
  source: string;
  /** Settings that could not be honoured, or doubts about the table (another Go release). */
  problems: string[];
}

/** What the LSP server and the CLI use. Implemented by `Engine` in engine.ts. */
export interface LayoutEngine {
  /** Make `text` the content of `file` (an absolute path), overriding what is on disk until closed. */
  openFile(file: string, text: string): void;
  /** Apply incremental edits to an open file; the syntax tree is re-parsed incrementally. */
  editFile(file: string, changes: TextChange[]): void;
  closeFile(file: string): void;
  /** Forget cached disk content of a file or folder (from a file watcher). */
  invalidate(path: string): void;
  /**
   * The named struct types declared in `file`, laid out for each target; with `range`, only those whose
   * declaration intersects it (an editor asks for the visible lines only).
   */
  structsInFile(file: string, targets: Target[], range?: Range): StructInfo[];
  /**
   * Layouts of the struct type `typeName` declared in `file` with its fields in another order (indexes into
   * `StructInfo.fields`, e.g. a reorder fix's `fieldOrder`); each layout's fields are in that order. Undefined when
   * there is no such (non-generic) struct or the order is not a permutation that keeps declarations whole.
   */
  layoutsInFieldOrder(file: string, typeName: string, fieldOrder: number[], targets: Target[]): Record<string, StructLayout> | undefined;
  /**
   * The anonymous struct types of `file` (`struct{…}` as the type of a field, a variable or a composite literal,
   * nested ones and those in function bodies too), with `form.kind` 'literal'; with `range`, those on its lines.
   */
  literalStructsInFile(file: string, targets: Target[], range?: Range): StructInfo[];
  /** As layoutsInFieldOrder, for the anonymous struct whose `struct` keyword starts at `at`. */
  literalLayoutsInFieldOrder(file: string, at: Position, fieldOrder: number[], targets: Target[]): Record<string, StructLayout> | undefined;
  /** The toolchain's own build tags for a target that decide which files build. */
  toolTags(target: Target): ToolTags;
  /**
   * Uses these tool tags for a target (go list's answer); layouts are recomputed when the tags differ from those
   * in use. Returns whether they differed (when not, nothing shown needs refreshing).
   */
  useToolTags(target: Target, tags: ToolTags): boolean;
  /** Changes GOEXPERIMENT/GOAMD64/…: tool tags return to the table with these settings until useToolTags. */
  setToolchainEnv(env: Partial<Record<string, string>>): void;
  /** Syntax errors of a file (a broken file still yields the structs that parse). */
  syntaxErrors(file: string): { range: Range; message: string }[];
  /**
   * Every file read so far (named, or consulted for its package's declarations) that was skipped: not a regular
   * file, over the size cap, a dangling or looping link, unreadable. Layouts needing its types are unknown.
   */
  skippedFiles(): SkippedFile[];
}
