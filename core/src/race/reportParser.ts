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
const FILE_LINE = /^\s+(.+?):(\d+)(?: \+0x([0-9a-f]+))?$/i;
const TRACEBACK_HEADER = /^goroutine (\d+)(?: [^[]*)? ?\[([^\]]*)\]:$/;
const CREATED_BY = /^created by (\S+)(?: in goroutine \d+)?$/;

/** Collects `function` lines each followed by a `file:line` line into frames. */
class FrameReader {
  private pendingFunction: string | null = null;

  constructor(private readonly into: RaceFrame[]) {}

  /** Returns false when the line is neither a function line nor a file line. */
  read(line: string): boolean {
    const location = FILE_LINE.exec(line);
    if (location) {
      this.into.push({
        function: this.pendingFunction ?? '',
        file: location[1],
        line: Number(location[2]),
        offset: location[3] === undefined ? null : parseInt(location[3], 16),
      });
      this.pendingFunction = null;
      return true;
    }
    const text = line.trim();
    if (!text.endsWith(')')) return false;
    this.pendingFunction = stripArguments(text);
    return true;
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
      continue;
    }
    frames?.read(line);
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
