/**
 * What a Go file declares, read from its text with a token scan and no parse: its package clause, its imports and
 * the names its top-level `type`, `const` and `var` declarations may introduce. A package scope uses this to parse
 * only the files that can declare a name it is asked for (x/sys/unix builds 42 files per target, and a screenful of
 * ztypes_linux.go needs two of them).
 *
 * The names are a superset: inside a declaration group every identifier list that starts a line counts, so a
 * continued expression (`A = B +\n C`) adds `C` too. A superset only costs a parse; a name left out would lose a
 * declaration, so text the scan cannot follow (an unterminated literal or comment, unbalanced brackets) gives
 * undefined, which callers take as "may declare anything".
 */

export interface FileHeader {
  /** The package clause's name, or undefined when the scan found none before the first declaration. */
  packageName?: string;
  /** Import paths of the import declarations after the package clause. */
  imports: string[];
  /** Whether the scan saw the header end (a token after it), rather than the end of the text or broken text. */
  ended: boolean;
}

const LPAREN = 40;
const RPAREN = 41;
const COMMA = 44;
const SEMICOLON = 59;
const NEWLINE = 10;
const DECLARING = new Set(['type', 'const', 'var']);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

const IDENT = 0;
const STRING = 1;
const NUMBER = 5;
/** Any other character: a bracket, an operator, a comma; newlines are tokens (they end specs). */
const CHAR = 2;
const END = 3;
/** An unterminated literal or comment: the text cannot be followed. */
const BROKEN = 4;
type Kind = typeof IDENT | typeof STRING | typeof NUMBER | typeof CHAR | typeof END | typeof BROKEN;

/**
 * Go tokens as far as declarations need them: comments skipped, literals whole, newlines kept. Allocation-free:
 * `next` gives the kind and the fields say where the token is; `word` and `literal` copy its text when needed.
 */
class Tokens {
  private pos = 0;
  /** Where the token last returned starts, and ends. */
  start = 0;
  end = 0;
  /** The character of a CHAR token. */
  code = 0;

  constructor(private readonly text: string) {}

  /** An IDENT token's text. */
  word(): string {
    return this.text.slice(this.start, this.end);
  }

  /**
   * Moves past the run of characters `filler` (a sticky pattern) matches at the current position, if any: a native
   * regular expression crosses a function body or a constant's value many times faster than `next`, character by
   * character (and before V8 has optimised `next`, on a cold start, tens of times faster).
   */
  skip(filler: RegExp): void {
    filler.lastIndex = this.pos;
    if (filler.test(this.text)) this.pos = filler.lastIndex;
  }

  /** A STRING token's contents, as written (import paths hold no escapes in practice). */
  literal(): string {
    return this.text.slice(this.start + 1, this.end - 1);
  }

  next(): Kind {
    const t = this.text;
    for (;;) {
      this.start = this.pos;
      if (this.pos >= t.length) return END;
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 13) {
        this.pos++;
        continue;
      }
      if (c === 47 && t.charCodeAt(this.pos + 1) === 47) {
        const end = t.indexOf('\n', this.pos);
        this.pos = end < 0 ? t.length : end;
        continue;
      }
      if (c === 47 && t.charCodeAt(this.pos + 1) === 42) {
        const end = t.indexOf('*/', this.pos + 2);
        if (end < 0) return BROKEN;
        // A comment holding a newline ends a line as a newline does.
        const hadNewline = t.lastIndexOf('\n', end) > this.pos;
        this.pos = end + 2;
        if (hadNewline) return this.char(NEWLINE);
        continue;
      }
      if (c >= 48 && c <= 57) {
        // A number, read whole (0x1F, 1e9, 0.5, 1_000): like a string, it ends a name list.
        let i = this.pos + 1;
        while (i < t.length && (isIdentPart(t.charCodeAt(i)) || t.charCodeAt(i) === 46)) i++;
        this.pos = this.end = i;
        return NUMBER;
      }
      if (isIdentStart(c)) {
        let i = this.pos + 1;
        while (i < t.length && isIdentPart(t.charCodeAt(i))) i++;
        this.pos = this.end = i;
        return IDENT;
      }
      if (c === 96) {
        const end = t.indexOf('`', this.pos + 1);
        if (end < 0) return BROKEN;
        this.pos = this.end = end + 1;
        return STRING;
      }
      if (c === 34 || c === 39) return this.quoted(c);
      this.pos++;
      return this.char(c);
    }
  }

  private char(code: number): Kind {
    this.code = code;
    this.end = this.pos;
    return CHAR;
  }

  private quoted(quote: number): Kind {
    const t = this.text;
    let i = this.pos + 1;
    while (i < t.length) {
      const d = t.charCodeAt(i);
      if (d === 92) {
        i += 2;
        continue;
      }
      if (d === quote) break;
      if (d === NEWLINE) return BROKEN;
      i++;
    }
    if (i >= t.length) return BROKEN;
    this.pos = this.end = i + 1;
    return STRING;
  }
}

