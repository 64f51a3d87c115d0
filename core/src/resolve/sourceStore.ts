import * as path from 'path';
import type { TextChange } from '../api';
import { applyChanges, GoParser, SyntaxNode, Tree } from '../parse/goParser';
import { ExtractionCache, extractFileModel } from '../model/extract';
import { mayDeclareLocalTypes, stripFunctionBodies } from '../parse/skeleton';
import type { FileModel } from '../model/ast';
import { findBuildConstraint } from '../parse/buildConstraints';
import { largerThan, listGoFiles, MAX_FILE_BYTES, readSourceFile, skippedFile, type SkippedFile } from './sourceFiles';

export { MAX_FILE_BYTES };

interface OpenFile {
  text: string;
  /** Absent while the buffer is larger than MAX_FILE_BYTES: such a buffer is kept as text only. */
  parsed?: { tree: Tree; model: FileModel; cache: ExtractionCache };
}

/** A file's declarations, or why it was not read or parsed (`error` is `skipped.message`). */
export type ModelResult = { model: FileModel } | { error: string; skipped: SkippedFile };

/**
 * Go sources by absolute path: open editor buffers (kept with their syntax tree for incremental re-parsing) and
 * files read from disk (kept only as models, so that a whole GOROOT fits in memory).
 */
export class SourceStore {
  private readonly open = new Map<string, OpenFile>();
  private readonly disk = new Map<string, ModelResult>();
  private readonly constraints = new Map<string, { constraint?: string } | undefined>();
  private readonly dirListings = new Map<string, string[]>();

  constructor(private readonly parser: GoParser) {}

  openFile(file: string, text: string): void {
    this.closeFile(file);
    this.open.set(file, { text, parsed: this.parseOpen(text) });
    this.dirListings.delete(path.dirname(file));
  }

  editFile(file: string, changes: TextChange[]): void {
    const current = this.open.get(file);
    if (!current) throw new Error(`${file} is not open`);
    const text = applyChanges(current.text, current.parsed?.tree, changes);
    const parsed = this.parseOpen(text, current.parsed);
    current.parsed?.tree.delete();
    this.open.set(file, { text, parsed });
  }

  /** Parses an editor buffer, reusing the previous tree's unchanged parts; buffers over the size limit are not parsed. */
  private parseOpen(text: string, previous?: OpenFile['parsed']): OpenFile['parsed'] {
    if (text.length > MAX_FILE_BYTES) return undefined;
    const tree = this.parser.parse(text, previous?.tree);
    try {
      return { tree, ...extractFileModel(tree, text, mayDeclareLocalTypes(text), previous?.cache) };
    } catch (err) {
      // The tree lives in WASM memory, which no garbage collector frees.
      tree.delete();
      throw err;
    }
  }

  closeFile(file: string): void {
    const current = this.open.get(file);
    if (!current) return;
    current.parsed?.tree.delete();
    this.open.delete(file);
    this.dirListings.delete(path.dirname(file));
  }

  invalidate(target: string): void {
    this.disk.delete(target);
    this.constraints.delete(target);
    for (const key of this.constraints.keys()) if (key.startsWith(target + path.sep)) this.constraints.delete(key);
    this.dirListings.delete(target);
    this.dirListings.delete(path.dirname(target));
    for (const key of this.disk.keys()) if (key.startsWith(target + path.sep)) this.disk.delete(key);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  modelOf(file: string): ModelResult {
    const opened = this.open.get(file);
    if (opened) return opened.parsed ? { model: opened.parsed.model } : skippedResult(tooLargeBuffer(file));
    let cached = this.disk.get(file);
    if (!cached) {
      cached = this.readModel(file);
      this.disk.set(file, cached);
    }
    return cached;
  }

  /**
   * A file's build constraint, read from its header without parsing it, so that a package scope parses only the
   * files a target builds (x/sys/unix has 384 files, a fifth of them for a given target). `{}` when it has none;
   * undefined when the file cannot be read (the caller then asks modelOf, which says why).
   */
  buildConstraintOf(file: string): { constraint?: string } | undefined {
    const opened = this.open.get(file);
    if (opened) return opened.parsed ? { constraint: opened.parsed.model.buildConstraint } : undefined;
    const parsed = this.disk.get(file);
    if (parsed) return 'model' in parsed ? { constraint: parsed.model.buildConstraint } : undefined;
    if (!this.constraints.has(file)) {
      const read = readSourceFile(file);
      this.constraints.set(file, 'text' in read ? { constraint: findBuildConstraint(read.text) } : undefined);
    }
    return this.constraints.get(file);
  }

  /** The .go files of a folder (open buffers included), sorted. */
  goFilesIn(dir: string): string[] {
    let listing = this.dirListings.get(dir);
    if (!listing) {
      const names = new Set<string>();
      try {
        for (const file of listGoFiles(dir)) names.add(file);
      } catch {
        // A missing folder has no files; the caller reports the package as not found.
      }
      for (const file of this.open.keys()) if (path.dirname(file) === dir) names.add(file);
      listing = [...names].sort();
      this.dirListings.set(dir, listing);
    }
    return listing;
  }

  private readModel(file: string): ModelResult {
    return parseDiskFile(this.parser, file);
  }

  /**
   * Runs `use` with the complete syntax tree of a file (statements included), for analyzers. Open files lend
   * their live tree; disk files are parsed in full for the call and freed afterwards.
   */
  withFullTree<T>(file: string, use: (root: SyntaxNode, text: string) => T): T | { error: string } {
    const opened = this.open.get(file);
    if (opened) return opened.parsed ? use(opened.parsed.tree.rootNode, opened.text) : { error: tooLargeBuffer(file).message };
    const read = readSourceFile(file);
    if ('skipped' in read) return { error: read.skipped.message };
    const text = read.text;
    const tree = this.parser.parse(text);
    try {
      return use(tree.rootNode, text);
    } finally {
      tree.delete();
    }
  }

  /** Adds models parsed elsewhere (worker threads) for files not opened in the editor. */
  addParsed(file: string, result: ModelResult): void {
    if (!this.open.has(file)) this.disk.set(file, result);
  }

  hasModel(file: string): boolean {
    return this.open.has(file) || this.disk.has(file);
  }

  /**
   * The files consulted so far that could not be read or parsed (not regular, too large, dangling or looping
   * links, unreadable), sorted by path: what a command or the editor should say it left out.
   */
  skippedFiles(): SkippedFile[] {
    const skipped: SkippedFile[] = [];
    for (const [file, opened] of this.open) if (!opened.parsed) skipped.push(tooLargeBuffer(file));
    for (const [file, result] of this.disk) if ('skipped' in result && !this.open.has(file)) skipped.push(result.skipped);
    return skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
}

function tooLargeBuffer(file: string): SkippedFile {
  return skippedFile(file, 'too-large', largerThan(MAX_FILE_BYTES));
}

function skippedResult(skipped: SkippedFile): ModelResult {
  return { error: skipped.message, skipped };
}

/** Reads and parses a file from disk for its declarations only. */
export function parseDiskFile(parser: GoParser, file: string): ModelResult {
  const read = readSourceFile(file);
  if ('skipped' in read) return skippedResult(read.skipped);
  const text = read.text;
  // Disk files are only ever consulted for declarations, so their function bodies need no parsing.
  const skeleton = stripFunctionBodies(text);
  const parsedText = skeleton?.text ?? text;
  const tree = parser.parse(parsedText);
  try {
    return { model: extractFileModel(tree, parsedText, skeleton?.hasLocalTypes ?? true).model };
  } finally {
    tree.delete();
  }
}
