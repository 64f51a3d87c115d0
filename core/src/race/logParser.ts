// Streaming parser for logs holding Go race-detector reports: `go run -race` / `go test -race` output, CI logs,
// and `go test -json` event streams, mixed freely (each line that is a test2json event is read as one). Input comes
// in chunks of any size; memory holds one partial line per stream and the lines of the report being read, never
// the log.
import { raceKey } from './dedup';
import { packageOf, testOfStacks } from './frames';
import { continuesTraceback, isTracebackHeader, parseDataRace, parseMapFatal } from './reportParser';
import type { RaceLogSummary, RaceReport } from './types';

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
  return text === null ? null : Buffer.from(text, 'utf8').toString('utf8');
}

/** `=== RUN   TestX`, `=== CONT  TestX`, `=== NAME  TestX`: the test whose output follows, or null. */
function announcedTestOf(text: string, start: number, end: number): string | null {
  if (!text.startsWith('=== RUN', start) && !text.startsWith('=== CONT', start) && !text.startsWith('=== NAME', start)) return null;
  const name = text.slice(start + '=== NAME'.length, end).trim();
  return name === '' ? null : name;
}

/**
 * One sequence of output lines: the plain text of the log, or one package's output rebuilt from `-json` events.
 * Idle until `WARNING: DATA RACE` or `fatal error: concurrent map …`, then collects the report's lines.
 */
class OutputStream {
  private state: 'idle' | 'race' | 'fatal-header' | 'fatal-frames' = 'idle';
  private lines: string[] = [];
  private reportedUnder: string | null = null;
  /**
   * A `fatal error: concurrent map …` whose traceback has not come yet, set aside while a race report is read: the
   * race detector and the runtime print from different goroutines, so one can land inside the other.
   */
  private fatalAside: { lines: string[]; reportedUnder: string | null } | null = null;
  /** The `====` line just before this one, which opens the next report. */
  private previousDelimiter: string | null = null;
  /** Plain text: the test named by the last `=== RUN` line, as test2json would attribute output. */
  private announcedTest: string | null = null;
  /** Plain text: the test of the `--- FAIL:` line just before this line, or null. */
  private failedJustBefore: string | null = null;

  /** `json`: lines come from -json events, which carry the test; otherwise the stream tracks `=== RUN` itself. */
  constructor(private readonly pkg: string | null, private readonly json: boolean, private readonly sink: Sink) {}

  line(text: string, eventTest: string | null): void {
    this.lineAt(text, 0, text.length, eventTest);
  }

  /** The line `text[start, end)`: most lines of a log are looked at in place, without cutting them out. */
  lineAt(text: string, start: number, end: number, eventTest: string | null): void {
    if (this.state === 'idle') {
      this.idleLine(text, start, end, eventTest);
      return;
    }
    this.reportLine(start === 0 && end === text.length ? text : text.slice(start, end), eventTest);
  }

