import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, Tree, type Edit } from 'web-tree-sitter';
import type { Position, TextChange } from '../api';
import { hasValueCalls, respellValueCalls } from './builtinCalls';

export type { Tree, Edit, Node as SyntaxNode } from 'web-tree-sitter';

const RUNTIME_WASM = 'tree-sitter.wasm';
const GO_WASM = 'tree-sitter-go.wasm';

/** Finds a WASM file: first in the bundle's own folder, then in the installed npm package. */
function locateWasm(wasmDir: string | undefined, file: string, packageFile: string): string {
  const candidates = [wasmDir && path.join(wasmDir, file), path.join(__dirname, file)].filter(Boolean) as string[];
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  return require.resolve(packageFile);
}

/** A Go parser backed by tree-sitter-go's WASM grammar, so the extension carries no native module. */
export class GoParser {
  private constructor(private readonly parser: Parser) {}

  static async create(wasmDir?: string): Promise<GoParser> {
    const runtimeWasm = locateWasm(wasmDir, RUNTIME_WASM, 'web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtimeWasm });
    const go = await Language.load(locateWasm(wasmDir, GO_WASM, 'tree-sitter-go/tree-sitter-go.wasm'));
    const parser = new Parser();
    parser.setLanguage(go);
    return new GoParser(parser);
  }

  parse(text: string, previous?: Tree): Tree {
    return this.reparse(text, previous).tree;
  }

  /**
   * Parses `text`, reusing the unchanged parts of `previous` (edited to match it). `incremental` says whether the
   * result was parsed from `previous`, so that `previous.getChangedRanges(tree)` tells what changed.
   */
  reparse(text: string, previous?: Tree): { tree: Tree; incremental: boolean } {
    const tree = this.parseOnce(text, previous);
    // The grammar takes every make/new call for the builtin's (first argument a type): a program's own make or
    // new, and Go 1.26's new(expr), get false errors. Retry with those calls respelt (same positions).
    if (!tree.rootNode.hasError || !hasValueCalls(text)) return { tree, incremental: previous !== undefined };
    const respelt = this.parseOnce(respellValueCalls(text));
    if (errorCount(respelt) < errorCount(tree)) {
      tree.delete();
      return { tree: respelt, incremental: false };
    }
    respelt.delete();
    return { tree, incremental: previous !== undefined };
  }

  /**
   * Parses only `ranges` of `text` (offsets in UTF-16 units, ascending): nodes keep their positions in the whole
   * text (`lines`: the text's line starts). Undefined when that parse has syntax errors, which the whole text's parse
   * may not have, unless `keepErrors`.
   */
  parseRanges(text: string, ranges: { start: number; end: number }[], lines: LfLines, keepErrors = false): Tree | undefined {
    const includedRanges = ranges.map((r) => ({ startIndex: r.start, endIndex: r.end, startPosition: lines.point(r.start), endPosition: lines.point(r.end) }));
    // Hand tree-sitter the text of the range it reads from only: copying from the offset to the end of a big
    // buffer for each read costs more than parsing a few declarations.
    const input = (index: number) => {
      const range = ranges.find((r) => index >= r.start && index < r.end);
      return range ? text.slice(index, range.end) : '';
    };
    const tree = this.parser.parse(input, null, { includedRanges });
    if (!tree) throw new Error('tree-sitter returned no tree');
    if (keepErrors || !tree.rootNode.hasError) return tree;
    tree.delete();
    return undefined;
  }

  private parseOnce(text: string, previous?: Tree): Tree {
    const tree = this.parser.parse(text, previous);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

/**
 * Applies LSP-style edits to `text`, with their offsets when given, else resolving ranges as the editor's document
 * model does (vscode-languageserver-textdocument on the current text): lines end at CRLF, LF or a lone CR; a reversed
 * range is swapped; positions before the text or past a line's end are clamped, never inside a line break. Each edit is recorded on `tree`, in tree-sitter's own coordinates
 * (rows counted by LF), so the next parse can reuse unchanged nodes, and appended to `edits` when given.
 */
export function applyChanges(text: string, tree: Tree | undefined, changes: TextChange[], edits?: Edit[]): string {
  for (const change of changes) {
    const { start: startIndex, end: oldEndIndex } = change.offsets ?? offsetsOf(text, change.range);
    const newText = change.after ?? text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
    if (tree || edits) {
      const newEndIndex = startIndex + change.text.length;
      const startPosition = pointAt(text, startIndex);
      const edit: Edit = {
        startIndex, oldEndIndex, newEndIndex, startPosition,
        oldEndPosition: pointAfter(text, startIndex, startPosition, oldEndIndex),
        newEndPosition: pointAfter(newText, startIndex, startPosition, newEndIndex),
      };
      tree?.edit(edit);
      edits?.push(edit);
    }
    text = newText;
  }
  return text;
}

/**
 * applyChanges for a text without a tree: each change's offsets (in the text as it was before that change), the
 * text put there, and the text after it (the last one is the result).
 */
export function applyTextChanges(text: string, changes: TextChange[]): { start: number; oldEnd: number; inserted: string; after: string }[] {
  const applied: { start: number; oldEnd: number; inserted: string; after: string }[] = [];
  for (const change of changes) {
    const { start, end } = change.offsets ?? offsetsOf(text, change.range);
    text = change.after ?? text.slice(0, start) + change.text + text.slice(end);
    applied.push({ start, oldEnd: end, inserted: change.text, after: text });
  }
  return applied;
}

/** Offsets of a range in `text`, the range swapped first if reversed. */
function offsetsOf(text: string, range: TextChange['range']): { start: number; end: number } {
  const { start, end } = range;
  const reversed = start.line > end.line || (start.line === end.line && start.character > end.character);
  const lineStarts = computeLineStarts(text);
  const first = offsetAt(text, lineStarts, reversed ? end : start);
  const last = offsetAt(text, lineStarts, reversed ? start : end);
  return { start: first, end: last };
}

/** Offsets where the editor's lines start: after each CRLF, LF or lone CR. */
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  return starts;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function offsetAt(text: string, lineStarts: number[], pos: Position): number {
  if (pos.line >= lineStarts.length) return text.length;
  if (pos.line < 0) return 0;
  const lineStart = lineStarts[pos.line];
  if (pos.character <= 0) return lineStart;
  const nextLineStart = pos.line + 1 < lineStarts.length ? lineStarts[pos.line + 1] : text.length;
  let offset = Math.min(lineStart + pos.character, nextLineStart);
  while (offset > lineStart && isLineBreak(text.charCodeAt(offset - 1))) offset--;
  return offset;
}

/**
 * Where the lines of a text start as tree-sitter counts them (after each LF), kept up to date through edits: a
 * keystroke in a 7 MB buffer should not scan it all again.
 */
export class LfLines {
  private constructor(private starts: number[]) {}

  static of(text: string): LfLines {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return new LfLines(starts);
  }

  point(offset: number): { row: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: offset - this.starts[low] };
  }

  /** Where row `row` starts; Infinity past the last row. */
  rowStart(row: number): number {
    return row < 0 ? 0 : row < this.starts.length ? this.starts[row] : Infinity;
  }

  /** The text's [start, oldEnd) was replaced by `inserted`. */
  edit(start: number, oldEnd: number, inserted: string): void {
    const delta = inserted.length - (oldEnd - start);
    // Lines starting inside the replaced text go; those after it move; the inserted text's own come in.
    let first = this.starts.length;
    let low = 0;
    while (low < first) {
      const mid = (low + first) >> 1;
      if (this.starts[mid] <= start) low = mid + 1;
      else first = mid;
    }
    let last = first;
    while (last < this.starts.length && this.starts[last] <= oldEnd) last++;
    const added: number[] = [];
    for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) added.push(start + i + 1);
    // In place unless many lines come in (a paste): a keystroke moves the later starts only.
    if (added.length < 10000) {
      for (let i = last; i < this.starts.length; i++) this.starts[i] += delta;
      if (added.length > 0 || last > first) this.starts.splice(first, last - first, ...added);
      return;
    }
    const after = this.starts.slice(last);
    for (let i = 0; i < after.length; i++) after[i] += delta;
    this.starts = this.starts.slice(0, first).concat(added, after);
  }
}

/** Tree-sitter's point for an offset: rows end at LF only, columns count UTF-16 units as the rest of the engine. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** pointAt(text, offset), counting on from a known point `from` at `fromOffset` (an edit's end from its start). */
function pointAfter(text: string, fromOffset: number, from: { row: number; column: number }, offset: number): { row: number; column: number } {
  let row = from.row;
  let lineStart = fromOffset - from.column;
  for (let i = text.indexOf('\n', fromOffset); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** Error and missing nodes of a tree (a cursor walk that descends only into subtrees holding errors). */
function errorCount(tree: Tree): number {
  let count = 0;
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      if (node.hasError && !node.isError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}
