import * as path from 'path';
import type { Range, TextChange } from '../api';
import { applyChanges, applyTextChanges, GoParser, LfLines, type Edit, SyntaxNode, Tree } from '../parse/goParser';
import { ExtractionCache, extractFileModel } from '../model/extract';
import { mayDeclareLocalTypes, stripFunctionBodies } from '../parse/skeleton';
import type { FileModel } from '../model/ast';
import { findBuildConstraint } from '../parse/buildConstraints';
import { declarationIndex, mayDeclareName, resyncedDeclarationIndex, scanHeader, updateIndex, type DeclarationIndex, type DeclarationSpan } from '../parse/declaredNames';
import { largerThan, listGoFiles, MAX_FILE_BYTES, readSourceFile, skippedFile, type SkippedFile, type SourceRead } from './sourceFiles';

export { MAX_FILE_BYTES };

/**
 * Open buffers longer than this (UTF-16 units) are not parsed whole while they are typed in: each keystroke's hints
 * parse only the declarations on screen and those they name, syntax errors or not (re-parsing a 7 MB buffer of
 * 40,000 declarations took 0.8–1.4 s of CPU per keystroke). The language server does not run the analyzers, which
 * need the whole tree, on them either; other files' analyzers take them as unread (Engine.packageLiteralsOf).
 */
export const MAX_WHOLE_PARSE_CHARS = 1 << 20;

/**
 * The most text of a large buffer parsed for one request's declarations: past it (a screen inside a 6 MB table in
 * one `var`, a `type (` group of thousands) the buffer is parsed whole once and then re-parsed incrementally, which
 * costs less per keystroke than parsing that one declaration again from scratch (0.9 s against 2 s on a 6 MB table).
 */
const MAX_DECLARATIONS_PARSED_CHARS = 256 * 1024;

interface OpenFile {
  text: string;
  /** Absent while the buffer is larger than MAX_FILE_BYTES (kept as text only) or while `deferred`. */
  parsed?: { tree: Tree; model: FileModel; cache: ExtractionCache };
  /**
   * Opened or edited before anything asked for its syntax: parsed on first use, so that the first hints of a big
   * file need only parse the declarations on screen (typesInRange) and those other declarations mention.
   */
  deferred?: boolean;
  /** Line starts of a deferred buffer's text, kept through its edits (see LfLines). */
  lines?: LfLines;
  /**
   * A deferred buffer's declaration index up to the lines asked for so far (see typesInRange), kept through edits;
   * not the file's index (`indexes`), which lists all of its names (and which a large buffer uses from the start).
   */
  scanned?: DeclarationIndex;
  /**
   * The buffer's last whole index was resynced with declarations it could not follow: the next one is resynced
   * straight away (a large buffer's text being typed stays broken for a while, and a scan that fails at the end of
   * 7 MB costs 20–30 ms per keystroke that re-indexes).
   */
  broken?: boolean;
  /**
   * The model of the type declarations on the lines last asked for (typesInRange), which hints and the check for
   * anonymous structs both ask for; an edit makes a new OpenFile, so it never outlives the text it was parsed from.
   */
  screen?: { lines: string; model: FileModel };
}

/** A file's header facts: enough to tell whether it builds for a target and which package it belongs to. */
export interface FileFacts {
  constraint?: string;
  /** Undefined when no package clause was found before the first declaration. */
  packageName?: string;
  imports: string[];
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
  /** Headers and declared names of disk files not parsed yet (see headerOf, declaredNamesOf). */
  private readonly headers = new Map<string, FileFacts | undefined>();
  private readonly indexes = new Map<string, DeclarationIndex | undefined>();
  /** Models of single declarations (by span index) of files not parsed whole: see declarationModel. */
  private readonly declarations = new Map<string, Map<number, FileModel | undefined>>();
  private readonly dirListings = new Map<string, string[]>();
  /**
   * Texts of disk files read for their names (mayDeclare) or declarations, oldest first, so that a scope's lookups
   * read each file once; at most MAX_CACHED_TEXT characters are kept.
   */
  private readonly texts = new Map<string, string>();
  private cachedTextLength = 0;

