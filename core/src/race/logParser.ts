// Streaming parser for logs holding Go race-detector reports: `go run -race` / `go test -race` output, CI logs,
// and `go test -json` event streams, mixed freely (each line that is a test2json event is read as one). Input comes
// in chunks of any size; memory holds one partial line per stream and the lines of the report being read (as
// ranges of the chunks they came in), never the log.
import { raceKey } from './dedup';
import { copyOf, packageOf, testOfStacks } from './frames';
import { continuesTraceback, frameListsOf, isTracebackHeader, parseDataRace, parseMapFatal, type ParsedBody } from './reportParser';
import type { RaceLogSummary, RaceReport } from './types';

/** Failed tests and packages listed in the summary, and -json packages read at once: past it, memory stays flat. */
const MAX_LISTED = 10000;
/** Reports held for a subtest name at most (see OutputStream.pending); older ones go out with their stack's test. */
const MAX_PENDING = 100;
/** A line longer than this is cut there (a log without newlines must not grow memory without bound). */
const MAX_LINE = 1 << 20;
/** A report longer than this is garbage or two logs spliced together; it is emitted incomplete and dropped. */
const MAX_REPORT_LINES = 10000;

const WARNING = 'WARNING: DATA RACE';
const FATAL_MAP = 'fatal error: concurrent map ';
const RACE_IN_TEST = 'race detected during execution of test';
const RACE_OUTSIDE_TESTS = 'race detected outside of test execution';
const FOUND = /^Found (\d+) data race\(s\)$/;
// GitHub Actions and other CI systems put an RFC 3339 time before every line of a downloaded log.
const CI_TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) ?/y;

/** Terminal escape sequences (colours, in CI logs kept with them) start with ESC. */
const ESC = '\x1b';
/** ECMA-48 control sequences: CSI (`ESC [ params final`: colours), OSC (`ESC ] … BEL` or `ESC ] … ESC \`), and
 * two-character escapes (`[` and `]` only ever open the longer forms). */
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\^_])/g;
/** The start of an escape sequence that a chunk ends in the middle of. */
const UNFINISHED_ESCAPE = /^\x1b(?:\[[0-?]*[ -/]*|\][^\x07]*)?$/;
/** At most this much of an unfinished sequence is held for the next chunk (a real one is a few characters). */
const MAX_HELD_ESCAPE = 256;

/** `text` without escape sequences; text without ESC is returned as is, at the cost of one scan. */
export function stripEscapes(text: string): string {
  return text.indexOf(ESC) === -1 ? text : text.replace(ESCAPE_SEQUENCE, '');
}

/** What an output stream reports to the parser that owns it. */
interface Sink {
  report(report: RaceReport): void;
  found(count: number): void;
  testFailed(pkg: string | null, test: string): void;
  outsideTests(pkg: string | null): void;
}

/** A line of 10 or more `=`: the race detector opens and closes each report with one. */
function isDelimiter(text: string, start = 0, end = text.length): boolean {
  if (end - start < 10) return false;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 61) return false;
  return true;
}

function endsWith(text: string, end: number, suffix: string): boolean {
  return end >= suffix.length && text.startsWith(suffix, end - suffix.length);
}

/**
 * A copy of a short string that does not keep alive the chunk it was cut from (V8 slices point into their parent).
 * Used for the few strings kept after their chunk is gone.
 */
function detach(text: string): string;
function detach(text: string | null): string | null;
function detach(text: string | null): string | null {
  return text === null ? null : copyOf(text);
}

/**
 * `=== RUN`, `=== CONT` or `=== NAME` at `start` (compared by character code: a verbose log has one such line per
 * test, and startsWith is a runtime call).
 */
function isAnnouncement(text: string, start: number): boolean {
  if (text.charCodeAt(start) !== 61 || text.charCodeAt(start + 1) !== 61 || text.charCodeAt(start + 2) !== 61
    || text.charCodeAt(start + 3) !== 32) return false;
  switch (text.charCodeAt(start + 4)) {
    case 82: return text.charCodeAt(start + 5) === 85 && text.charCodeAt(start + 6) === 78; // RUN
    case 67: return text.startsWith('CONT', start + 4);
    case 78: return text.startsWith('NAME', start + 4);
    default: return false;
  }
}

