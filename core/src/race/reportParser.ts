// Turns the collected lines of one report into structured accesses, frames and goroutine origins. The lines are
// those between `WARNING: DATA RACE` and the closing `====` (or the runtime's `fatal error: concurrent map …`
// traceback); anything unrecognized between them (program output interleaved with the report) is skipped.
import { gorootSrcOf, isOwnCode, stripArguments } from './frames';
import type { GoroutineId, GoroutineOrigin, RaceAccess, RaceFrame } from './types';

/** The parts of a report that come from its own text (attribution and identity are added by the caller). */
export interface ParsedBody {
  access: RaceAccess | null;
  previous: RaceAccess | null;
  goroutines: GoroutineOrigin[];
}

// `Write at 0x… by goroutine 7:`, `Previous read at 0x… by main goroutine:`. The atomic and `of size N` forms are
// what ThreadSanitizer prints for C/C++; Go's runtime omits them, but accepting them costs nothing.
const ACCESS_HEADER = /^(Previous )?(atomic )?(read|write)(?: of size \d+)? at (0x[0-9a-f]+) by (?:(main) goroutine|goroutine (\d+)):$/i;
const ORIGIN_HEADER = /^Goroutine (\d+) \((running|finished)\) created at:$/;
const TRACEBACK_HEADER = /^goroutine (\d+)(?: [^[]*)? ?\[([^\]]*)\]:$/;
const WARNING_LENGTH = 'WARNING: DATA RACE'.length;
const CREATED_BY = /^created by (\S+)(?: in goroutine \d+)?$/;

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** Value of a hexadecimal digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Reads `\t/abs/file.go:12 +0x1d`, the line `text[from, to)`, into a frame of `fn` (the race detector indents with
 * spaces, tracebacks with a tab; the offset is missing in some tracebacks). Hand-written with character codes rather
 * than regular expressions and slices: frame lines are most of a racy log.
 */
function parseLocation(text: string, from: number, to: number, fn: string): RaceFrame | null {
  let start = from;
  while (start < to && isBlank(text.charCodeAt(start))) start++;
  // Backwards: optional ` +0x<hex>`, then `:<line>`. (Scanning by hand: lastIndexOf is a slow runtime call.)
  let end = to;
  let offset: number | null = null;
  let i = end - 1;
  let value = 0;
  for (let scale = 1, digit = 0; i > start && (digit = hexDigit(text.charCodeAt(i))) >= 0; i--, scale *= 16) value += digit * scale;
  if (i < end - 1 && i - 3 > start && text.charCodeAt(i) === 120 /* x */ && text.charCodeAt(i - 1) === 48 /* 0 */
    && text.charCodeAt(i - 2) === 43 /* + */ && text.charCodeAt(i - 3) === 32) {
    offset = value;
    end = i - 3;
  }
  let number = 0;
  let j = end - 1;
  for (let scale = 1; j > start && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57; j--, scale *= 10) {
    number += (text.charCodeAt(j) - 48) * scale;
  }
  if (j === end - 1 || j <= start || text.charCodeAt(j) !== 58 /* : */) return null;
  return { function: fn, file: text.slice(start, j), line: number, offset };
}

/** `  pkg.F()` or, in tracebacks, `pkg.F(0xc000012345, …)` in `text[from, to)`: the symbol without its arguments. */
function parseFunction(text: string, from: number, to: number): string | null {
  let start = from;
  while (start < to && isBlank(text.charCodeAt(start))) start++;
  let end = to;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (end === start || text.charCodeAt(end - 1) !== 41 /* ) */) return null;
  // The race detector prints no arguments: `()` needs no scan.
  if (end - start >= 2 && text.charCodeAt(end - 2) === 40 /* ( */) return text.slice(start, end - 2);
  return stripArguments(text.slice(start, end));
}

/** Collects `function` lines, each followed by a file line, into frames. */
class FrameReader {
  private pendingFunction: string | null = null;

  constructor(private readonly into: RaceFrame[]) {}

  /** Reads the line `text[start, end)`. */
  read(text: string, start = 0, end = text.length): void {
    // File lines are indented deeper than the race detector's two-space function lines; traceback function lines
    // are not indented at all.
    const first = text.charCodeAt(start);
    const frame = start < end && (first === 9 || (end - start >= 4 && first === 32 && text.charCodeAt(start + 1) === 32
      && text.charCodeAt(start + 2) === 32 && text.charCodeAt(start + 3) === 32))
      ? parseLocation(text, start, end, this.pendingFunction ?? '')
      : null;
    if (frame) {
      this.into.push(frame);
      this.pendingFunction = null;
      return;
    }
    this.pendingFunction = parseFunction(text, start, end) ?? this.pendingFunction;
  }
}

