// Where a race log names a Go source line: the frame lines of reports, and absolute `.go` paths anywhere else (inside
// `go test -json` events). Editors turn them into links. The scan takes linear time in the length of a line, whatever
// the line holds: a log is untrusted input (a `*.racelog` file in any repository), and a backtracking pattern took
// 15 seconds on one 120 KB line of `\t/` repeated.

/** A `file:line` location in one line of a log: `start` and `end` cover the path and the line number. */
export interface LogLocation {
  file: string;
  line: number;
  start: number;
  end: number;
}

/** Longer lines get no links: no real frame line or -json event is near it, and the work per document stays bounded. */
export const MAX_LINK_LINE = 64 * 1024;

/**
 * A frame line as the race detector prints it, `\t/abs/file.go:12 +0x3c`, maybe after a CI timestamp. The whole
 * rest of the line is the path, which may hold spaces. (Anchored, and every optional part fails at once on the
 * next character, so it runs in linear time.)
 */
const FRAME_LINE = /^(?:\d{4}-\d\d-\d\dT\S+ ?)?\s+((?:[A-Za-z]:)?[\\/].*?\.go):(\d+)(?: \+0x[0-9a-fA-F]+)?\s*$/d;

/** What `\s` matches in a JavaScript regular expression, by character code. */
function isSpaceCode(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a)
    || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Characters a path found inside other text cannot hold: white space and `"*?<>|:`. */
function endsEmbeddedPath(code: number): boolean {
  return code === 34 /* " */ || code === 58 /* : */ || code === 42 /* * */ || code === 63 /* ? */ || code === 60 /* < */
    || code === 62 /* > */ || code === 124 /* | */ || isSpaceCode(code);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isWordCode(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSlashCode(code: number): boolean {
  return code === 47 || code === 92;
}

/**
 * Locations in one line of a log: the line's frame if it is a frame line, else every absolute `.go` path followed by
 * `:LINE` that starts the line or follows white space, a `"` or the two characters `\t` (a tab inside a JSON
 * string); such paths hold none of `"*?<>|:` or white space. In a line that is JSON (a -json event), whose strings
 * double every backslash, a Windows path's backslashes are undoubled.
 */
export function logLocations(text: string): LogLocation[] {
  if (text.length > MAX_LINK_LINE || !text.includes('.go:')) return [];
  const frame = FRAME_LINE.exec(text);
  if (frame) return [{ file: frame[1], line: Number(frame[2]), start: frame.indices![1][0], end: frame.indices![2][1] }];
  const json = text.startsWith('{');
  return embeddedLocations(text).map((l) => (json ? { ...l, file: l.file.replace(/\\\\/g, '\\') } : l));
}

/**
 * The embedded `path.go:LINE` locations of `text`, leftmost first and not overlapping, in one pass. A path ends at
 * the first character it cannot hold, so every start inside one stretch of path characters shares that end: it
 * is found once per stretch (`endOf`), and a start costs constant time.
 */
function embeddedLocations(text: string): LogLocation[] {
  const n = text.length;
  const found: LogLocation[] = [];
  // The last stretch scanned: text[stretchStart, stretchEnd) holds only path characters, text[stretchEnd] none.
  let stretchStart = 0;
  let stretchEnd = -1;
  /** Where a path whose characters start at `from` must end (the first character no path holds). */
  const endOf = (from: number): number => {
    if (from >= stretchStart && from <= stretchEnd) return stretchEnd;
    let at = from;
    while (at < n && !endsEmbeddedPath(text.charCodeAt(at))) at++;
    stretchStart = from;
    stretchEnd = at;
    return at;
  };
  for (let p = 0; p < n; p++) {
    // Only after the start of the line, white space, `"` or the two characters `\t`.
    const before = p === 0 ? 32 : text.charCodeAt(p - 1);
    if (!(isSpaceCode(before) || before === 34 || (before === 116 /* t */ && p >= 2 && text.charCodeAt(p - 2) === 92 /* \ */))) continue;
    // `C:\…` or `/…`: where the path's free characters start.
    let from: number;
    if (isSlashCode(text.charCodeAt(p))) from = p + 1;
    else if (isLetterCode(text.charCodeAt(p)) && text.charCodeAt(p + 1) === 58 && isSlashCode(text.charCodeAt(p + 2))) from = p + 3;
    else continue;
    const end = endOf(from);
    if (end - 3 < from || !text.startsWith('.go', end - 3) || text.charCodeAt(end) !== 58 || !isDigit(text.charCodeAt(end + 1))) continue;
    let digitsEnd = end + 1;
    while (digitsEnd < n && isDigit(text.charCodeAt(digitsEnd))) digitsEnd++;
    if (digitsEnd < n && isWordCode(text.charCodeAt(digitsEnd))) continue;
    found.push({ file: text.slice(p, end), line: Number(text.slice(end + 1, digitsEnd)), start: p, end: digitsEnd });
    p = digitsEnd - 1;
  }
  return found;
}
