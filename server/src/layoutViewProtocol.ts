// The custom request behind the Memory Layout view: the client asks for the struct at a position and renders
// what the server answers. Shared by server/ (which computes it from core) and client/ (which only draws it), so
// it holds plain data types and the method name only.
import type { Position, Range, StructLayout } from '../../core/src/api';
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

/** One configured target's layout of the struct, with what the view draws besides the offsets. */
export interface ViewTarget {
  /** `GOOS/GOARCH`. */
  target: string;
  wordSize: number;
  /** Bytes per cache line on this target as Go's runtime pads it (internal/cpu.CacheLinePadSize); null if unknown. */
  cacheLine: number | null;
  /** Fields in declaration order, as `ViewStruct.fields`. `excluded` when the file is not built for the target. */
  layout: StructLayout;
  /** What `new(T)` takes on the heap (size class, tiny block or pages), in words; null when unknown. */
  heapCost: string | null;
}

/** What the reorder refactoring would produce, and the edit that applies it. */
export interface ViewReorder {
  title: string;
  /** Indexes into `ViewStruct.fields`, in their new order. */
  fieldOrder: number[];
  /** Per target (`GOOS/GOARCH`), the reordered layout; its fields are in `fieldOrder`'s order. */
  layouts: Record<string, StructLayout>;
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
  /** Absent when no reordering makes the struct smaller (or it cannot be rewritten line by line). */
  reorder?: ViewReorder;
}