/** The package clause and imports at the top of a file, scanning no further than the first other declaration. */
export function scanHeader(text: string): FileHeader {
  const tokens = new Tokens(text);
  const header: FileHeader = { imports: [], ended: false };
  const stop = (kind: Kind) => {
    header.ended = kind !== END && kind !== BROKEN;
    return header;
  };
  const isWord = (kind: Kind, word: string) => kind === IDENT && tokens.word() === word;
  const isChar = (kind: Kind, code: number) => kind === CHAR && tokens.code === code;
  let kind = skipNewlines(tokens);
  if (!isWord(kind, 'package')) return stop(kind);
  kind = skipNewlines(tokens);
  if (kind !== IDENT) return stop(kind);
  header.packageName = tokens.word();
  for (;;) {
    kind = skipSeparators(tokens);
    if (!isWord(kind, 'import')) return stop(kind);
    kind = skipNewlines(tokens);
    if (isChar(kind, LPAREN)) {
      for (kind = tokens.next(); !isChar(kind, RPAREN); kind = tokens.next()) {
        if (kind === END || kind === BROKEN) return stop(kind);
        if (kind === STRING) header.imports.push(tokens.literal());
      }
    } else {
      // `import name "path"`, `import . "path"`, `import "path"`.
      if (kind !== STRING) kind = tokens.next();
      if (kind !== STRING) return stop(kind);
      header.imports.push(tokens.literal());
    }
  }
}

function skipNewlines(tokens: Tokens): Kind {
  let kind = tokens.next();
  while (kind === CHAR && tokens.code === NEWLINE) kind = tokens.next();
  return kind;
}

function skipSeparators(tokens: Tokens): Kind {
  let kind = tokens.next();
  while (kind === CHAR && (tokens.code === NEWLINE || tokens.code === SEMICOLON)) kind = tokens.next();
  return kind;
}

/** A top-level declaration's text: from its keyword to the next top-level keyword (or the end). */
export interface DeclarationSpan {
  keyword: 'type' | 'const' | 'var' | 'func';
  start: number;
  end: number;
}

/** Where a file's declarations are and which names each may declare, from one token scan. */
export interface DeclarationIndex {
  /** Where the package clause and imports end: the first other declaration's start. */
  headerEnd: number;
  spans: DeclarationSpan[];
  /** Indexes into `spans` of the declarations that may declare each name (a superset, see above). */
  names: Map<string, number[]>;
  /** The length of the text indexed, to tell a file changed since. */
  length: number;
  /**
   * Set on an index made by resyncedDeclarationIndex: how many of its declarations the token scan cannot follow
   * (their names are then every word that may be a declared one).
   */
  broken?: number;
}

const TOP_LEVEL_KEYWORDS = new Set(['type', 'const', 'var', 'func', 'import']);

/**
 * What declarationIndex may step over without a token: inside a body (a function's, a struct's, brackets deeper than
 * a group) only brackets count, so everything but brackets, literals and comments (which may hide brackets) goes; on
 * a group's line after its names, newlines and semicolons count too (they end the spec).
 */