function newAccess(header: RegExpExecArray): RaceAccess {
  const goroutine: GoroutineId = header[5] ? 'main' : Number(header[6]);
  return {
    kind: (header[3].charCodeAt(0) | 32) === 114 /* r or R */ ? 'read' : 'write',
    atomic: header[2] !== undefined,
    address: header[4],
    goroutine,
    frames: [],
    top: null,
  };
}

/** The frames of a report: the access, the previous access, then each goroutine's origin. */
export function frameListsOf(body: ParsedBody): RaceFrame[][] {
  const lists: RaceFrame[][] = [];
  if (body.access) lists.push(body.access.frames);
  if (body.previous) lists.push(body.previous.frames);
  for (const origin of body.goroutines) lists.push(origin.frames);
  return lists;
}

/** Fills the fields that depend on all of a report's frames (GOROOT is recognized from any of them). */
function finish(body: ParsedBody): ParsedBody {
  const gorootSrc = gorootSrcOf(frameListsOf(body));
  if (body.access) finishAccess(body.access, gorootSrc);
  if (body.previous) finishAccess(body.previous, gorootSrc);
  return body;
}

function finishAccess(access: RaceAccess, gorootSrc: string | null): void {
  // Go prints an atomic access as a plain one whose innermost frames are sync/atomic's.
  if (access.frames.length > 0 && access.frames[0].function.startsWith('sync/atomic.')) access.atomic = true;
  for (const frame of access.frames) {
    if (isOwnCode(frame, gorootSrc)) {
      access.top = frame;
      return;
    }
  }
  access.top = null;
}

/**
 * Parses a report's text from `WARNING: DATA RACE` on, up to `end`: one pass over the text, looking at each line in
 * place (only the few header lines are cut out for their regular expressions).
 */
export function parseDataRace(text: string, end = text.length): ParsedBody {
  const body: ParsedBody = { access: null, previous: null, goroutines: [] };
  let frames: FrameReader | null = null;
  for (let start = 0; start <= end;) {
    let lineEnd = text.indexOf('\n', start);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const first = text.charCodeAt(start);
    if (lineEnd === start || first === 61 /* = */) {
      // An empty line or the closing `====`.
    } else if (isBlank(first)) {
      frames?.read(text, start, lineEnd);
    } else if (first === 71 /* G */) {
      const origin = ORIGIN_HEADER.exec(text.slice(start, lineEnd));
      if (origin) {
        const parsed: GoroutineOrigin = { goroutine: Number(origin[1]), state: origin[2] as 'running' | 'finished', frames: [] };
        body.goroutines.push(parsed);
        frames = new FrameReader(parsed.frames);
      }
    } else if (lineEnd - start !== WARNING_LENGTH || first !== 87 /* W */) {
      // Any other line may be an access header (`WARNING: DATA RACE` is the one line known not to be).
      const access = ACCESS_HEADER.exec(text.slice(start, lineEnd));
      if (access) {
        const parsed = newAccess(access);
        if (access[1]) body.previous = parsed;
        else body.access = parsed;
        frames = new FrameReader(parsed.frames);
      }
    }
    start = lineEnd + 1;
  }
  return finish(body);
}

/**
 * Parses `fatal error: concurrent map writes` and the traceback after it: `goroutine N [running]:`, frames with
 * tab-indented file lines, then `created by pkg.F in goroutine M` and its file line. The runtime shows only the
 * goroutine that noticed the conflict, so there is one access and no previous one.
 */
export function parseMapFatal(message: string, lines: string[]): ParsedBody {
  const body: ParsedBody = { access: null, previous: null, goroutines: [] };
  let frames: FrameReader | null = null;
  for (const line of lines) {
    const header = TRACEBACK_HEADER.exec(line);
    if (header && body.access === null) {
      body.access = {
        // The runtime's other messages (`concurrent map read and map write`, `… iteration and map write`) are
        // raised by the goroutine that was reading.
        kind: message === 'concurrent map writes' ? 'write' : 'read',
        atomic: false,
        address: null,
        goroutine: Number(header[1]),
        frames: [],
        top: null,
      };
      frames = new FrameReader(body.access.frames);
      continue;
    }
    const createdBy = CREATED_BY.exec(line);
    if (createdBy && body.access) {
      const origin: GoroutineOrigin = { goroutine: body.access.goroutine as number, state: 'running', frames: [] };
      body.goroutines.push(origin);
      frames = new FrameReader(origin.frames);
      frames.read(`${createdBy[1]}()`);
      continue;
    }
    frames?.read(line);
  }
  return finish(body);
}

export function isTracebackHeader(line: string): boolean {
  return TRACEBACK_HEADER.test(line);
}

/** Whether a line can continue a goroutine's frames (so the fatal block has not ended yet). */
export function continuesTraceback(line: string): boolean {
  return line.startsWith('\t') || line.startsWith('created by ') || line.startsWith('...')
    || (line.endsWith(')') && !line.startsWith(' '));
}
