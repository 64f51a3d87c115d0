import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, Tree } from 'web-tree-sitter';
import type { Position, TextChange } from '../api';
import { hasValueCalls, respellValueCalls } from './builtinCalls';

export type { Tree, Node as SyntaxNode } from 'web-tree-sitter';

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
    const tree = this.parseOnce(text, previous);
    // The grammar takes every make/new call for the builtin's (first argument a type): a program's own make or
    // new, and Go 1.26's new(expr), get false errors. Retry with those calls respelt (same positions).
    if (!tree.rootNode.hasError || !hasValueCalls(text)) return tree;
    const respelt = this.parseOnce(respellValueCalls(text));
    if (errorCount(respelt) < errorCount(tree)) {
      tree.delete();
      return respelt;
    }
    respelt.delete();
    return tree;
  }

  /**
   * Parses only `ranges` of `text` (offsets in UTF-16 units, ascending): nodes keep their positions in the whole
   * text. Undefined when that parse has syntax errors, which the whole text's parse may not have.
   */
  parseRanges(text: string, ranges: { start: number; end: number }[]): Tree | undefined {
    const point = pointFinder(text);
    const includedRanges = ranges.map((r) => ({ startIndex: r.start, endIndex: r.end, startPosition: point(r.start), endPosition: point(r.end) }));
    // Hand tree-sitter the text of the range it reads from only: copying from the offset to the end of a big
    // buffer for each read costs more than parsing a few declarations.
    const input = (index: number) => {
      const range = ranges.find((r) => index >= r.start && index < r.end);
      return range ? text.slice(index, range.end) : '';
    };
    const tree = this.parser.parse(input, null, { includedRanges });
    if (!tree) throw new Error('tree-sitter returned no tree');
    if (!tree.rootNode.hasError) return tree;
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
 * (rows counted by LF), so the next parse can reuse unchanged nodes.
 */
export function applyChanges(text: string, tree: Tree | undefined, changes: TextChange[]): string {
  for (const change of changes) {
    const { start: startIndex, end: oldEndIndex } = change.offsets ?? offsetsOf(text, change.range);
    const newText = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
    if (tree) {
      const newEndIndex = startIndex + change.text.length;
      tree.edit({
        startIndex, oldEndIndex, newEndIndex,
        startPosition: pointAt(text, startIndex),
        oldEndPosition: pointAt(text, oldEndIndex),
        newEndPosition: pointAt(newText, newEndIndex),
      });
    }
    text = newText;
  }
  return text;
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

/** Tree-sitter's points for offsets of `text` (rows end at LF only), by binary search over its line starts. */
export function pointFinder(text: string): (offset: number) => { row: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { row: low, column: offset - starts[low] };
  };
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