const BODY_FILLER = /[^()[\]{}"'`/]+/y;
const GROUP_LINE_FILLER = /[^()[\]{}"'`/\n;]+/y;

/**
 * The names top-level `type`, `const` and `var` declarations of `text` may declare (a superset, see above), or
 * undefined when the text cannot be followed.
 */
export function declaredNames(text: string): Set<string> | undefined {
  const index = declarationIndex(text);
  return index && new Set(index.names.keys());
}

/**
 * Indexes a file's top-level declarations: where each starts and ends and the names it may declare; undefined when
 * the text cannot be followed. Lets a declaration be parsed without the rest of its file (tree-sitter's included
 * ranges keep positions). With `until`, the scan stops at the first declaration starting at or after that offset:
 * the declarations before it, and the names they may declare, are those of the whole text's index (a screenful at
 * the top of a 6,577-line buffer need not scan the rest).
 */
export function declarationIndex(text: string, until = Infinity): DeclarationIndex | undefined {
  const tokens = new Tokens(text);
  const index: DeclarationIndex = { headerEnd: text.length, spans: [], names: new Map(), length: text.length };
  let seenDeclaration = false;
  const declare = (name: string) => declaredIn(index, name, index.spans.length - 1);
  let depth = 0;
  /** Depth 1 inside `const (`, `var (`, `type (`: each line there may start a spec. */
  let inGroup = false;
  /** The next identifiers (and commas between them) are names being declared. */
  let collecting = false;
  let expectName = false;
  let afterKeyword = false;
  let lineStart = true;
  for (;;) {
    // No name is read and no keyword counts in these stretches (collecting is off there): see BODY_FILLER.
    if (depth > 1 || (depth === 1 && !inGroup)) tokens.skip(BODY_FILLER);
    else if (depth === 1 && !collecting && !lineStart) tokens.skip(GROUP_LINE_FILLER);
    const kind = tokens.next();
    if (kind === END) break;
    if (kind === BROKEN) return undefined;
    if (kind === IDENT) {
      if (collecting && expectName) {
        declare(tokens.word());
        expectName = false;
      } else {
        collecting = false;
        // Inside brackets deeper than a group only brackets count: no word is read there.
        const word = depth === 0 || (inGroup && depth === 1 && lineStart) ? tokens.word() : '';
        // `func` starts a declaration only at the start of a line: elsewhere it is a type or a literal (type F func()).
        if (depth === 0 && TOP_LEVEL_KEYWORDS.has(word) && (word !== 'func' || lineStart)) {
          const last = index.spans[index.spans.length - 1];
          if (last) last.end = tokens.start;
          if (tokens.start >= until) return index;
          if (word === 'import') {
            // Imports after another declaration: not Go, and not a header this index can describe.
            if (seenDeclaration) return undefined;
          } else {
            if (!seenDeclaration) index.headerEnd = tokens.start;
            seenDeclaration = true;
            index.spans.push({ keyword: word as DeclarationSpan['keyword'], start: tokens.start, end: text.length });
          }
          afterKeyword = DECLARING.has(word);
          collecting = afterKeyword;
          expectName = afterKeyword;
          lineStart = false;
          continue;
        }
        if (inGroup && depth === 1 && lineStart) {
          declare(word);
          collecting = true;
          expectName = false;
        }
      }
      afterKeyword = false;
      lineStart = false;
      continue;
    }
    if (kind === STRING || kind === NUMBER) {
      collecting = false;
      afterKeyword = false;
      lineStart = false;
      continue;
    }
    const c = tokens.code;
    if (c === COMMA && collecting && !expectName) {
      expectName = true;
      continue;
    }
    // A name list may go on after a comma (or a keyword) on the next line.
    if (c === NEWLINE && collecting && expectName) continue;
    if (c === LPAREN && afterKeyword && depth === 0) {
      depth = 1;
      inGroup = true;
      afterKeyword = false;
      collecting = false;
      lineStart = true;
      continue;
    }
    afterKeyword = false;
    collecting = false;
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) return undefined;
      if (depth === 0) inGroup = false;
    }
    lineStart = c === NEWLINE || c === SEMICOLON;
  }
  return depth === 0 ? index : undefined;
}