  constructor(private readonly parser: GoParser) {}

  openFile(file: string, text: string): void {
    this.closeFile(file);
    this.open.set(file, { text, deferred: true });
    this.dirListings.delete(path.dirname(file));
  }

  editFile(file: string, changes: TextChange[]): void {
    const current = this.open.get(file);
    if (!current) throw new Error(`${file} is not open`);
    if (current.deferred) {
      this.editDeferred(file, current, changes);
      return;
    }
    this.forgetFacts(file);
    const edits: Edit[] = [];
    // A buffer over the size limit has no tree to edit: its text alone changes (no tree-sitter points to count).
    const text = applyChanges(current.text, current.parsed?.tree, changes, current.parsed ? edits : undefined);
    const parsed = this.parseOpen(text, current.parsed && { ...current.parsed, edits });
    current.parsed?.tree.delete();
    this.open.set(file, { text, parsed });
  }

  /**
   * An edit to a buffer not parsed: its declaration index and line starts are updated where the edit is rather
   * than computed again over the whole text (a keystroke in a 7 MB buffer), when the edit stays inside one
   * declaration; the models of single declarations go, since positions after the edit moved.
   */
  private editDeferred(file: string, current: OpenFile, changes: TextChange[]): void {
    let index = this.indexes.get(file);
    let broken = index ? (index.broken ?? 0) > 0 : current.broken;
    let scanned = current.scanned;
    const lines = current.lines;
    let text = current.text;
    // Each change's text is used as it is (not built again), so that the one string is flattened once.
    for (const { start, oldEnd, inserted, after } of applyTextChanges(current.text, changes)) {
      const newEnd = start + inserted.length;
      if (index && !updateIndex(index, text, after, start, oldEnd, newEnd)) index = undefined;
      if (scanned && !updateIndex(scanned, text, after, start, oldEnd, newEnd)) scanned = undefined;
      lines?.edit(start, oldEnd, inserted);
      text = after;
    }
    // A resynced index (of text that could not be followed) that has no broken declaration left is scanned again
    // as a whole on its next use, which then follows it.
    if (index?.broken === 0) {
      index = undefined;
      broken = false;
    }
    this.forgetFacts(file);
    if (index) this.indexes.set(file, index);
    this.open.set(file, { text, deferred: true, lines, scanned, broken });
  }

  /** Parses an editor buffer, reusing the previous tree's unchanged parts; buffers over the size limit are not parsed. */
  private parseOpen(text: string, previous?: NonNullable<OpenFile['parsed']> & { edits: Edit[] }): OpenFile['parsed'] {
    if (text.length > MAX_FILE_BYTES) return undefined;
    const { tree, incremental } = this.parser.reparse(text, previous?.tree);
    try {
      // Only the declarations the edits or the re-parse touched are extracted again.
      const since = previous && incremental
        ? { cache: previous.cache, edits: previous.edits, changedRanges: previous.tree.getChangedRanges(tree) }
        : undefined;
      return { tree, ...extractFileModel(tree, text, mayDeclareLocalTypes(text), since) };
    } catch (err) {
      // The tree lives in WASM memory, which no garbage collector frees.
      tree.delete();
      throw err;
    }
  }

  /** Whether a file is an open buffer too large to be parsed whole while typed in (MAX_WHOLE_PARSE_CHARS). */
  isLargeBuffer(file: string): boolean {
    const opened = this.open.get(file);
    return opened !== undefined && isLarge(opened.text);
  }

  /** An open file with its syntax, parsing it now if that was deferred. */
  private parsedOpen(file: string): OpenFile | undefined {
    const opened = this.open.get(file);
    if (opened?.deferred) {
      opened.parsed = this.parseOpen(opened.text);
      opened.deferred = false;
    }
    return opened;
  }

  closeFile(file: string): void {
    const current = this.open.get(file);
    this.forgetFacts(file);
    if (!current) return;
    current.parsed?.tree.delete();
    this.open.delete(file);
    this.dirListings.delete(path.dirname(file));
  }

