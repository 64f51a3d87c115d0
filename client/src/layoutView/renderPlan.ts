// What the Memory Layout view draws, computed from the server's model without any DOM: one row per target (and one
// more per target for the reordered layout), each a run of field and padding segments in offset order, with the
// target's cache-line boundaries. The webview turns a plan into elements, the SVG export into shapes, and the unit
// tests check it against the engine's layouts.
import type { ReorderGoal } from '../../../core/src/analysis/finding';
import type { ViewLayout, ViewTarget } from '../../../server/src/layoutViewProtocol';
import type { PageModel } from './messages';

/** How the view names each goal of the reorder refactoring. */
export const GOAL_LABELS: Record<ReorderGoal, string> = {
  smallest: 'smallest',
  'smallest-then-pointers': 'smallest, then fewest pointer bytes',
};

export interface Segment {
  kind: 'field' | 'padding';
  /** For a field: its index in the struct's declaration (`model.struct.fields`), which picks its colour. */
  fieldIndex?: number;
  offset: number;
  size: number;
  /** A field whose bytes lie on two or more cache lines. */
  straddles: boolean;
}

export interface PlannedRow {
  target: string;
  kind: 'current' | 'reordered';
  /** Reordered rows: the refactoring's goal this order meets. */
  goal?: ReorderGoal;
  size: number | null;
  align: number | null;
  wordSize: number;
  /** Null when the target's line size is unknown: no boundaries are drawn then. */
  cacheLine: number | null;
  segments: Segment[];
  /** Offsets inside the struct where a new cache line starts (the struct starting on a line boundary). */
  lineStarts: number[];
  /** Cache lines the struct spans from a line boundary; 0 for an empty or unknown struct. */
  lineCount: number;
  /** Why the size is unknown; the known leading fields are still drawn. */
  unknown?: string;
  /** The file is not built for this target. */
  excluded?: boolean;
  /** Bytes the garbage collector scans (to the end of the last pointer); null when unknown. */
  ptrBytes: number | null;
  /** What `new(T)` takes on the heap, in words; null when unknown. */
  heapCost: string | null;
  /** Reordered rows: bytes saved against the current layout (negative would be a loss; null when unknown). */
  saved?: number | null;
  /** Reordered rows: the current layout's pointer bytes, to show what the order changes. */
  ptrBytesBefore?: number | null;
}

export interface RenderPlan {
  structName: string;
  rows: PlannedRow[];
  /** The largest known size among the rows: the byte ruler's length. */
  maxSize: number;
  /** The goals the refactoring offers for this struct (empty: no order is better). */
  reorderGoals: ReorderGoal[];
}

/** Whether bytes [offset, offset+size) lie on more than one line of `line` bytes, counted from offset 0. */
export function straddlesLine(offset: number, size: number, line: number | null): boolean {
  return line !== null && size > 0 && Math.floor(offset / line) !== Math.floor((offset + size - 1) / line);
}

/** The rows to draw: per target its current layout, then with `showReorder` one row per goal the refactoring offers. */
export function planOf(model: PageModel, showReorder: boolean): RenderPlan {
  const rows: PlannedRow[] = [];
  for (const target of model.targets) {
    const current = rowOf(target, target.layout, 'current', (i) => i, target.heapCost);
    rows.push(current);
    if (!showReorder || target.layout.excluded) continue;
    for (const reorder of model.reorders) {
      const reordered = reorder.layouts[target.target];
      if (!reordered) continue;
      const row = rowOf(target, reordered, 'reordered', (i) => reorder.fieldOrder[i], reorder.heapCosts[target.target] ?? null);
      row.goal = reorder.goal;
      row.saved = current.size === null || row.size === null ? null : current.size - row.size;
      row.ptrBytesBefore = current.ptrBytes;
      rows.push(row);
    }
  }
  const maxSize = Math.max(0, ...rows.map((r) => r.size ?? knownEnd(r)));
  return { structName: model.struct.name, rows, maxSize, reorderGoals: model.reorders.map((r) => r.goal) };
}

/** `fieldIndexOf` maps a position in the layout's fields to the field's declaration index. */
function rowOf(target: ViewTarget, layout: ViewLayout, kind: PlannedRow['kind'], fieldIndexOf: (i: number) => number, heapCost: string | null): PlannedRow {
  const line = target.cacheLine;
  const segments: Segment[] = [];
  let end = 0;
  for (let i = 0; i < layout.offsets.length; i++) {
    const offset = layout.offsets[i];
    const size = layout.sizes[i];
    if (offset > end) segments.push({ kind: 'padding', offset: end, size: offset - end, straddles: false });
    segments.push({ kind: 'field', fieldIndex: fieldIndexOf(i), offset, size, straddles: straddlesLine(offset, size, line) });
    end = offset + size;
  }
  if (layout.size !== null && layout.size > end) segments.push({ kind: 'padding', offset: end, size: layout.size - end, straddles: false });
  const extent = layout.size ?? end;
  const lineStarts: number[] = [];
  if (line !== null) for (let at = line; at < extent; at += line) lineStarts.push(at);
  return {
    target: target.target, kind, size: layout.size, align: layout.align, wordSize: target.wordSize, cacheLine: line, segments, lineStarts,
    lineCount: layout.size === null || line === null ? 0 : Math.ceil(layout.size / line),
    ptrBytes: layout.ptrBytes,
    heapCost,
    ...(layout.unknown ? { unknown: layout.unknown } : {}),
    ...(layout.excluded ? { excluded: true } : {}),
  };
}