/** The characters String.prototype.trim removes (JavaScript's white space and line terminators). */
function isTrimmed(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 5760 || (code >= 8192 && code <= 8202)
    || code === 8232 || code === 8233 || code === 8239 || code === 8287 || code === 12288 || code === 65279;
}

/**
 * The text of `bytes`, a string holding UTF-8 bytes one per character (as latin1 decoding gives them): what a
 * streaming TextDecoder would have made of them, since every piece decoded here starts and ends at a line break.
 */
function decodeBytes(bytes: string): string {
  // Pure ASCII needs no decoding (each byte from 0x80 up counts two in UTF-8: a faster test than a RegExp).
  return Buffer.byteLength(bytes, 'utf8') === bytes.length ? bytes : Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A code point of three UTF-8 bytes at `at`, or -1. */
function threeByteCodePoint(text: string, at: number): number {
  const lead = text.charCodeAt(at);
  const second = text.charCodeAt(at + 1);
  const third = text.charCodeAt(at + 2);
  if (lead < 0xe1 || lead > 0xef || (second & 0xc0) !== 0x80 || (third & 0xc0) !== 0x80) return -1;
  return ((lead & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f);
}

/** How many characters of white space (as trim sees it) start at `at` and end by `end`; 0 if none. */
function spaceAfter(text: string, at: number, end: number, utf8Bytes: boolean): number {
  const code = text.charCodeAt(at);
  if (!utf8Bytes || code < 0x80) return isTrimmed(code) ? 1 : 0;
  if (code === 0xc2 && at + 1 < end) return text.charCodeAt(at + 1) === 0xa0 ? 2 : 0;
  return at + 2 < end && isTrimmed(threeByteCodePoint(text, at)) ? 3 : 0;
}

/** How many characters of white space end at `at` (exclusive) and start at or after `start`; 0 if none. */
function spaceBefore(text: string, start: number, at: number, utf8Bytes: boolean): number {
  const code = text.charCodeAt(at - 1);
  if (!utf8Bytes || code < 0x80) return isTrimmed(code) ? 1 : 0;
  if (code === 0xa0 && at - 2 >= start && text.charCodeAt(at - 2) === 0xc2) return 2;
  return at - 3 >= start && isTrimmed(threeByteCodePoint(text, at - 3)) ? 3 : 0;
}

/** Printable ASCII, which test names start and end with: no white space to trim, in any form. */
function isPrintableAscii(code: number): boolean {
  return code > 32 && code < 127;
}

/** Whether `text` continues at `at` with `part[from, to)`. */
function continuesWith(text: string, at: number, part: string, from: number, to: number): boolean {
  const length = to - from;
  if (at + length > text.length) return false;
  // From the end: names that differ mostly share their test's prefix (`TestX/a` and `TestX/b`).
  for (let i = length - 1; i >= 0; i--) if (text.charCodeAt(at + i) !== part.charCodeAt(from + i)) return false;
  return true;
}

/** A line as a range of the text it came in: most lines are looked at in place, never cut out. */
interface LineRange {
  text: string;
  start: number;
  end: number;
}

/**
 * The lines of the race report being read, kept as ranges of the text they came in: consecutive lines of one chunk
 * are one range, so a report costs no string per line. Only a line ending removed (CR, a CI timestamp, a chunk or
 * -json event boundary) starts a new range.
 */
class ReportText {
  /** Lines so far, as go test printed them. */
  count = 0;
  private readonly pieces: string[] = [];
  private text: string | null = null;
  private start = 0;
  private end = 0;

  add(text: string, start: number, end: number): void {
    this.count++;
    // Position and newline first: comparing two different chunks would compare their contents.
    if (this.text !== null && start === this.end + 1 && text.charCodeAt(this.end) === 10 && text === this.text) {
      this.end = end;
      return;
    }
    this.closeRange();
    this.text = text;
    this.start = start;
    this.end = end;
  }

  /**
   * The report's text (lines joined by `\n`, then `cutLine` if any) as a fresh string that keeps no chunk alive,
   * and how much of it precedes the cut line. Leaves this empty.
   */
  take(cutLine: string | null, utf8Bytes: boolean): { raw: string; parsedEnd: number } {
    this.closeRange();
    const joined = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('\n');
    const single = this.pieces.length === 1;
    this.pieces.length = 0;
    this.count = 0;
    let lines = utf8Bytes ? decodeBytes(joined) : joined;
    if (single && lines === joined) lines = copyOf(lines);
    if (cutLine === null) return { raw: lines, parsedEnd: lines.length };
    return { raw: [lines, utf8Bytes ? decodeBytes(cutLine) : cutLine].join('\n'), parsedEnd: lines.length };
  }

  private closeRange(): void {
    if (this.text === null) return;
    this.pieces.push(this.text.slice(this.start, this.end));
    this.text = null;
  }
}

/**
 * One sequence of output lines: the plain text of the log, or one package's output rebuilt from `-json` events.
 * Idle until `WARNING: DATA RACE` or `fatal error: concurrent map …`, then collects the report's lines.
 */
class OutputStream {
  private state: 'idle' | 'race' | 'fatal-header' | 'fatal-frames' = 'idle';
  /** The race report being read. */
  private readonly race = new ReportText();
  /** The lines of the fatal map error being read (rare, so plain strings). */
  private lines: string[] = [];
  private reportedUnder: string | null = null;
  /**
   * A `fatal error: concurrent map …` whose traceback has not come yet, set aside while a race report is read: the
   * race detector and the runtime print from different goroutines, so one can land inside the other.
   */
  private fatalAside: { lines: string[]; reportedUnder: string | null } | null = null;
  /** The `====` line just before this one, which opens the next report. */
  private previousDelimiter: LineRange | null = null;
  /**
   * Plain text: where the last `=== RUN` line names its test, as test2json would attribute output. Kept as a range
   * and cut out only when a report or a failure needs the name: most tests never print either.
   */
  private announcedText: string | null = null;
  private announcedStart = 0;
  private announcedEnd = 0;
  /** Plain text: the test of the `--- FAIL:` line just before this line, or null. */
  private failedJustBefore: string | null = null;
  /**
   * Plain text without `=== RUN` lines (go test without -v): reports whose stack names a test but not which of its
   * subtests, held until the `--- FAIL:` block that go test prints when the test ends, which names the subtest
   * that detected the race.
   */
  private pending: { report: RaceReport; refinable: boolean }[] = [];
  /** Plain text: the `--- FAIL:` block being read (a top-level test's result and its indented lines). */
  private failBlock: { raced: string[] } | null = null;

  /**
   * `json`: lines come from -json events, which carry the test; otherwise the stream tracks `=== RUN` itself.
   * `utf8Bytes`: lines hold UTF-8 bytes one per character; only the text kept (reports, test names) is decoded.
   */
  constructor(
    private readonly pkg: string | null,
    private readonly json: boolean,
    private readonly utf8Bytes: boolean,
    private readonly sink: Sink,
  ) {}

  line(text: string, eventTest: string | null): void {
    this.lineAt(text, 0, text.length, eventTest);
  }

  /** The line `text[start, end)`. */
  lineAt(text: string, start: number, end: number, eventTest: string | null): void {
    switch (this.state) {
      case 'idle':
        this.idleLine(text, start, end, eventTest);
        return;
      case 'race':
        this.raceLine(text, start, end, eventTest);
        return;
      case 'fatal-header':
        this.fatalHeaderLine(start === 0 && end === text.length ? text : text.slice(start, end), eventTest);
        return;
      case 'fatal-frames':
        this.fatalFrameLine(start === 0 && end === text.length ? text : text.slice(start, end), eventTest);
        return;
    }
  }

  /**
   * The stream ended (end of log, or the package's final -json event). `cutLine` is a last line without its newline
   * when the log itself ends: kept in the raw text but not parsed, since it may be cut anywhere.
   */
  close(cutLine: string | null): void {
    if (this.state === 'idle') {
      if (cutLine !== null) this.idleLine(cutLine, 0, cutLine.length, null);
      this.releasePending();
      return;
    }
    let tail = cutLine === '' ? null : cutLine;
    // A race report still open is incomplete; a fatal error set aside during it comes back and is closed next.
    if (this.state === 'race') {
      this.emit(true, tail);
      tail = null;
    }
    const resumed: string = this.state; // emit() may have brought back a fatal error set aside
    if (resumed !== 'idle') this.emit(resumed !== 'fatal-frames' || tail !== null, tail);
    this.releasePending();
  }

  private raceLine(text: string, start: number, end: number, eventTest: string | null): void {
    if (end - start === WARNING.length && text.startsWith(WARNING, start)) {
      this.emit(true);
      this.beginRace(null, text, start, end, eventTest);
      return;
    }
    if (text.charCodeAt(start) === 102 /* f */ && this.fatalAside === null && text.startsWith(FATAL_MAP, start)) {
      this.fatalAside = { lines: [text.slice(start, end)], reportedUnder: this.testFor(eventTest) };
      return;
    }
    this.race.add(text, start, end);
    if (isDelimiter(text, start, end)) this.emit(false);
    else if (this.race.count > MAX_REPORT_LINES) this.emit(true);
  }

  private fatalHeaderLine(text: string, eventTest: string | null): void {
    const delimiter = this.previousDelimiter;
    this.previousDelimiter = null;
    if (text === '' || isTracebackHeader(text)) {
      this.lines.push(text);
      if (text !== '') this.state = 'fatal-frames';
    } else if (isDelimiter(text)) {
      this.previousDelimiter = { text, start: 0, end: text.length };
    } else if (text === WARNING) {
      this.beginRace(delimiter, text, 0, text.length, eventTest);
    } else {
      this.emit(true);
      this.line(text, eventTest);
    }
  }

  private fatalFrameLine(text: string, eventTest: string | null): void {
    if (continuesTraceback(text) && this.lines.length <= MAX_REPORT_LINES) {
      this.lines.push(text);
      return;
    }
    this.emit(false);
    this.line(text, eventTest);
  }

  /** Outside reports: report starts, and the lines around reports that the summary counts. */
  private idleLine(text: string, start: number, end: number, eventTest: string | null): void {
    const failedBefore = this.failedJustBefore;
    this.failedJustBefore = null;
    // A FAIL block goes on with indented lines; anything else ends it (a new top-level `--- FAIL:` ends it below).
    if (this.failBlock !== null && text.charCodeAt(start) !== 32 && text.charCodeAt(start) !== 9 && text.charCodeAt(start) !== 45) {
      this.releasePending();
    }
    const delimiter = this.previousDelimiter;
    this.previousDelimiter = null;
    switch (text.charCodeAt(start)) {
      case 87: // 'W'
        if (end - start === WARNING.length && text.startsWith(WARNING, start)) this.beginRace(delimiter, text, start, end, eventTest);
        return;
      case 61: // '='
        // `====…` or `=== RUN` (a delimiter has an `=` where an announcement has its space).
        if (text.charCodeAt(start + 3) !== 61) {
          if (!this.json) this.announce(text, start, end);
        } else if (isDelimiter(text, start, end)) {
          this.previousDelimiter = { text, start, end };
        }
        return;
      case 102: // 'f'
        if (text.startsWith(FATAL_MAP, start)) {
          this.state = 'fatal-header';
          this.lines = [text.slice(start, end)];
          this.reportedUnder = this.testFor(eventTest);
        }
        return;
      case 70: // 'F'
        if (text.startsWith('Found ', start)) {
          const found = FOUND.exec(text.slice(start, end));
          if (found) this.sink.found(Number(found[1]));
        } else if (text.startsWith('FAIL\t', start)) {
          this.packageEnded();
        }
        return;
      case 111: // 'o'
        if (text.startsWith('ok  \t', start)) this.packageEnded();
        return;
      case 63: // '?'
        if (text.startsWith('?   \t', start)) this.packageEnded();
        return;
      case 116: // 't'
        if (endsWith(text, end, RACE_OUTSIDE_TESTS)) this.sink.outsideTests(this.pkg);
        return;
      case 32: case 45: // ' ', '-'
        this.resultOrFailure(text, start, end, eventTest, failedBefore);
        return;
    }
  }

  /**
   * `=== RUN   TestX`, `=== CONT  TestX`, `=== NAME  TestX`: the test whose output follows. The name is what
   * follows the eight characters of `=== NAME`, trimmed; a line without one leaves the announced test as it was.
   */
  private announce(text: string, start: number, end: number): void {
    if (!isAnnouncement(text, start)) return;
    this.releasePending();
    if (this.utf8Bytes && text.charCodeAt(start + 7) >= 0x80) {
      // `=== RUN` and one non-ASCII character (never printed by go test): decode the line to know what to skip.
      this.announceDecoded(decodeBytes(text.slice(start, end)));
      return;
    }
    let from = start + '=== NAME'.length;
    let to = end;
    for (let space = 1; from < to && space > 0 && !isPrintableAscii(text.charCodeAt(from)); from += space) space = spaceAfter(text, from, to, this.utf8Bytes);
    for (let space = 1; to > from && space > 0 && !isPrintableAscii(text.charCodeAt(to - 1)); to -= space) space = spaceBefore(text, from, to, this.utf8Bytes);
    if (from >= to) return;
    this.announcedText = text;
    this.announcedStart = from;
    this.announcedEnd = to;
  }

  private announceDecoded(line: string): void {
    const name = line.slice('=== NAME'.length).trim();
    if (name === '') return;
    this.announcedText = Buffer.from(name, 'utf8').toString('latin1');
    this.announcedStart = 0;
    this.announcedEnd = this.announcedText.length;
  }

  /** The test named by the last `=== RUN` line, as a string of its own. */
  private announcedTest(): string | null {
    const text = this.announcedText;
    return text === null ? null : this.textOf(text.slice(this.announcedStart, this.announcedEnd));
  }

  /** A string of its own holding the text of a piece of a line. */
  private textOf(piece: string): string {
    return detach(this.utf8Bytes ? decodeBytes(piece) : piece);
  }

  /** A package's result line in plain text: the next output belongs to no test until one is announced. */
  private packageEnded(): void {
    if (!this.json) this.announcedText = null;
    this.releasePending();
  }

  /**
   * Emits the held reports, in order. A report whose stack test has exactly one (sub)test in the FAIL block just
   * read that detected a race takes that name (`TestSub` → `TestSub/inner`); with none or several it keeps the
   * stack's, since which subtest a report belongs to would then be a guess.
   */
  private releasePending(): void {
    const raced = this.failBlock?.raced ?? [];
    this.failBlock = null;
    if (this.pending.length === 0) return;
    const held = this.pending;
    this.pending = [];
    for (const { report, refinable } of held) {
      const stackTest = report.test;
      const matching = new Set(raced.filter((t) => refinable && stackTest !== null && (t === stackTest || t.startsWith(stackTest + '/'))));
      if (matching.size === 1) report.test = [...matching][0];
      this.sink.report(report);
    }
  }

  /** `--- FAIL: TestX (0.00s)` lines and go test's `testing.go:NNNN: race detected during execution of test`. */
  private resultOrFailure(text: string, start: number, end: number, eventTest: string | null, failedBefore: string | null): void {
    if (text.charCodeAt(end - 1) === 116 /* t */ && endsWith(text, end, RACE_IN_TEST)) {
      // -v prints the message before `--- FAIL`, plain go test after it; -json events name the test.
      const test = this.json ? eventTest : failedBefore !== null ? this.textOf(failedBefore) : this.announcedTest();
      if (test !== null) {
        this.sink.testFailed(this.pkg, detach(test));
        if (this.failBlock !== null && this.failBlock.raced.length < MAX_LISTED) this.failBlock.raced.push(detach(test));
      }
      return;
    }
    let at = start;
    while (text.charCodeAt(at) === 32) at++;
    // `--- ` by hand: this runs for most lines of a verbose log.
    if (text.charCodeAt(at) !== 45 || text.charCodeAt(at + 1) !== 45 || text.charCodeAt(at + 2) !== 45
      || text.charCodeAt(at + 3) !== 32 || text.charCodeAt(at + 8) !== 58 /* : */) return;
    const name = at + 10;
    if (text.startsWith('FAIL', at + 4)) {
      const nameEnd = text.indexOf(' ', name);
      this.failedJustBefore = text.slice(name, nameEnd < 0 || nameEnd > end ? end : nameEnd);
      if (!this.json && at === start) {
        // A top-level test's result: its block lists the (sub)tests that detected races in the reports before it.
        if (this.failBlock !== null) this.releasePending();
        this.failBlock = { raced: [] };
      }
    } else if (!this.json && at === start && this.failBlock !== null) {
      this.releasePending();
    }
    // A top-level test's result ends its output (compared in place: most lines are `--- PASS`).
    const announced = this.announcedText;
    if (this.json || at !== start || announced === null) return;
    const nameEnd = name + this.announcedEnd - this.announcedStart;
    // The cheap test first: most results are of subtests, whose names are longer than the announced test's.
    if ((nameEnd === end || text.charCodeAt(nameEnd) === 32)
      && continuesWith(text, name, announced, this.announcedStart, this.announcedEnd)) {
      this.announcedText = null;
    }
  }

  /** The test go test would print this line under. */
  private testFor(eventTest: string | null): string | null {
    return this.json ? eventTest : this.announcedTest();
  }

  /** Starts a race report at its `WARNING: DATA RACE` line `text[start, end)`, after the `====` line if there was one. */
  private beginRace(delimiter: LineRange | null, text: string, start: number, end: number, eventTest: string | null): void {
    if (this.state === 'fatal-header') this.fatalAside = { lines: this.lines, reportedUnder: this.reportedUnder };
    this.state = 'race';
    this.lines = [];
    if (delimiter !== null) this.race.add(delimiter.text, delimiter.start, delimiter.end);
    this.race.add(text, start, end);
    this.reportedUnder = this.testFor(eventTest);
  }

  /** After a report: back to idle, or to the fatal error set aside while it was read. */
  private resume(): void {
    const aside = this.fatalAside;
    this.fatalAside = null;
    this.state = aside ? 'fatal-header' : 'idle';
    this.lines = aside ? aside.lines : [];
    if (aside) this.reportedUnder = aside.reportedUnder;
  }

  private emit(incomplete: boolean, cutLine: string | null = null): void {
    const under = this.reportedUnder;
    if (this.state === 'race') {
      // Parsed from its own raw text, a fresh string, so that the report keeps no log chunk alive.
      const { raw, parsedEnd } = this.race.take(cutLine, this.utf8Bytes);
      this.resume();
      const body = parseDataRace(raw, parsedEnd);
      // A header closed at once (or with nothing readable before the delimiter) names no access: not a complete race.
      this.report('data race', 'DATA RACE', body, under, incomplete || body.access === null, raw);
      return;
    }
    const all = cutLine === null ? this.lines : [...this.lines, cutLine];
    const joined = all.length === 1 ? copyOf(all[0]) : all.join('\n');
    const raw = this.utf8Bytes ? decodeBytes(joined) : joined;
    this.resume();
    const lines = raw.split('\n');
    if (cutLine !== null) lines.pop();
    const message = lines[0].slice('fatal error: '.length);
    this.report('concurrent map access', message, parseMapFatal(message, lines), under, incomplete, raw);
  }

  private report(kind: RaceReport['kind'], message: string, body: ParsedBody, under: string | null, incomplete: boolean, raw: string): void {
    const fromStack = testOfStacks(frameListsOf(body));
    let test: string | null = null;
    let testSource: RaceReport['testSource'] = null;
    if (fromStack) {
      // go test knows the subtest (`TestX/case`); the stack only knows TestX. Keep go test's name when they agree.
      test = under !== null && (under === fromStack.test || under.startsWith(fromStack.test + '/')) ? under : fromStack.test;
      testSource = 'stack';
    } else if (under !== null) {
      test = under;
      testSource = 'go test';
    }
    const ownFrame = body.access?.top ?? body.previous?.top;
    const report: RaceReport = {
      kind,
      message,
      access: body.access,
      previous: body.previous,
      goroutines: body.goroutines,
      test,
      testSource,
      reportedUnder: under,
      package: this.pkg ?? fromStack?.package ?? (ownFrame ? packageOf(ownFrame.function) : null),
      incomplete,
      raw,
      key: raceKey({ kind, message, access: body.access, previous: body.previous }),
    };
    const refinable = !this.json && under === null && fromStack !== null;
    if (refinable || this.pending.length > 0) {
      // Held in order: a report that needs no subtest name waits behind those that do.
      this.pending.push({ report, refinable });
      if (this.pending.length > MAX_PENDING) this.sink.report(this.pending.shift()!.report);
    } else {
      this.sink.report(report);
    }
  }
}

/** A package's output in a -json stream: events may split lines, so each package keeps its own partial line. */
interface PackageOutput {
  stream: OutputStream;
  partial: string;
  /** Test of the event that began the partial line. */
  partialTest: string | null;
}

/** A test2json event as JSON.parse gives it: any field may hold any type in a hostile log. */
interface TestEvent {
  Action: string;
  Package?: unknown;
  Test?: unknown;
  Output?: unknown;
}

function parseEvent(line: string): TestEvent | null {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value === 'object' && value !== null && typeof (value as TestEvent).Action === 'string') return value as TestEvent;
  } catch {
    // Not JSON: a plain line that happens to start with `{`.
  }
  return null;
}