  /** Header facts and declared names read from a file's text, which an edit, an open or a close replaces. */
  private forgetFacts(file: string): void {
    this.headers.delete(file);
    this.indexes.delete(file);
    this.declarations.delete(file);
    this.forgetText(file);
  }

  private forgetText(file: string): void {
    const text = this.texts.get(file);
    if (text === undefined) return;
    this.texts.delete(file);
    this.cachedTextLength -= text.length;
  }

  private cacheText(file: string, text: string): void {
    this.forgetText(file);
    if (text.length > MAX_CACHED_TEXT) return;
    this.texts.set(file, text);
    this.cachedTextLength += text.length;
    for (const [oldest, old] of this.texts) {
      if (this.cachedTextLength <= MAX_CACHED_TEXT) break;
      this.texts.delete(oldest);
      this.cachedTextLength -= old.length;
    }
  }

  invalidate(target: string): void {
    this.disk.delete(target);
    for (const facts of [this.headers, this.indexes, this.declarations]) {
      facts.delete(target);
      for (const key of facts.keys()) if (key.startsWith(target + path.sep)) facts.delete(key);
    }
    for (const key of [...this.texts.keys()]) if (key === target || key.startsWith(target + path.sep)) this.forgetText(key);
    this.dirListings.delete(target);
    this.dirListings.delete(path.dirname(target));
    for (const key of this.disk.keys()) if (key.startsWith(target + path.sep)) this.disk.delete(key);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  modelOf(file: string): ModelResult {
    const opened = this.parsedOpen(file);
    if (opened) return opened.parsed ? { model: opened.parsed.model } : skippedResult(tooLargeBuffer(file));
    let cached = this.disk.get(file);
    if (!cached) {
      cached = this.readModel(file);
      this.disk.set(file, cached);
    }
    return cached;
  }

  /**
   * What a file's header says (build constraint, package clause, imports), read without parsing it, so that a
   * package scope parses only the files a target builds (x/sys/unix has 384 files, a fifth of them for a given
   * target). Undefined when the file cannot be read (the caller then asks modelOf, which says why).
   */
  headerOf(file: string): FileFacts | undefined {
    const opened = this.open.get(file);
    if (opened?.deferred) {
      if (!this.headers.has(file)) this.headers.set(file, headerFacts(opened.text));
      return this.headers.get(file);
    }
    if (opened && !opened.parsed) return undefined;
    const model = this.parsedModel(file);
    if (model) return { constraint: model.buildConstraint, packageName: model.packageName, imports: model.imports.map((i) => i.path) };
    if (this.disk.has(file)) return undefined;
    if (!this.headers.has(file)) {
      const read = readHeader(file);
      // A file no longer than a header's read is whole already: its names are looked for in it next.
      if (read?.wholeText !== undefined) this.cacheText(file, read.wholeText);
      this.headers.set(file, read?.facts);
    }
    return this.headers.get(file);
  }

  /**
   * Whether a file may declare `name` at top level (see mayDeclareName): from its declaration index when it has one,
   * else from its text, so that a scope indexes only the files a name it looks up may come from. True for a file
   * that cannot be read (the caller's index and parse then say why). An open buffer not parsed is indexed at its
   * first lookup: its index is kept through edits (editDeferred), whereas its text would be scanned again for every
   * name a scope looks up (each predeclared type of a screenful, per target) on every keystroke.
   */
  mayDeclare(file: string, name: string): boolean {
    const deferred = this.open.get(file)?.deferred === true;
    if (deferred || this.indexes.has(file)) {
      const index = this.declarationIndexOf(file);
      if (index) return index.names.has(name);
      // Text the index cannot follow (an unterminated string, unbalanced brackets): an open buffer still gets the
      // occurrence scan rather than a parse of its whole text for any name looked up.
      if (!deferred) return true;
    }
    const read = this.currentText(file);
    return !('text' in read) || mayDeclareName(read.text, name);
  }

  /**
   * Where a file's top-level declarations are and the names each may introduce (a superset, read without parsing),
   * or undefined when it may declare any: a scope parses only the declarations of a name it is asked for.
   */
  declarationIndexOf(file: string): DeclarationIndex | undefined {
    if (!this.indexes.has(file)) {
      const opened = this.open.get(file);
      const read = opened ? { text: opened.text } : this.currentText(file);
      this.indexes.set(file, !('text' in read) ? undefined : opened ? bufferIndex(read.text, opened.broken) : declarationIndex(read.text));
    }
    return this.indexes.get(file);
  }

  /**
   * The model of one top-level declaration of a file (span `span` of its declarationIndexOf) with the file's
   * package clause and imports, parsed alone and kept until the file changes. Undefined when that parse has syntax
   * errors or the file changed since it was indexed: the caller then takes the whole file's model.
   */
  declarationModel(file: string, span: number): FileModel | undefined {
    let models = this.declarations.get(file);
    if (!models) this.declarations.set(file, (models = new Map()));
    if (!models.has(span)) models.set(span, this.parseDeclaration(file, span));
    return models.get(span);
  }

  private parseDeclaration(file: string, span: number): FileModel | undefined {
    const index = this.declarationIndexOf(file);
    const read = this.currentText(file);
    if (!index || !('text' in read) || read.text.length !== index.length || !index.spans[span]) return undefined;
    const opened = this.open.get(file);
    if (opened && index.spans[span].end - index.spans[span].start > MAX_DECLARATIONS_PARSED_CHARS) return undefined;
    // An open buffer's line starts are kept; a disk file's are found once for this parse.
    const lines = opened ? (opened.lines ??= LfLines.of(opened.text)) : LfLines.of(read.text);
    const tree = this.parser.parseRanges(read.text, [{ start: 0, end: index.headerEnd }, index.spans[span]], lines, keepsSyntaxErrors(opened));
    if (!tree) return undefined;
    try {
      return extractFileModel(tree, read.text, false).model;
    } finally {
      tree.delete();
    }
  }

  /** An open file's buffer, else the file on disk. */
  private currentText(file: string): SourceRead {
    const opened = this.open.get(file);
    if (opened) return { text: opened.text };
    const cached = this.texts.get(file);
    if (cached !== undefined) return { text: cached };
    const read = readSourceFile(file);
    if ('text' in read) this.cacheText(file, read.text);
    return read;
  }

  /** The text on the lines of `range` of an open buffer not parsed yet (see typesInRange); undefined for other files. */
  deferredTextOn(file: string, range: Range): string | undefined {
    const opened = this.open.get(file);
    if (!opened?.deferred) return undefined;
    opened.lines ??= LfLines.of(opened.text);
    const from = Math.min(opened.lines.rowStart(range.start.line), opened.text.length);
    return opened.text.slice(from, Math.min(opened.lines.rowStart(range.end.line + 1), opened.text.length));
  }

  /** The model of a file already parsed (open, or read from disk), without reading or parsing anything. */
  parsedModel(file: string): FileModel | undefined {
    const opened = this.open.get(file);
    if (opened) return opened.parsed?.model;
    const parsed = this.disk.get(file);
    return parsed && 'model' in parsed ? parsed.model : undefined;
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
   * The model of a file's type declarations on the lines of `range` (with its package clause and imports). An open
   * file not parsed yet has only those declarations parsed, unless that parse finds syntax errors; any other file
   * gives its whole model.
   */
  typesInRange(file: string, range: Range): ModelResult {
    const opened = this.open.get(file);
    if (!opened?.deferred || opened.text.length > MAX_FILE_BYTES) return this.modelOf(file);
    const lines = `${range.start.line}:${range.end.line}`;
    if (opened.screen?.lines === lines) return { model: opened.screen.model };
    opened.lines ??= LfLines.of(opened.text);
    const model = this.parseTypesInRange(file, opened, opened.lines, range);
    if (model) opened.screen = { lines, model };
    return model ? { model } : this.modelOf(file);
  }

  private parseTypesInRange(file: string, opened: OpenFile, lines: LfLines, range: Range): FileModel | undefined {
    // Type declarations, and the functions (or variables) there that may declare local types, which are laid out too.
    let localTypes = false;
    const trees = this.parseDeclarationsOn(file, opened, lines, range, (span) => {
      if (span.keyword === 'type') return true;
      if (!mayDeclareLocalTypes(opened.text.slice(span.start, span.end))) return false;
      localTypes = true;
      return true;
    });
    if (!trees) return undefined;
    try {
      return mergeModels(trees.map((tree) => extractFileModel(tree, opened.text, localTypes).model));
    } finally {
      for (const tree of trees) tree.delete();
    }
  }

  /**
   * Trees of an open buffer's header and the declarations (those `chosen`) on the lines of `range`: starting before
   * the line after it, ending on or after its first. One tree, unless it has syntax errors: tree-sitter reads the
   * ranges it is given as one text, so that a declaration left open (a struct being typed) would take in those after
   * it; each declaration is then parsed alone. Undefined when the buffer's declarations cannot be told or the parse
   * has syntax errors it does not keep (keepsSyntaxErrors).
   */
  private parseDeclarationsOn(file: string, opened: OpenFile, lines: LfLines, range: Range, chosen: (span: DeclarationSpan) => boolean): Tree[] | undefined {
    const text = opened.text;
    const firstOffset = Math.min(lines.rowStart(range.start.line), text.length);
    const pastOffset = Math.min(lines.rowStart(range.end.line + 1), text.length);
    // A large buffer's whole index, which its names' lookups need anyway; else the file's own index if a lookup
    // made one, else the buffer's index of its declarations up to those lines only (kept, and updated through edits
    // as the whole one is: the first hints of a screenful at the top of a generated file need no more).
    let found = isLarge(text) || this.indexes.has(file) ? this.declarationIndexOf(file) : opened.scanned;
    if (!this.indexes.has(file) && !reaches(found, pastOffset)) found = opened.scanned = declarationIndex(text, pastOffset);
    if (!found) return undefined;
    const header = { start: 0, end: found.headerEnd };
    const spans = found.spans.filter((s) => s.start < pastOffset && s.end >= firstOffset && chosen(s));
    if (spans.reduce((sum, s) => sum + s.end - s.start, 0) > MAX_DECLARATIONS_PARSED_CHARS) return undefined;
    const keepErrors = keepsSyntaxErrors(opened);
    const tree = this.parser.parseRanges(text, [header, ...spans], lines, keepErrors);
    if (!tree || !tree.rootNode.hasError || spans.length < 2) return tree && [tree];
    tree.delete();
    return spans.map((span) => this.parser.parseRanges(text, [header, span], lines, keepErrors)!);
  }

  /**
   * Runs `use` with syntax trees holding the declarations on the lines of `range` (the whole file's tree without
   * one) and the model of what they hold. A large open buffer not parsed whole has only its header and those
   * declarations parsed, syntax errors kept (see parseDeclarationsOn), so that the anonymous structs on screen cost
   * no more than its named ones; any other file lends its whole tree (withFullTree).
   */
  withTreesOn<T>(file: string, range: Range | undefined, use: (roots: SyntaxNode[], model: FileModel) => T): T | { error: string } {
    const opened = this.open.get(file);
    if (range && opened?.deferred && isLarge(opened.text) && opened.text.length <= MAX_FILE_BYTES) {
      const trees = this.parseDeclarationsOn(file, opened, (opened.lines ??= LfLines.of(opened.text)), range, () => true);
      if (trees) {
        try {
          return use(trees.map((tree) => tree.rootNode), mergeModels(trees.map((tree) => extractFileModel(tree, opened.text, false).model)));
        } finally {
          for (const tree of trees) tree.delete();
        }
      }
    }
    const modelResult = this.modelOf(file);
    if (!('model' in modelResult)) return { error: modelResult.error };
    return this.withFullTree(file, (root) => use([root], modelResult.model));
  }

  /**
   * Runs `use` with the complete syntax tree of a file (statements included), for analyzers. Open files lend
   * their live tree; disk files are parsed in full for the call and freed afterwards.
   */
  withFullTree<T>(file: string, use: (root: SyntaxNode, text: string) => T): T | { error: string } {
    const opened = this.parsedOpen(file);
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
    for (const [file, opened] of this.open) if (opened.text.length > MAX_FILE_BYTES) skipped.push(tooLargeBuffer(file));
    for (const [file, result] of this.disk) if ('skipped' in result && !this.open.has(file)) skipped.push(result.skipped);
    return skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
}

/** Bytes read for a header first: the build constraint, package clause and imports nearly always fit. */
const HEADER_BYTES = 8192;

/** Characters of disk files' texts kept for name lookups (a package like x/sys/unix reads 1.3 MB per target). */
const MAX_CACHED_TEXT = 16 * 1024 * 1024;

function headerFacts(text: string): FileFacts {
  const header = scanHeader(text);
  return { constraint: findBuildConstraint(text), packageName: header.packageName, imports: header.imports };
}

/** A file's header facts, and its whole text when that was read for them. */
function readHeader(file: string): { facts: FileFacts; wholeText?: string } | undefined {
  const head = readSourceFile(file, MAX_FILE_BYTES, HEADER_BYTES);
  if ('skipped' in head) return undefined;
  // Whole lines only, so that no token is cut; a header running past them is read again in full.
  const text = head.complete ? head.text : head.text.slice(0, head.text.lastIndexOf('\n') + 1);
  let header = scanHeader(text);
  if (!head.complete && !header.ended) {
    const read = readSourceFile(file);
    if ('skipped' in read) return undefined;
    header = scanHeader(read.text);
    return { facts: { constraint: findBuildConstraint(read.text), packageName: header.packageName, imports: header.imports }, wholeText: read.text };
  }
  const facts = { constraint: findBuildConstraint(text), packageName: header.packageName, imports: header.imports };
  return head.complete ? { facts, wholeText: head.text } : { facts };
}

/**
 * Whether `index` (of a text's declarations up to some offset, declarationIndex's `until`) lists every declaration
 * starting before `offset`: its last declaration ends where the next one (the first it left out) starts.
 */
function reaches(index: DeclarationIndex | undefined, offset: number): boolean {
  return index !== undefined && index.spans.length > 0 && index.spans[index.spans.length - 1].end >= offset;
}

/**
 * One model of the models of parts of a file, each parsed with its header (parseDeclarationsOn), in file order: the
 * header's facts are taken once.
 */
function mergeModels(models: FileModel[]): FileModel {
  if (models.length === 1) return models[0];
  const [first] = models;
  const errors = new Map<string, FileModel['syntaxErrors'][number]>();
  for (const error of models.flatMap((m) => m.syntaxErrors)) errors.set(`${error.range.start.line}:${error.range.start.character}`, error);
  return {
    packageName: first.packageName, buildConstraint: first.buildConstraint, imports: first.imports,
    types: models.flatMap((m) => m.types), consts: models.flatMap((m) => m.consts),
    varTypes: new Map(models.flatMap((m) => [...m.varTypes])), syntaxErrors: [...errors.values()],
  };
}

function isLarge(text: string): boolean {
  return text.length > MAX_WHOLE_PARSE_CHARS;
}

/**
 * An open buffer's declaration index: a large one's is resynced where the token scan cannot follow it (a
 * declaration being typed), so that a broken declaration costs a parse of itself, never of the whole buffer;
 * straight away when it was `broken` at its last index (see OpenFile.broken).
 */
function bufferIndex(text: string, broken = false): DeclarationIndex | undefined {
  if (!isLarge(text)) return declarationIndex(text);
  return (broken ? undefined : declarationIndex(text)) ?? resyncedDeclarationIndex(text);
}

/**
 * Whether declarations parsed alone keep their syntax errors rather than give way to a parse of the whole file: in a
 * large open buffer they do (a half-typed struct is laid out as far as it goes, as a whole parse would have it). Else
 * a parse alone may find an error the whole file's parse does not, and a whole parse is cheap enough.
 */
function keepsSyntaxErrors(opened: OpenFile | undefined): boolean {
  return opened !== undefined && isLarge(opened.text);
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
