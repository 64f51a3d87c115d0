export interface Skeleton {
  /** The text with bodies and variable initialisers emptied (only their newlines kept). */
  text: string;
  /** Whether some function body declares a type (so the model must look inside functions). */
  hasLocalTypes: boolean;
}

/**
 * Layout needs declarations, not statements, and parsing function bodies and big table initialisers is most of
 * tree-sitter's work on real code. For files read from disk we drop the contents of every function body that
 * declares no local type, and of every composite literal in a `var` declaration, keeping their newlines so that
 * line numbers of the declarations after them stay exact.
 *
 * Returns undefined when the text cannot be scanned safely (unbalanced brackets, unterminated literals): the
 * caller then parses the full text.
 */
export function stripFunctionBodies(text: string): Skeleton | undefined {
  return new BodyScanner(text).run();
}

/**
 * Whether `text` may declare a type inside a function: a `type` keyword that starts an indented line or follows
 * `{` or `;` (where gofmt, and nearly all code, puts local declarations). Cheap enough to run on every keystroke;
 * a match inside a comment or string only costs a full walk, never a wrong answer.
 */
export function mayDeclareLocalTypes(text: string): boolean {
  return /^[ \t]+type\s|[{;][ \t]*type\s/m.test(text);
}

const TOP_LEVEL_KEYWORDS = new Set(['var', 'const', 'type', 'func', 'import']);
const OPEN = new Set([40, 91, 123]); // ( [ {
const CLOSE = new Set([41, 93, 125]); // ) ] }
const LBRACE = 123;
const RBRACE = 125;

/** `//go:build` and `// +build` lines decide which files build: they stay. */
function isBuildDirective(text: string, at: number): boolean {
  return text.startsWith('//go:build', at) || text.startsWith('// +build', at);
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

class BodyScanner {
  private pos = 0;
  private depth = 0;
  private lastWord = '';
  private afterFunc = false;
  /** The keyword of the top-level declaration being scanned (var, const, type, func, import). */
  private declKeyword = '';
  private hasLocalTypes = false;
  /** A `[...]` was seen since the last body: the next composite literal's length is part of its type. */
  private implicitLength = false;
  private readonly kept: string[] = [];
  private copiedUpTo = 0;

  constructor(private readonly text: string) {}

  /** Leaves out text[from, to) but for its newlines, so that line numbers after it stay the same. */
  private drop(from: number, to: number): void {
    let newlines = 0;
    for (let i = this.text.indexOf('\n', from); i >= 0 && i < to; i = this.text.indexOf('\n', i + 1)) newlines++;
    this.kept.push(this.text.slice(this.copiedUpTo, from), '\n'.repeat(newlines));
    this.copiedUpTo = to;
  }

  run(): Skeleton | undefined {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (this.skipTrivia(c)) continue;
      if (this.skipLiteral(c) === 'broken') return undefined;
      if (isIdentStart(c)) {
        const word = this.readWord();
        if (this.depth === 0 && TOP_LEVEL_KEYWORDS.has(word)) this.declKeyword = word;
        if (word === 'func' && this.depth === 0) this.afterFunc = true;
        this.lastWord = word;
        continue;
      }
      const typeBrace = this.lastWord === 'struct' || this.lastWord === 'interface';
      if (c === LBRACE && !typeBrace && ((this.depth === 0 && this.afterFunc) || this.declKeyword === 'var')) {
        if (!this.handleBody()) return undefined;
        continue;
      }
      if (c === 91 && /^\[\s*\.\.\.\s*\]/.test(t.slice(this.pos, this.pos + 16))) this.implicitLength = true;
      if (OPEN.has(c)) this.depth++;
      else if (CLOSE.has(c) && --this.depth < 0) return undefined;
      this.lastWord = '';
      this.pos++;
    }
    if (this.depth !== 0) return undefined;
    const hasLocalTypes = this.hasLocalTypes;
    if (this.copiedUpTo === 0) return { text: t, hasLocalTypes };
    this.kept.push(t.slice(this.copiedUpTo));
    return { text: this.kept.join(''), hasLocalTypes };
  }

  /** Skips whitespace and comments; true when something was skipped. */
  private skipTrivia(c: number): boolean {
    const t = this.text;
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      this.pos++;
      return true;
    }
    if (c === 47 && t.charCodeAt(this.pos + 1) === 47) {
      const end = t.indexOf('\n', this.pos);
      const lineEnd = end < 0 ? t.length : end;
      // Comments carry nothing layout needs; build directives decide which files build.
      if (!isBuildDirective(t, this.pos)) this.drop(this.pos, lineEnd);
      this.pos = lineEnd;
      return true;
    }
    if (c === 47 && t.charCodeAt(this.pos + 1) === 42) {
      const end = t.indexOf('*/', this.pos + 2);
      this.pos = end < 0 ? t.length : end + 2;
      return true;
    }
    return false;
  }

  /** Skips a string, raw string or rune literal starting at pos. */
  private skipLiteral(c: number): 'skipped' | 'none' | 'broken' {
    const t = this.text;
    if (c === 96) {
      const end = t.indexOf('`', this.pos + 1);
      if (end < 0) return 'broken';
      this.pos = end + 1;
      this.lastWord = '';
      return 'skipped';
    }
    if (c !== 34 && c !== 39) return 'none';
    let i = this.pos + 1;
    while (i < t.length) {
      const d = t.charCodeAt(i);
      if (d === 92) { i += 2; continue; }
      if (d === c) break;
      if (d === 10) return 'broken';
      i++;
    }
    if (i >= t.length) return 'broken';
    this.pos = i + 1;
    this.lastWord = '';
    return 'skipped';
  }

  /** Skips an identifier (inside a body, where only `type` matters), telling whether it was `type`, without copying it. */
  private skipWordIsType(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length && isIdentPart(this.text.charCodeAt(this.pos))) this.pos++;
    return this.pos - start === 4 && this.text.startsWith('type', start);
  }

  private readWord(): string {
    const start = this.pos;
    while (this.pos < this.text.length && isIdentPart(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** At a body's `{` (function or composite literal): finds its `}` and blanks what is between unless it declares a type. */
  private handleBody(): boolean {
    const open = this.pos;
    const copiedBefore = this.copiedUpTo;
    const keptBefore = this.kept.length;
    this.pos++;
    let braces = 1;
    let declaresType = false;
    let previousSignificant = 0;
    while (this.pos < this.text.length && braces > 0) {
      const c = this.text.charCodeAt(this.pos);
      if (this.skipTrivia(c)) continue;
      const literal = this.skipLiteral(c);
      if (literal === 'broken') return false;
      if (literal === 'skipped') { previousSignificant = 34; continue; }
      if (isIdentStart(c)) {
        // `type` after `(` is a type switch (x.(type)), not a declaration.
        if (this.skipWordIsType() && previousSignificant !== 40) declaresType = true;
        previousSignificant = 65;
        continue;
      }
      if (c === LBRACE) braces++;
      else if (c === RBRACE) braces--;
      previousSignificant = c;
      this.pos++;
    }
    if (braces !== 0) return false;
    const close = this.pos - 1;
    // `[...]T{…}`: the elements count to the array's length, which layouts of the variable need.
    const keep = declaresType || (this.implicitLength && !this.afterFunc);
    this.implicitLength = false;
    if (declaresType) {
      // Keep the body as written: forget comments dropped inside it.
      this.hasLocalTypes = true;
      this.kept.length = keptBefore;
      this.copiedUpTo = copiedBefore;
    } else {
      this.kept.length = keptBefore;
      this.copiedUpTo = copiedBefore;
      if (!keep) this.drop(open + 1, close);
    }
    this.afterFunc = false;
    this.lastWord = '';
    return true;
  }

}
