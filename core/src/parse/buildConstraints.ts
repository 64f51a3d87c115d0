import type { Target } from '../api';
import { KNOWN_GOARCH, KNOWN_GOOS, UNIX_GOOS } from '../targets';

/** The newest Go release whose `go1.N` tags are satisfied (the toolchain this product is verified against). */
const NEWEST_GO_MINOR = 26;

/**
 * Whether a file named `fileName` (base name) with `//go:build` expression `constraint` builds for `target`.
 * Mirrors go/build: `_test` is not our concern here, `_GOOS`, `_GOARCH` and `_GOOS_GOARCH` suffixes restrict,
 * and the constraint is a boolean expression over tags.
 */
export function fileMatchesTarget(fileName: string, constraint: string | undefined, target: Target, toolTags?: ReadonlySet<string>): boolean {
  // The go command never builds files whose names start with `_` or `.`.
  if (fileName.startsWith('_') || fileName.startsWith('.')) return false;
  if (!fileNameMatches(fileName, target)) return false;
  return constraint === undefined || evaluateConstraint(constraint, target, toolTags);
}

/**
 * Whether a parsed file builds for a target: its name and constraint, and a file importing "C" only where cgo is
 * on (the `cgo` tool tag, set by go list for the host target when a C compiler is there; off when cross-compiling).
 */
export function fileBuilds(fileName: string, model: { buildConstraint?: string; imports: { path: string }[] }, target: Target,
  toolTags?: ReadonlySet<string>): boolean {
  if (!fileMatchesTarget(fileName, model.buildConstraint, target, toolTags)) return false;
  return toolTags?.has('cgo') === true || !model.imports.some((imp) => imp.path === 'C');
}

/** fileNameMatches answers by file name and target: a scope or a tree layout asks again for every file and struct. */
const nameMatches = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 100_000;

function fileNameMatches(fileName: string, target: Target): boolean {
  const key = `${target.goos}/${target.goarch}/${fileName}`;
  let matches = nameMatches.get(key);
  if (matches === undefined) {
    if (nameMatches.size >= MAX_REMEMBERED_NAMES) nameMatches.clear();
    matches = fileNameMatchesNow(fileName, target);
    nameMatches.set(key, matches);
  }
  return matches;
}

function fileNameMatchesNow(fileName: string, target: Target): boolean {
  const stem = fileName.replace(/\.go$/, '').replace(/_test$/, '');
  const parts = stem.split('_');
  // go/build ignores the first element: a file named `linux.go` applies everywhere.
  if (parts.length < 2) return true;
  const last = parts[parts.length - 1];
  const beforeLast = parts.length >= 3 ? parts[parts.length - 2] : undefined;
  if (beforeLast !== undefined && KNOWN_GOOS.has(beforeLast) && KNOWN_GOARCH.has(last)) {
    return goosMatches(beforeLast, target.goos) && last === target.goarch;
  }
  if (KNOWN_GOOS.has(last)) return goosMatches(last, target.goos);
  if (KNOWN_GOARCH.has(last)) return last === target.goarch;
  return true;
}

/** A `_linux` file also builds for android, `_darwin` for ios and `_solaris` for illumos, as in go/build. */
function goosMatches(fileGoos: string, goos: string): boolean {
  if (fileGoos === goos) return true;
  return (fileGoos === 'linux' && goos === 'android') || (fileGoos === 'darwin' && goos === 'ios') ||
    (fileGoos === 'solaris' && goos === 'illumos');
}

/**
 * Whether a build tag holds for a target. `toolTags` are the tags the toolchain sets itself for the target
 * (goexperiment.*, amd64.v1, 386.sse2…: see toolchain/toolTags.ts); without them every such tag is false.
 */
export function tagSatisfied(tag: string, target: Target, toolTags?: ReadonlySet<string>): boolean {
  if (tag === target.goos || tag === target.goarch) return true;
  if (toolTags?.has(tag)) return true;
  if (tag === 'gc') return true;
  if (tag === 'unix') return UNIX_GOOS.has(target.goos);
  if (tag === 'linux' && target.goos === 'android') return true;
  if (tag === 'darwin' && target.goos === 'ios') return true;
  if (tag === 'solaris' && target.goos === 'illumos') return true;
  const release = /^go1\.(\d+)$/.exec(tag);
  if (release) return Number(release[1]) <= NEWEST_GO_MINOR;
  // cgo is off: cross-compiling (the case for every non-host target) disables it by default.
  return false;
}

/**
 * The build constraint of a Go file as a `//go:build` expression: the `//go:build` line of its header, or else
 * its old `// +build` lines (which the go command still honours without a `//go:build` line), translated.
 */
export function findBuildConstraint(source: string): string | undefined {
  const plusBuild: string[] = [];
  for (const raw of source.split('\n', 200)) {
    const line = raw.trim();
    if (line.startsWith('//go:build ')) return line.slice('//go:build '.length);
    if (line.startsWith('// +build ')) plusBuild.push(plusBuildToExpr(line.slice('// +build '.length)));
    if (line.startsWith('package ') || line === 'package') break;
  }
  return plusBuild.length > 0 ? plusBuild.map((e) => `(${e})`).join(' && ') : undefined;
}

/** `// +build a,b !c`: space-separated options are ORed, comma-joined terms ANDed, `!` negates. */
function plusBuildToExpr(line: string): string {
  return line.trim().split(/\s+/).map((option) => `(${option.split(',').join(' && ')})`).join(' || ');
}

type Token = '(' | ')' | '!' | '&&' | '||' | { tag: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(\(|\)|!|&&|\|\||[A-Za-z0-9_.]+)/y;
  let m: RegExpExecArray | null;
  while ((m = re.exec(expr)) !== null) {
    const t = m[1];
    tokens.push(t === '(' || t === ')' || t === '!' || t === '&&' || t === '||' ? t : { tag: t });
    if (re.lastIndex >= expr.length) break;
  }
  return tokens;
}

/** Evaluates a `//go:build` expression; a malformed one is treated as false, as the go command rejects the file. */
export function evaluateConstraint(expr: string, target: Target, toolTags?: ReadonlySet<string>): boolean {
  const tokens = tokenize(expr);
  let pos = 0;
  const parseOr = (): boolean => {
    let value = parseAnd();
    while (tokens[pos] === '||') { pos++; value = parseAnd() || value; }
    return value;
  };
  const parseAnd = (): boolean => {
    let value = parseNot();
    while (tokens[pos] === '&&') { pos++; value = parseNot() && value; }
    return value;
  };
  const parseNot = (): boolean => {
    const tok = tokens[pos++];
    if (tok === '!') return !parseNot();
    if (tok === '(') {
      const value = parseOr();
      if (tokens[pos++] !== ')') throw new SyntaxError('missing )');
      return value;
    }
    if (tok && typeof tok === 'object') return tagSatisfied(tok.tag, target, toolTags);
    throw new SyntaxError('unexpected token');
  };
  try {
    const value = parseOr();
    return pos === tokens.length && value;
  } catch {
    return false;
  }
}