/**
 * Feed chunks with `write`, call `end` once; `onReport` receives each report as soon as its closing line arrives
 * (or, for a report the log cuts off, at `end` with `incomplete: true`).
 */
export class RaceLogParser {
  private partial = '';
  /** An escape sequence the last chunk ended in the middle of. */
  private heldEscape = '';
  private readonly packages = new Map<string, PackageOutput>();
  private readonly plain: OutputStream;
  private readonly sink: Sink;
  private reports = 0;
  private found: number | null = null;
  private readonly failedTests = new Map<string, { package: string | null; test: string }>();
  private readonly outside = new Set<string | null>();
  /** Failed tests past MAX_LISTED, counted only (a log can name any number of tests). */
  private moreFailedTests = 0;

  /**
   * `utf8Bytes`: chunks hold UTF-8 bytes one per character (`buffer.toString('latin1')`), as parseRaceLog feeds
   * them. Decoding a whole log costs more than parsing it; this way only the text kept (reports, test names, -json
   * events) is decoded, with the same result. A split multi-byte character needs no care: only a complete line is
   * ever decoded.
   */
  constructor(onReport: (report: RaceReport) => void, private readonly utf8Bytes = false) {
    this.sink = {
      report: (report) => {
        this.reports++;
        onReport(report);
      },
      found: (count) => { this.found = (this.found ?? 0) + count; },
      testFailed: (pkg, test) => {
        const key = `${pkg}\t${test}`;
        if (this.failedTests.has(key)) return;
        if (this.failedTests.size < MAX_LISTED) this.failedTests.set(key, { package: pkg, test });
        else this.moreFailedTests++;
      },
      outsideTests: (pkg) => {
        if (this.outside.size < MAX_LISTED || this.outside.has(pkg)) this.outside.add(pkg);
      },
    };
    this.plain = new OutputStream(null, false, this.utf8Bytes, this.sink);
  }

