import type { Range } from '../api';

export interface TextEdit {
  /** Absolute path of the file the edit applies to. */
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor should offer first. */
  preferred?: boolean;
  /**
   * For a fix that reorders a struct's fields: the fields (indexes into `StructInfo.fields`) in their new order, so
   * an editor can show the resulting layout before applying it (see `LayoutEngine.layoutsInFieldOrder`).
   */
  fieldOrder?: number[];
  /** For a reorder fix: what the order optimises (the layout view draws each goal's layout and names it). */
  reorderGoal?: ReorderGoal;
}

/** `smallest`: fewest bytes on every target; `smallest-then-pointers`: that size, then fewest pointer bytes to scan. */
export type ReorderGoal = 'smallest' | 'smallest-then-pointers';

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One problem an analyzer found, with what an editor or CI report needs to show and fix it. */
export interface Finding {
  analyzer: string;
  file: string;
  range: Range;
  message: string;
  severity: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** The targets (`GOOS/GOARCH`) the problem occurs on, where a finding comes from compiling per target. */
  targets?: string[];
  /** Set when the analyzer failed on this file (a bug), rather than finding a problem in it. */
  internalError?: true;
}
