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

  private parseOnce(text: string, previous?: Tree): Tree {
    const tree = this.parser.parse(text, previous);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

/** Applies LSP-style edits to `text`, recording each on `tree` so the next parse can reuse unchanged nodes. */
export function applyChanges(text: string, tree: Tree | undefined, changes: TextChange[]): string {
  for (const change of changes) {
    const lineStarts = computeLineStarts(text);
    const startIndex = offsetAt(lineStarts, text.length, change.range.start);
    const oldEndIndex = offsetAt(lineStarts, text.length, change.range.end);
    const newText = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
    if (tree) {
      const newEndIndex = startIndex + change.text.length;
      tree.edit({
        startIndex, oldEndIndex, newEndIndex,
        startPosition: toPoint(change.range.start),
        oldEndPosition: toPoint(change.range.end),
        newEndPosition: endPointAfterInsert(change.range.start, change.text),
      });
    }
    text = newText;
  }
  return text;
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetAt(lineStarts: number[], length: number, pos: Position): number {
  if (pos.line >= lineStarts.length) return length;
  const lineEnd = pos.line + 1 < lineStarts.length ? lineStarts[pos.line + 1] - 1 : length;
  return Math.min(lineStarts[pos.line] + pos.character, lineEnd);
}

function toPoint(pos: Position): { row: number; column: number } {
  return { row: pos.line, column: pos.character };
}

function endPointAfterInsert(start: Position, inserted: string): { row: number; column: number } {
  const lines = inserted.split('\n');
  if (lines.length === 1) return { row: start.line, column: start.character + inserted.length };
  return { row: start.line + lines.length - 1, column: lines[lines.length - 1].length };
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