  write(text: string): void {
    let chunk = this.heldEscape === '' ? text : this.heldEscape + text;
    this.heldEscape = '';
    if (chunk.indexOf(ESC) !== -1) chunk = this.withoutEscapes(chunk);
    let start = 0;
    if (this.partial !== '') {
      // Only the line the previous chunk left open is joined, not the whole chunk.
      const newline = chunk.indexOf('\n');
      if (newline === -1) {
        this.partial += chunk;
        this.cutLongLine();
        return;
      }
      const first = this.partial + chunk.slice(0, newline);
      this.partial = '';
      this.line(first, 0, first.length);
      start = newline + 1;
    }
    const plain = this.plain;
    for (let newline = chunk.indexOf('\n', start); newline !== -1; newline = chunk.indexOf('\n', start)) {
      const first = chunk.charCodeAt(start);
      // Inline for the lines that are neither -json events nor start with a CI timestamp's digit: nearly all.
      if (first === 123 || (first >= 48 && first <= 57)) this.line(chunk, start, newline);
      else plain.lineAt(chunk, start, chunk.charCodeAt(newline - 1) === 13 ? newline - 1 : newline, null);
      start = newline + 1;
    }
    this.partial = start === 0 ? chunk : chunk.slice(start);
    this.cutLongLine();
  }

