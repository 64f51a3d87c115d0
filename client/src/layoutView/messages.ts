// Messages between the Memory Layout panel (extension host) and its webview. Plain data only.
import type { MemoryLayoutModel } from '../../../server/src/layoutViewProtocol';

/** Controls the view's buttons and toggles carry as `data-control`, also what `press` names. */
export type Control = 'toggle-reorder' | 'apply-reorder' | 'export-svg' | 'toggle-table';

export type ToWebview =
  /** Draw this model; `token` comes back in `drawn` once it is on screen. `note` explains what is shown. */
  | { type: 'show'; model: MemoryLayoutModel; token: number; note?: string; sentAt: number }
  /** Keep the picture, change the note (e.g. the cursor left every struct). */
  | { type: 'note'; note: string }
  /** Report what is rendered (read from the DOM) as a `description`. */
  | { type: 'describe'; id: number }
  /** Activate a control as a click would. */
  | { type: 'press'; id: number; control: Control };

export type FromWebview =
  | { type: 'ready' }
  /**
   * The model of `token` is painted. `transitMs`: from the extension posting it (`sentAt`, wall clock) to the page
   * receiving it; `renderMs`: the page building its elements.
   */
  | { type: 'drawn'; token: number; renderMs: number; transitMs: number }
  | { type: 'reveal'; fieldIndex: number }
  | { type: 'applyReorder'; version: number }
  | { type: 'exportSvg'; svg: string }
  | { type: 'description'; id: number; view: RenderedView }
  | { type: 'pressed'; id: number; found: boolean };

/**
 * A rendered segment as the DOM has it: the bytes it stands for, and where its box really is (px from the bar's
 * inner left edge), so a test can check the picture, not just the data.
 */
export interface RenderedSegment {
  /** A cluster is one element standing for neighbours too narrow to draw apart (`members`). */
  kind: 'field' | 'padding' | 'cluster';
  fieldIndex?: number;
  name?: string;
  offset: number;
  size: number;
  left: number;
  width: number;
  straddles: boolean;
  /** Colour class (same field, same class in every row). */
  colour?: string;
  members?: Omit<RenderedSegment, 'left' | 'width' | 'members'>[];
}

export interface RenderedRow {
  target: string;
  kind: 'current' | 'reordered';
  label: string;
  /** The bar's inner width in px. */
  width: number;
  /** Bytes between the strong grid lines (the target's word unless a cell holds more). */
  groupBytes: number;
  segments: RenderedSegment[];
  /** The drawn cache-line marks: the offset each stands for and where its box is (px). */
  lineMarks: { offset: number; left: number }[];
}

export interface RenderedView {
  structName: string;
  note: string;
  bytesPerCell: number;
  pxPerByte: number;
  rows: RenderedRow[];
  /** Body rows of the screen-reader table: one per field, then the totals. */
  tableRows: number;
  reorderShown: boolean;
  applyEnabled: boolean;
  /** Elements reachable with Tab/arrow keys. */
  focusable: number;
}