/**
 * Whether `text` may declare `name` at top level, from its occurrences alone: true whenever declarationIndex(text)
 * lists the name (or gives up), so a scope need not index a file (a token scan of all of it) that cannot declare a
 * name it looks up; `int32` or `Timespec` appear in most files of x/sys/unix, as a declared name in few. An
 * occurrence counts when it is a whole word and the token before it may precede a declared name there: `type`,
 * `const`, `var`, `(`, `,`, `;`, a line break or the end of a block comment (a `/` at all, to be safe).
 */
export function mayDeclareName(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at > 0 && isIdentPart(text.charCodeAt(at - 1))) continue;
    if (isIdentPart(text.charCodeAt(at + name.length))) continue;
    let before = at - 1;
    while (before >= 0 && isBlank(text.charCodeAt(before))) before--;
    // The start of the text: a name cannot be declared there, but nothing is lost by saying it may.
    if (before < 0) return true;
    const c = text.charCodeAt(before);
    if (c === NEWLINE || c === LPAREN || c === COMMA || c === SEMICOLON || c === SLASH) return true;
    if (!isIdentPart(c)) continue;
    let wordStart = before;
    while (wordStart > 0 && isIdentPart(text.charCodeAt(wordStart - 1))) wordStart--;
    if (DECLARING.has(text.slice(wordStart, before + 1))) return true;
  }
  return false;
}

const SLASH = 47;

/** Space, tab and carriage return: what separates tokens on one line. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/**
 * A line starting a top-level declaration as gofmt writes one: its keyword first on the line. Bodies are indented, so
 * where the token scan cannot follow a text (a struct being typed: an unclosed bracket or literal) these lines still
 * say where the declarations start.
 */
const DECLARATION_LINE = /^(?:type|const|var|func)(?![\p{L}\p{N}_])/gmu;

/**
 * Every word that may be a declared name in text the token scan cannot follow: one after `type`, `const`, `var` or
 * the start of the text, a line break, `(`, `,`, `;` or `/` (the end of a comment), blanks between (mayDeclareName's
 * rule, for all names at once).
 */
