import { InlayHint, MarkupKind, type Position, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { StructInfo, Target } from '../../core/src/api';
import { fieldOffsetsHint, paddingBeforeHint, structSizeHint, trailingPaddingHint, type HintText } from './format/hints';
import type { Settings } from './settings';
import { showMemoryLayoutCommand } from './showLayoutLink';
import { anchorOf } from './structAnchor';

const SHOW_LAYOUT_HINT = 'Ctrl/Cmd+click: show the memory layout';

/** Inlay hints for the structs of one document that overlap the requested range. */
export function inlayHintsFor(structs: StructInfo[], doc: TextDocument, range: Range, settings: Settings, targets: Target[]): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const struct of structs.filter((s) => overlaps(s.bodyRange, range) || overlaps(s.nameRange, range))) {
    if (settings.hints.structSize) pushSizeHint(hints, struct, doc, structSizeHint(struct, targets));
    if (settings.hints.fieldOffsets) hints.push(...fieldOffsetHints(struct, doc, targets));
    // An alias or defined type lists no fields of its own: its padding shows on the struct it names.
    if (settings.hints.padding && (!struct.form || struct.form.kind === 'literal')) hints.push(...paddingHints(struct, doc, targets));
  }
  // Only the requested lines: a struct of 100k fields must not answer every field for a screenful.
  return hints.filter((h) => h.position.line >= range.start.line && h.position.line <= range.end.line);
}

/** One hint at the end of each line that declares fields, holding the offsets of that line's fields. */
function fieldOffsetHints(struct: StructInfo, doc: TextDocument, targets: Target[]): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const [line, indexes] of fieldIndexesByLine(struct)) push(hints, endOfLine(doc, line), fieldOffsetsHint(struct, indexes, targets));
  return hints;
}

/**
 * Padding shows at the end of the line of the field it follows, where the wasted bytes sit: padding before field
 * i after field i-1, trailing padding after the last field.
 */
function paddingHints(struct: StructInfo, doc: TextDocument, targets: Target[]): InlayHint[] {
  const hints: InlayHint[] = [];
  struct.fields.forEach((_, index) => {
    const owner = struct.fields[Math.max(0, index - 1)];
    push(hints, endOfLine(doc, owner.range.start.line), paddingBeforeHint(struct, index, targets));
  });
  const last = struct.fields[struct.fields.length - 1];
  const trailingAt = last ? endOfLine(doc, last.range.start.line) : struct.bodyRange.end;
  push(hints, trailingAt, trailingPaddingHint(struct, targets));
  return hints;
}

function fieldIndexesByLine(struct: StructInfo): Map<number, number[]> {
  const byLine = new Map<number, number[]>();
  struct.fields.forEach((field, index) => {
    const line = field.range.start.line;
    byLine.set(line, [...(byLine.get(line) ?? []), index]);
  });
  return byLine;
}

/**
 * The size hint after a struct's name (an anonymous struct's `struct` keyword); Ctrl/Cmd+click on it opens the
 * Memory Layout view of the struct.
 */
function pushSizeHint(hints: InlayHint[], struct: StructInfo, doc: TextDocument, text: HintText | undefined): void {
  if (!text) return;
  const anchor = anchorOf(struct);
  hints.push({
    position: anchor.end,
    label: [{ value: text.label, command: showMemoryLayoutCommand(doc.uri, anchor.start) }],
    tooltip: { kind: MarkupKind.Markdown, value: `${text.tooltip}\n\n${SHOW_LAYOUT_HINT}` },
    paddingLeft: true,
  });
}

function push(hints: InlayHint[], position: Position, text: HintText | undefined): void {
  if (!text) return;
  hints.push({
    position,
    label: text.label,
    tooltip: { kind: MarkupKind.Markdown, value: text.tooltip },
    paddingLeft: true,
  });
}

/** The position after the last non-blank character of a line. */
function endOfLine(doc: TextDocument, line: number): Position {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return { line, character: text.replace(/\s+$/, '').length };
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function before(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character < q.character);
}