  /** The chunk without escape sequences; one it ends in the middle of is held back for the next chunk. */
  private withoutEscapes(chunk: string): string {
    const stripped = chunk.replace(ESCAPE_SEQUENCE, '');
    // The first ESC near the end that opens a sequence running to the end (an OSC may hold the ESC of its `ESC \`).
    for (let at = stripped.indexOf(ESC, Math.max(0, stripped.length - MAX_HELD_ESCAPE)); at !== -1; at = stripped.indexOf(ESC, at + 1)) {
      if (!UNFINISHED_ESCAPE.test(stripped.slice(at))) continue;
      this.heldEscape = stripped.slice(at);
      return stripped.slice(0, at);
    }
    return stripped;
  }

  private cutLongLine(): void {
    if (this.partial.length > MAX_LINE) {
      this.line(this.partial, 0, this.partial.length);
      this.partial = '';
    }
  }

  end(): RaceLogSummary {
    let last = this.partial === '' ? null : this.partial.replace(/\r$/, '');
    this.partial = '';
    if (last !== null) {
      CI_TIMESTAMP.lastIndex = 0;
      if (CI_TIMESTAMP.test(last)) last = last.slice(CI_TIMESTAMP.lastIndex);
    }
    if (last !== null && last.charCodeAt(0) === 123 && this.event(this.utf8Bytes ? decodeBytes(last) : last)) {
      this.plain.close(null);
    } else {
      this.plain.close(last);
    }
    for (const output of this.packages.values()) output.stream.close(output.partial === '' ? null : output.partial.replace(/\r$/, ''));
    this.packages.clear();
    return {
      reports: this.reports,
      foundByPrograms: this.found,
      testsFailedByRace: [...this.failedTests.values()],
      moreTestsFailedByRace: this.moreFailedTests,
      racesOutsideTests: [...this.outside],
    };
  }

