import type { Position, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { StructInfo } from '../../core/src/api';
import type { Finding } from '../../core/src/analysis/finding';

/**
 * Between the engine's positions and the editor's in a document with lone CRs. The engine counts lines as Go's
 * scanner and tree-sitter do, by LF only; the editor also ends a line at a lone CR. Columns count UTF-16 units
 * from the line's start in both.
 */
export class LineBreaks {
  /** Offsets where the engine's lines start (after each LF). */
  private readonly lfLineStarts: number[];

  private constructor(private readonly doc: TextDocument, text: string) {
    this.lfLineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lfLineStarts.push(i + 1);
  }

  /** Undefined when both count the same lines (no CR other than in CRLF): nothing to convert. */
  static of(doc: TextDocument): LineBreaks | undefined {
    const cached = MEMO.get(doc);
    if (cached && cached.version === doc.version) return cached.breaks;
    const text = doc.getText();
    const breaks = text.indexOf('\r') >= 0 && /\r(?!\n)/.test(text) ? new LineBreaks(doc, text) : undefined;
    MEMO.set(doc, { version: doc.version, breaks });
    return breaks;
  }

  toEditor(position: Position): Position {
    const row = Math.min(Math.max(position.line, 0), this.lfLineStarts.length - 1);
    return this.doc.positionAt(this.lfLineStarts[row] + position.character);
  }

  toEngine(position: Position): Position {
    const offset = this.doc.offsetAt(position);
    let lo = 0;
    let hi = this.lfLineStarts.length - 1;
    // The last line starting at or before the offset.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lfLineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lfLineStarts[lo] };
  }

  rangeToEditor(range: Range): Range {
    return { start: this.toEditor(range.start), end: this.toEditor(range.end) };
  }

  rangeToEngine(range: Range): Range {
    return { start: this.toEngine(range.start), end: this.toEngine(range.end) };
  }

  /** A struct of this document with its ranges in the editor's lines. */
  structToEditor(struct: StructInfo): StructInfo {
    return {
      ...struct,
      nameRange: this.rangeToEditor(struct.nameRange),
      bodyRange: this.rangeToEditor(struct.bodyRange),
      fields: struct.fields.map((f) => ({ ...f, range: this.rangeToEditor(f.range) })),
    };
  }
}

/** The conversion per document, for its current version (TextDocument.update changes a document in place). */
const MEMO = new WeakMap<TextDocument, { version: number; breaks: LineBreaks | undefined }>();

/**
 * A finding with every range (its own, related locations', its fixes' edits) in the lines of the editor's document
 * for that range's file; `breaksOf` gives the conversion for a file, undefined when none is needed.
 */
export function findingToEditor(finding: Finding, breaksOf: (file: string) => LineBreaks | undefined): Finding {
  const inFile = (file: string, range: Range) => breaksOf(file)?.rangeToEditor(range) ?? range;
  const own = breaksOf(finding.file);
  const related = finding.related?.some((r) => breaksOf(r.file));
  const fixes = finding.fixes?.some((f) => f.edits.some((e) => breaksOf(e.file)));
  if (!own && !related && !fixes) return finding;
  return {
    ...finding,
    range: inFile(finding.file, finding.range),
    ...(finding.related ? { related: finding.related.map((r) => ({ ...r, range: inFile(r.file, r.range) })) } : {}),
    ...(finding.fixes ? { fixes: finding.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: inFile(e.file, e.range) })) })) } : {}),
  };
}
