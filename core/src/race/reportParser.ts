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
 * Reads `\t/abs/file.go:12 +0x1d` into a frame of `fn` (the race detector indents with spaces, tracebacks with a
 * tab; the offset is missing in some tracebacks). Hand-written with character codes rather than regular expressions
 * and slices: frame lines are most of a racy log.
 */
function parseLocation(line: string, fn: string): RaceFrame | null {
  let start = 0;
  while (isBlank(line.charCodeAt(start))) start++;
  // Backwards: optional ` +0x<hex>`, then `:<line>`. (Scanning by hand: lastIndexOf is a slow runtime call.)
  let end = line.length;
  let offset: number | null = null;
  let i = end - 1;
  let value = 0;
  for (let scale = 1; i > start && hexDigit(line.charCodeAt(i)) >= 0; i--, scale *= 16) value += hexDigit(line.charCodeAt(i)) * scale;
  if (i < end - 1 && i - 3 > start && line.charCodeAt(i) === 120 /* x */ && line.charCodeAt(i - 1) === 48 /* 0 */
    && line.charCodeAt(i - 2) === 43 /* + */ && line.charCodeAt(i - 3) === 32) {
    offset = value;
    end = i - 3;
  }
  let number = 0;
  let j = end - 1;
  for (let scale = 1; j > start && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57; j--, scale *= 10) {
    number += (line.charCodeAt(j) - 48) * scale;
  }
  if (j === end - 1 || j <= start || line.charCodeAt(j) !== 58 /* : */) return null;
  return { function: fn, file: line.slice(start, j), line: number, offset };
}

/** `  pkg.F()` or, in tracebacks, `pkg.F(0xc000012345, …)`: the symbol without its arguments, or null. */
function parseFunction(line: string): string | null {
  let start = 0;
  while (isBlank(line.charCodeAt(start))) start++;
  let end = line.length;
  while (end > start && isBlank(line.charCodeAt(end - 1))) end--;
  if (line.charCodeAt(end - 1) !== 41 /* ) */) return null;
  // The race detector prints no arguments: `()` needs no scan.
  if (line.charCodeAt(end - 2) === 40 /* ( */) return line.slice(start, end - 2);
  return stripArguments(line.slice(start, end));
}

/** Collects `function` lines, each followed by a file line, into frames. */
class FrameReader {
  private pendingFunction: string | null = null;

  constructor(private readonly into: RaceFrame[]) {}

  read(line: string): void {
    // File lines are indented deeper than the race detector's two-space function lines; traceback function lines
    // are not indented at all.
    const frame = line.charCodeAt(0) === 9 || line.startsWith('    ') ? parseLocation(line, this.pendingFunction ?? '') : null;
    if (frame) {
      this.into.push(frame);
      this.pendingFunction = null;
      return;
    }
    this.pendingFunction = parseFunction(line) ?? this.pendingFunction;
  }
}

function newAccess(header: RegExpExecArray): RaceAccess {
  const goroutine: GoroutineId = header[5] ? 'main' : Number(header[6]);
  return {
    kind: header[3].toLowerCase() as 'read' | 'write',
    atomic: header[2] !== undefined,
    address: header[4],
    goroutine,
    frames: [],
    top: null,
  };
}

/** Fills the fields that depend on all of a report's frames (GOROOT is recognized from any of them). */
function finish(body: ParsedBody): ParsedBody {
  const accesses = [body.access, body.previous].filter((a): a is RaceAccess => a !== null);
  const gorootSrc = gorootSrcOf([...accesses.map((a) => a.frames), ...body.goroutines.map((g) => g.frames)]);
  for (const access of accesses) {
    // Go prints an atomic access as a plain one whose innermost frames are sync/atomic's.
    if (access.frames[0]?.function.startsWith('sync/atomic.')) access.atomic = true;
    access.top = access.frames.find((f) => isOwnCode(f, gorootSrc)) ?? null;
  }
  return body;
}

/** Parses the lines after `WARNING: DATA RACE`. */
export function parseDataRace(lines: string[]): ParsedBody {
  const body: ParsedBody = { access: null, previous: null, goroutines: [] };
  let frames: FrameReader | null = null;
  for (const line of lines) {
    if (line === '') continue;
    if (isBlank(line.charCodeAt(0))) {
      frames?.read(line);
      continue;
    }
    const access = ACCESS_HEADER.exec(line);
    if (access) {
      const parsed = newAccess(access);
      if (access[1]) body.previous = parsed;
      else body.access = parsed;
      frames = new FrameReader(parsed.frames);
      continue;
    }
    const origin = ORIGIN_HEADER.exec(line);
    if (origin) {
      const parsed: GoroutineOrigin = { goroutine: Number(origin[1]), state: origin[2] as 'running' | 'finished', frames: [] };
      body.goroutines.push(parsed);
      frames = new FrameReader(parsed.frames);
    }
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