  private line(text: string, start: number, end: number): void {
    if (text.charCodeAt(end - 1) === 13) end--;
    const first = text.charCodeAt(start);
    if (first >= 48 && first <= 57) {
      CI_TIMESTAMP.lastIndex = start;
      if (CI_TIMESTAMP.test(text)) start = CI_TIMESTAMP.lastIndex;
    }
    if (text.charCodeAt(start) === 123 && this.event(this.utf8Bytes ? decodeBytes(text.slice(start, end)) : text.slice(start, end))) return;
    this.plain.lineAt(text, start, end, null);
  }

  /** Handles a line if it is a test2json event; returns false for any other line. */
  private event(text: string): boolean {
    const event = parseEvent(text);
    if (event === null) return false;
    // Fields of another type than test2json writes (`"Test":123`) are treated as absent, never passed on.
    const pkg = typeof event.Package === 'string' ? event.Package : '';
    const test = typeof event.Test === 'string' ? event.Test : null;
    if (event.Action === 'output' && typeof event.Output === 'string') {
      this.packageOutput(pkg, stripEscapes(event.Output), test);
    } else if (test === null && (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip')) {
      // The package's final event: nothing more will be printed for it.
      const output = this.packages.get(pkg);
      if (output) {
        if (output.partial !== '') output.stream.line(output.partial.replace(/\r$/, ''), output.partialTest);
        output.stream.close(null);
        this.packages.delete(pkg);
      }
    }
    return true;
  }

  private closeOldestPackage(): void {
    const [pkg, output] = this.packages.entries().next().value as [string, PackageOutput];
    output.stream.close(output.partial === '' ? null : output.partial);
    this.packages.delete(pkg);
  }

  private packageOutput(pkg: string, text: string, test: string | null): void {
    let output = this.packages.get(pkg);
    if (!output) {
      // So many packages with output and no final event yet: the oldest is taken to have ended.
      if (this.packages.size >= MAX_LISTED) this.closeOldestPackage();
      output = { stream: new OutputStream(pkg === '' ? null : pkg, true, false, this.sink), partial: '', partialTest: null };
      this.packages.set(pkg, output);
    }
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const piece = text.slice(start, newline);
      const whole = output.partial === '' ? piece : output.partial + piece;
      const lineTest = output.partial === '' ? test : output.partialTest;
      output.partial = '';
      output.stream.line(whole.charCodeAt(whole.length - 1) === 13 ? whole.slice(0, -1) : whole, lineTest);
      start = newline + 1;
    }
    if (start < text.length) {
      if (output.partial === '') output.partialTest = test;
      output.partial += text.slice(start);
      if (output.partial.length > MAX_LINE) {
        output.stream.line(output.partial, output.partialTest);
        output.partial = '';
      }
    }
  }
}