const MAYBE_DECLARED = /(?<=(?:^|[\n(,;/]|\b(?:type|const|var))[ \t\r]*)[\p{L}_][\p{L}\p{N}_]*/gu;

/**
 * declarationIndex for text it cannot follow (an editor buffer while a declaration is half typed): the text is cut
 * at each DECLARATION_LINE and each piece indexed alone as one declaration, so that a broken piece leaves the others
 * as they are; a broken piece may declare every word MAYBE_DECLARED finds in it. On text declarationIndex follows, the
 * names are the same but a piece may hold more than one declaration (`var a = 1; var b = 2`).
 */
export function resyncedDeclarationIndex(text: string): DeclarationIndex {
  const starts = [...text.matchAll(DECLARATION_LINE)].map((m) => ({ keyword: m[0] as DeclarationSpan['keyword'], start: m.index }));
  const index: DeclarationIndex = { headerEnd: starts[0]?.start ?? text.length, spans: [], names: new Map(), length: text.length, broken: 0 };
  starts.forEach(({ keyword, start }, span) => {
    const end = starts[span + 1]?.start ?? text.length;
    index.spans.push({ keyword, start, end });
    const piece = text.slice(start, end);
    const scanned = declarationIndex(piece);
    if (!scanned) index.broken!++;
    for (const name of scanned ? scanned.names.keys() : piece.match(MAYBE_DECLARED) ?? []) declaredIn(index, name, span);
  });
  return index;
}

/** Records that span `span` of `index` may declare `name` (spans are added in order, each name's listed once). */
function declaredIn(index: DeclarationIndex, name: string, span: number): void {
  const spans = index.names.get(name);
  if (!spans) index.names.set(name, [span]);
  else if (spans[spans.length - 1] !== span) spans.push(span);
}

/**
 * `index` (of `before`, made by declarationIndex or resyncedDeclarationIndex) brought up to date after
 * [start, oldEnd) of `before` was replaced, giving `after`: the declarations from the last one starting before the
 * edit to the one its end falls in are scanned again, with the keyword of the next one, and put in their place;
 * the index is changed in place. Everything after them is indexed as before as long as that next keyword still
 * starts a declaration where it did (a scan starts afresh at each one). False when that cannot be told: the edit
 * touches the header, the declarations edited cannot be followed (with declarationIndex), or the next keyword no
 * longer starts one there; the text must then be indexed again.
 */
export function updateIndex(index: DeclarationIndex, before: string, after: string, start: number, oldEnd: number, newEnd: number): boolean {
  const spans = index.spans;
  const first = lastSpanBefore(spans, start);
  if (first < 0) return false;
  const last = Math.max(first, lastSpanBefore(spans, oldEnd + 1));
  const regionStart = spans[first].start;
  const regionEnd = spans[last].end;
  const delta = newEnd - oldEnd;
  const scan = index.broken === undefined ? declarationIndex : resyncedDeclarationIndex;
  const nextKeyword = regionEnd < before.length ? /^[a-z]+/.exec(before.slice(regionEnd, regionEnd + 6))?.[0] ?? '' : '';
  const old = scan(before.slice(regionStart, regionEnd));
  const now = scan(after.slice(regionStart, regionEnd + delta + nextKeyword.length));
  if (!old || !now || old.headerEnd !== 0 || now.headerEnd !== 0 || old.spans.length !== last - first + 1) return false;
  if (nextKeyword) {
    const next = now.spans.pop();
    if (next?.keyword !== nextKeyword || next.start !== regionEnd + delta - regionStart) return false;
  }
  if (now.spans.length === 0 || !replaceNames(index, first, old, now)) return false;
  spans.splice(first, last - first + 1, ...now.spans.map((s) => ({ keyword: s.keyword, start: s.start + regionStart, end: s.end + regionStart })));
  for (let k = first + now.spans.length; k < spans.length; k++) {
    spans[k].start += delta;
    spans[k].end += delta;
  }
  if (index.broken !== undefined) index.broken += now.broken! - old.broken!;
  index.length += delta;
  return true;
}

/** The last of `spans` starting before `offset`; -1 when none does. */
function lastSpanBefore(spans: DeclarationSpan[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  if (high < 0 || spans[0].start >= offset) return -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (spans[mid].start < offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Replaces in `index.names` the spans from `first` on that `old` (their scan before the edit) lists with those `now`
 * lists, renumbering the spans after them when their count changed; false, with nothing changed, when the index does
 * not list what `old` does.
 */
function replaceNames(index: DeclarationIndex, first: number, old: DeclarationIndex, now: DeclarationIndex): boolean {
  for (const [name, local] of old.names) {
    const spans = index.names.get(name);
    if (!spans || local.some((k) => !spans.includes(first + k))) return false;
  }
  for (const [name, local] of old.names) {
    const spans = index.names.get(name)!.filter((k) => !local.includes(k - first));
    if (spans.length === 0) index.names.delete(name);
    else index.names.set(name, spans);
  }
  const shift = now.spans.length - old.spans.length;
  if (shift !== 0) {
    const pastOld = first + old.spans.length;
    for (const spans of index.names.values()) {
      for (let i = spans.length - 1; i >= 0 && spans[i] >= pastOld; i--) spans[i] += shift;
    }
  }
  for (const [name, local] of now.names) {
    const spans = index.names.get(name) ?? [];
    let at = spans.length;
    while (at > 0 && spans[at - 1] >= first + now.spans.length) at--;
    spans.splice(at, 0, ...local.map((k) => first + k));
    index.names.set(name, spans);
  }
  return true;
}
