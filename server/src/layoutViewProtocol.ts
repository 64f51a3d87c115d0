// The custom request behind the Memory Layout view: the client asks for the struct at a position and renders
// what the server answers. Shared by server/ (which computes it from core) and client/ (which only draws it), so
// it holds plain data types and the method name only.
import type { Position, Range } from '../../core/src/api';
import type { ReorderGoal } from '../../core/src/analysis/finding';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';

export const MEMORY_LAYOUT_METHOD = 'goArchLens/memoryLayout';

export interface MemoryLayoutParams {
  textDocument: { uri: string };
  position: Position;
}

export interface ViewField {
  name: string;
  /** The field's type as written, on one line. */
  typeText: string;
  /** Where the field's name (or embedded type) is, for jumping to it. */
  range: Range;
}

/**
 * A layout as the view draws it: the engine's StructLayout without what the picture does not use (names, alignment
 * and padding per field), its offsets and sizes as two arrays. A 200-field struct on 14 targets, current and two
 * reordered layouts, is then about 80 KB of JSON instead of 700 KB, which the server, the extension host and
 * VS Code's webview messaging each (de)serialise on every draw.
 */
export interface ViewLayout {
  size: number | null;
  align: number | null;
  /** Offset of each field in the layout's order, up to the first field whose offset is unknown. */
  offsets: number[];
  /** Size of each of those fields. */
  sizes: number[];
  /** Bytes the garbage collector scans; null when unknown. */
  ptrBytes: number | null;
  /** Why the size is unknown. */
  unknown?: string;
  /** The file is not built for this target. */
  excluded?: boolean;
}

/** One configured target's layout of the struct, with what the view draws besides the offsets. */
export interface ViewTarget {
  /** `GOOS/GOARCH`. */
  target: string;
  wordSize: number;
  /** Bytes per cache line on this target as Go's runtime pads it (internal/cpu.CacheLinePadSize); null if unknown. */
  cacheLine: number | null;
  /** Fields in declaration order, as `ViewStruct.fields`. `excluded` when the file is not built for the target. */
  layout: ViewLayout;
  /** What `new(T)` takes on the heap (size class, tiny block or pages), in words; null when unknown. */
  heapCost: string | null;
}

/** What one goal of the reorder refactoring would produce, and the edit that applies it (the code action's). */
export interface ViewReorder {
  goal: ReorderGoal;
  /** The code action's title (what it saves, where). */
  title: string;
  /** Indexes into `ViewStruct.fields`, in their new order. */
  fieldOrder: number[];
  /** Per target (`GOOS/GOARCH`), the reordered layout; its fields are in `fieldOrder`'s order. */
  layouts: Record<string, ViewLayout>;
  /** Per target, `new(T)`'s heap cost in the new order (as `ViewTarget.heapCost`). */
  heapCosts: Record<string, string | null>;
  edit: WorkspaceEdit;
}

export interface ViewStruct {
  name: string;
  nameRange: Range;
  fields: ViewField[];
}

export interface MemoryLayoutModel {
  uri: string;
  /** The document version the model was computed from. */
  version: number;
  struct: ViewStruct;
  targets: ViewTarget[];
  /**
   * The reorder refactoring's goals the code action offers for this struct, `smallest` first: empty when no order is
   * smaller or scans fewer pointer bytes (or the struct cannot be rewritten line by line).
   */
  reorders: ViewReorder[];
}
