// Messages between the Memory Layout panel (extension host) and its webview. Plain data only.
import type { ReorderGoal } from '../../../core/src/analysis/finding';
import type { ViewReorder, ViewTarget } from '../../../server/src/layoutViewProtocol';

/**
 * Controls the view's buttons and toggles carry as `data-control`, also what `press` names: one apply button per
 * goal of the reorder refactoring.
 */
export type Control = 'toggle-reorder' | `apply-reorder:${ReorderGoal}` | 'export-svg' | 'toggle-table';

/**
 * The model as the page gets it: what it draws, without the edits and source ranges the extension host keeps
 * (every byte posted is serialised again on its way through VS Code's webview messaging).
 */
export interface PageModel {
  version: number;
  struct: { name: string; fields: { name: string; typeText: string }[] };
  targets: ViewTarget[];
  reorders: Omit<ViewReorder, 'edit'>[];
}

/** Wall-clock milliseconds (`performance.timeOrigin + performance.now()`), comparable between the host and the page. */
export type EpochMs = number;

export type ToWebview =
  /**
   * Draw this model (a `PageModel` as JSON: on its way VS Code's webview messaging and the two frames it passes copy
   * one string rather than some 9,000 nested values of a 200-field struct on 14 targets); `token` comes back in
   * `drawn` once it is painted. `note` explains what is shown.
   */
  | { type: 'show'; modelJson: string; token: number; note?: string; sentAt: EpochMs }
  /** Keep the picture, change the note (e.g. the cursor left every struct). */
  | { type: 'note'; note: string }
  /** Report what is rendered (read from the DOM) as a `description`. */
  | { type: 'describe'; id: number }
  /** Activate a control as a click would. */
  | { type: 'press'; id: number; control: Control };

export type FromWebview =
  | { type: 'ready' }
  /**
   * The model of `token` is painted. Wall clock, as `sentAt`: `receivedAt` when the page got it, `frameAt` when the
   * browser began the frame that draws it (style, layout and paint follow), `paintedAt` when that frame's paint is
   * done; `renderMs` the page building its elements in between.
   */
  | { type: 'drawn'; token: number; receivedAt: EpochMs; renderMs: number; frameAt: EpochMs; paintedAt: EpochMs }
  | { type: 'reveal'; fieldIndex: number }
  | { type: 'applyReorder'; version: number; goal: ReorderGoal }
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
  /** Reordered rows: the refactoring's goal. */
  goal?: ReorderGoal;
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
  /** The goals whose Apply button is shown and enabled. */
  applyGoals: ReorderGoal[];
  /** Elements reachable with Tab/arrow keys. */
  focusable: number;
}
