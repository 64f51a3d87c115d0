// Messages between the Memory Layout panel (extension host) and its webview. Plain data only.
import type { MemoryLayoutModel } from '../../../server/src/layoutViewProtocol';

/** Controls the view's buttons and toggles carry as `data-control`, also what `press` names. */
export type Control = 'toggle-reorder' | 'apply-reorder' | 'export-svg' | 'toggle-table';

export type ToWebview =
  /** Draw this model; `token` comes back in `drawn` once it is on screen. `note` explains what is shown. */
  | { type: 'show'; model: MemoryLayoutModel; token: number; note?: string }
  /** Keep the picture, change the note (e.g. the cursor left every struct). */
  | { type: 'note'; note: string }
  /** Report what is rendered (read from the DOM) as a `description`. */
  | { type: 'describe'; id: number }
  /** Activate a control as a click would. */
  | { type: 'press'; id: number; control: Control };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'drawn'; token: number }
  | { type: 'reveal'; fieldIndex: number }
  | { type: 'applyReorder'; version: number }
  | { type: 'exportSvg'; svg: string }
  | { type: 'description'; id: number; view: RenderedView }
  | { type: 'pressed'; id: number; found: boolean };

/** A rendered segment as the DOM has it: offsets and sizes measured from the elements' boxes, in bytes. */
export interface RenderedSegment {
  kind: 'field' | 'padding';
  fieldIndex?: number;
  name?: string;
  offset: number;
  size: number;
  straddles: boolean;
  /** Colour class (same field, same class in every row). */
  colour?: string;
}

export interface RenderedRow {
  target: string;
  kind: 'current' | 'reordered';
  label: string;
  /** Bar width measured in bytes. */
  width: number;
  /** Bytes between the strong grid lines (the target's word unless a cell holds more). */
  groupBytes: number;
  segments: RenderedSegment[];
  /** Offsets of the drawn cache-line marks, measured. */
  lineMarks: number[];
}

export interface RenderedView {
  structName: string;
  note: string;
  bytesPerCell: number;
  rows: RenderedRow[];
  /** Rows of the screen-reader table (target, field, offset, size). */
  tableRows: number;
  reorderShown: boolean;
  applyEnabled: boolean;
  /** Elements reachable with Tab/arrow keys. */
  focusable: number;
}