  private reportLine(text: string, eventTest: string | null): void {
    switch (this.state) {
      case 'race':
        this.raceLine(text, eventTest);
        return;
      case 'fatal-header':
        this.fatalHeaderLine(text, eventTest);
        return;
      case 'fatal-frames':
        if (continuesTraceback(text) && this.lines.length <= MAX_REPORT_LINES) {
          this.lines.push(text);
          return;
        }
        this.emit(false);
        this.line(text, eventTest);
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
  }

  private raceLine(text: string, eventTest: string | null): void {
    if (text === WARNING) {
      this.emit(true);
      this.beginRace([text], eventTest);
      return;
    }
    if (text.startsWith(FATAL_MAP) && this.fatalAside === null) {
      this.fatalAside = { lines: [text], reportedUnder: this.testFor(eventTest) };
      return;
    }
    this.lines.push(text);
    if (isDelimiter(text)) this.emit(false);
    else if (this.lines.length > MAX_REPORT_LINES) this.emit(true);
  }

  private fatalHeaderLine(text: string, eventTest: string | null): void {
    const delimiter = this.previousDelimiter;
    this.previousDelimiter = null;
    if (text === '' || isTracebackHeader(text)) {
      this.lines.push(text);
      if (text !== '') this.state = 'fatal-frames';
    } else if (isDelimiter(text)) {
      this.previousDelimiter = text;
    } else if (text === WARNING) {
      this.beginRace(delimiter === null ? [text] : [delimiter, text], eventTest);
    } else {
      this.emit(true);
      this.line(text, eventTest);
    }
  }

  /** Outside reports: report starts, and the lines around reports that the summary counts. */
  private idleLine(text: string, start: number, end: number, eventTest: string | null): void {
    const failedBefore = this.failedJustBefore;
    this.failedJustBefore = null;
    const delimiter = this.previousDelimiter;
    this.previousDelimiter = null;
    switch (text.charCodeAt(start)) {
      case 87: // 'W'
        if (end - start === WARNING.length && text.startsWith(WARNING, start)) {
          this.beginRace(delimiter === null ? [WARNING] : [delimiter, WARNING], eventTest);
        }
        return;
      case 61: // '='
        if (isDelimiter(text, start, end)) this.previousDelimiter = text.slice(start, end);
        else if (!this.json) this.announcedTest = announcedTestOf(text, start, end) ?? this.announcedTest;
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

  /** A package's result line in plain text: the next output belongs to no test until one is announced. */
  private packageEnded(): void {
    if (!this.json) this.announcedTest = null;
  }

  /** `--- FAIL: TestX (0.00s)` lines and go test's `testing.go:NNNN: race detected during execution of test`. */
  private resultOrFailure(text: string, start: number, end: number, eventTest: string | null, failedBefore: string | null): void {
    if (endsWith(text, end, RACE_IN_TEST)) {
      // -v prints the message before `--- FAIL`, plain go test after it; -json events name the test.
      const test = this.json ? eventTest : failedBefore ?? this.announcedTest;
      if (test !== null) this.sink.testFailed(this.pkg, detach(test));
      return;
    }
    let at = start;
    while (text.charCodeAt(at) === 32) at++;
    if (!text.startsWith('--- ', at) || text.charCodeAt(at + 8) !== 58 /* : */) return;
    const name = at + 10;
    if (text.startsWith('FAIL', at + 4)) {
      const nameEnd = text.indexOf(' ', name);
      this.failedJustBefore = text.slice(name, nameEnd < 0 || nameEnd > end ? end : nameEnd);
    }
    // A top-level test's result ends its output (compared in place: most lines are `--- PASS`).
    const announced = this.announcedTest;
    if (!this.json && at === start && announced !== null && text.startsWith(announced, name)
      && (name + announced.length === end || text.charCodeAt(name + announced.length) === 32)) {
      this.announcedTest = null;
    }
  }

  /** The test go test would print this line under. */
  private testFor(eventTest: string | null): string | null {
    return this.json ? eventTest : detach(this.announcedTest);
  }

  private beginRace(lines: string[], eventTest: string | null): void {
    if (this.state === 'fatal-header') this.fatalAside = { lines: this.lines, reportedUnder: this.reportedUnder };
    this.state = 'race';
    this.lines = lines;
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
    const race = this.state === 'race';
    const under = this.reportedUnder;
    // The report is parsed from its own raw text, a fresh string, so that it keeps no log chunk alive.
    const raw = (cutLine === null ? this.lines : [...this.lines, cutLine]).join('\n');
    this.resume();
    const lines = raw.split('\n');
    if (cutLine !== null) lines.pop();
    const message = race ? 'DATA RACE' : lines[0].slice('fatal error: '.length);
    const body = race ? parseDataRace(lines) : parseMapFatal(message, lines);
    const fromStack = testOfStacks([body.access?.frames ?? [], body.previous?.frames ?? [], ...body.goroutines.map((g) => g.frames)]);
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
    const kind = race ? 'data race' as const : 'concurrent map access' as const;
    this.sink.report({
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
    });
  }
}

/** A package's output in a -json stream: events may split lines, so each package keeps its own partial line. */
interface PackageOutput {
  stream: OutputStream;
  partial: string;
  /** Test of the event that began the partial line. */
  partialTest: string | null;
}

interface TestEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Output?: string;
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
  private readonly packages = new Map<string, PackageOutput>();
  private readonly plain: OutputStream;
  private readonly sink: Sink;
  private reports = 0;
  private found: number | null = null;
  private readonly failedTests = new Map<string, { package: string | null; test: string }>();
  private readonly outside = new Set<string | null>();

  constructor(onReport: (report: RaceReport) => void) {
    this.sink = {
      report: (report) => {
        this.reports++;
        onReport(report);
      },
      found: (count) => { this.found = (this.found ?? 0) + count; },
      testFailed: (pkg, test) => { this.failedTests.set(`${pkg}\t${test}`, { package: pkg, test }); },
      outsideTests: (pkg) => { this.outside.add(pkg); },
    };
    this.plain = new OutputStream(null, false, this.sink);
  }

  write(chunk: string): void {
    const text = this.partial === '' ? chunk : this.partial + chunk;
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.line(text, start, newline);
      start = newline + 1;
    }
    this.partial = start === 0 ? text : text.slice(start);
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
    if (last !== null && last.charCodeAt(0) === 123 && this.event(last)) {
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
    if (text.charCodeAt(start) === 123 && this.event(text.slice(start, end))) return;
    this.plain.lineAt(text, start, end, null);
  }

  /** Handles a line if it is a test2json event; returns false for any other line. */
  private event(text: string): boolean {
    const event = parseEvent(text);
    if (event === null) return false;
    const pkg = event.Package ?? '';
    if (event.Action === 'output' && typeof event.Output === 'string') {
      this.packageOutput(pkg, event.Output, event.Test ?? null);
    } else if (event.Test === undefined && (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip')) {
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

  private packageOutput(pkg: string, text: string, test: string | null): void {
    let output = this.packages.get(pkg);
    if (!output) {
      output = { stream: new OutputStream(pkg === '' ? null : pkg, true, this.sink), partial: '', partialTest: null };
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