function knownEnd(row: PlannedRow): number {
  const last = row.segments[row.segments.length - 1];
  return last ? last.offset + last.size : 0;
}

/** How bytes map to pixels: cells of `bytesPerCell` bytes, each `cellWidth` px wide. */
export interface Scale {
  bytesPerCell: number;
  cellWidth: number;
  pxPerByte: number;
}

/** Cells narrower than this are unreadable; wider than the maximum wastes the panel. */
export const MIN_CELL_PX = 10;
export const MAX_CELL_PX = 24;

/**
 * The scale that fits `maxSize` bytes into `width` px: one cell per byte while cells stay at least MIN_CELL_PX
 * wide, else a power of two of bytes per cell (so word and line boundaries fall on cell edges), so that a struct of
 * any size draws in a bounded number of cells.
 */
export function scaleFor(maxSize: number, width: number): Scale {
  const usable = Math.max(width, 20 * MIN_CELL_PX);
  let bytesPerCell = 1;
  while (Math.ceil(maxSize / bytesPerCell) * MIN_CELL_PX > usable) bytesPerCell *= 2;
  const cells = Math.max(1, Math.ceil(maxSize / bytesPerCell));
  const cellWidth = Math.max(MIN_CELL_PX, Math.min(MAX_CELL_PX, Math.floor(usable / cells)));
  return { bytesPerCell, cellWidth, pxPerByte: cellWidth / bytesPerCell };
}

/** Bytes between strong grid lines in a row: the target's word, or one cell when a cell holds more than a word. */
export function groupBytes(row: PlannedRow, scale: Scale): number {
  return Math.max(row.wordSize, scale.bytesPerCell);
}

/** Spans narrower than this are merged with their narrow neighbours into one cluster element. */
export const MIN_SPAN_PX = 3;

/** Neighbouring fields and padding too narrow to draw apart at the scale: one element standing for all of them. */
export interface Cluster {
  kind: 'cluster';
  offset: number;
  size: number;
  members: Segment[];
  straddles: boolean;
}

/**
 * What a row draws at `pxPerByte`: its segments, except that runs of two or more neighbours each narrower than
 * MIN_SPAN_PX become one cluster. So the elements per row stay bounded by the row's width in pixels, not by its
 * field count (a 200-field struct squeezed into a panel), while every span drawn on its own is exact.
 */
export function drawnSpans(row: PlannedRow, pxPerByte: number): (Segment | Cluster)[] {
  const spans: (Segment | Cluster)[] = [];
  let run: Segment[] = [];
  const flush = () => {
    if (run.length === 1) spans.push(run[0]);
    else if (run.length > 1) {
      const last = run[run.length - 1];
      spans.push({ kind: 'cluster', offset: run[0].offset, size: last.offset + last.size - run[0].offset, members: run, straddles: run.some((m) => m.straddles) });
    }
    run = [];
  };
  for (const segment of row.segments) {
    if (segment.size * pxPerByte < MIN_SPAN_PX) {
      run.push(segment);
      continue;
    }
    flush();
    spans.push(segment);
  }
  flush();
  return spans;
}

/** Colours cycle through this many classes, so neighbouring fields differ and equal fields match in every row. */
export const FIELD_COLOURS = 12;

export function colourClass(fieldIndex: number): number {
  return fieldIndex % FIELD_COLOURS;
}

/** For a reordered row whose pointer bytes differ from the current layout's: ` (was 1800 B)`. */
function pointerChange(row: PlannedRow): string {
  const before = row.ptrBytesBefore;
  return row.kind === 'reordered' && before !== null && before !== undefined && before !== row.ptrBytes ? ` (was ${before} B)` : '';
}

/** One line describing a row for its label and for screen readers. */
export function rowSummary(row: PlannedRow): string {
  if (row.excluded) return `${row.target}: not built for this target`;
  if (row.size === null) return `${row.target}: size unknown (${row.unknown ?? 'no reason given'})`;
  const padding = row.segments.filter((s) => s.kind === 'padding').reduce((sum, s) => sum + s.size, 0);
  const lines = row.cacheLine === null ? 'cache-line size unknown' : `${row.lineCount} × ${row.cacheLine} B line${row.lineCount === 1 ? '' : 's'}`;
  const parts = [`${row.size} B`, `align ${row.align}`, `${padding} B padding`, lines];
  const straddling = row.segments.filter((s) => s.straddles).length;
  if (straddling > 0) parts.push(`${straddling} field${straddling === 1 ? '' : 's'} across a line`);
  if (row.ptrBytes !== null) parts.push(`${row.ptrBytes} B pointer-scanned${pointerChange(row)}`);
  if (row.heapCost !== null) parts.push(`new(): ${row.heapCost}`);
  if (row.kind === 'reordered') {
    const goal = row.goal ? ` (${GOAL_LABELS[row.goal]})` : '';
    parts.unshift(row.saved === null || row.saved === undefined ? `reordered${goal}` : `reordered${goal}, saves ${row.saved} B`);
  }
  return `${row.target}: ${parts.join(', ')}`;
}
