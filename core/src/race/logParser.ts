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
const FOUND = /^Found (\d+) data race\(s\)$/;
const ANNOUNCE = /^=== (?:RUN|CONT|NAME)\s+(\S+)/;
const RESULT = /^(\s*)--- (PASS|FAIL|SKIP): (\S+)/;
const PACKAGE_RESULT = /^(?:ok|FAIL|\?)\s+\S+\s/;
// GitHub Actions and other CI systems put an RFC 3339 time before every line of a downloaded log.
const CI_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) ?/;

/** What an output stream reports to the parser that owns it. */
interface Sink {
  report(report: RaceReport): void;
  found(count: number): void;
  testFailed(pkg: string | null, test: string): void;
  outsideTests(pkg: string | null): void;
}

function isDelimiter(line: string): boolean {
  return line.length >= 10 && line.charCodeAt(0) === 61 && line.charCodeAt(line.length - 1) === 61 && /^=+$/.test(line);
}

/**
 * One sequence of output lines: the plain text of the log, or one package's output rebuilt from `-json` events.
 * Idle until `WARNING: DATA RACE` or `fatal error: concurrent map …`, then collects the report's lines.
 */
class OutputStream {
  private state: 'idle' | 'race' | 'fatal-header' | 'fatal-frames' = 'idle';
  private lines: string[] = [];
  private fatalMessage = '';
  private reportedUnder: string | null = null;
  /** The `====` line just before this one, which opens the next report. */
  private previousDelimiter: string | null = null;
  /** Plain text: the test named by the last `=== RUN` line, as test2json would attribute output. */
  private announcedTest: string | null = null;
  /** Plain text: the test of the `--- FAIL:` line just before this line, or null. */
  private failedJustBefore: string | null = null;

  /** `json`: lines come from -json events, which carry the test; otherwise the stream tracks `=== RUN` itself. */
  constructor(private readonly pkg: string | null, private readonly json: boolean, private readonly sink: Sink) {}

  line(text: string, eventTest: string | null): void {
    switch (this.state) {
      case 'idle':
        this.idleLine(text, eventTest);
        return;
      case 'race':
        if (text === WARNING) {
          this.emit(true);
          this.start('race', text, eventTest);
          return;
        }
        this.lines.push(text);
        if (isDelimiter(text)) this.emit(false);
        else if (this.lines.length > MAX_REPORT_LINES) this.emit(true);
        return;
      case 'fatal-header':
        if (text === '' || isTracebackHeader(text)) {
          this.lines.push(text);
          if (text !== '') this.state = 'fatal-frames';
          return;
        }
        this.emit(true);
        this.idleLine(text, eventTest);
        return;
      case 'fatal-frames':
        if (continuesTraceback(text) && this.lines.length <= MAX_REPORT_LINES) {
          this.lines.push(text);
          return;
        }
        this.emit(false);
        this.idleLine(text, eventTest);
        return;
    }
  }

  /**
   * The stream ended (end of log, or the package's final -json event). `cutLine` is a last line without its newline
   * when the log itself ends: kept in the raw text but not parsed, since it may be cut anywhere.
   */
  close(cutLine: string | null): void {
    if (this.state === 'idle') {
      if (cutLine !== null) this.idleLine(cutLine, null);
      return;
    }
    const truncated = cutLine !== null && cutLine !== '';
    const complete = this.state === 'fatal-frames' && !truncated;
    this.emit(!complete, truncated ? cutLine : null);
  }

  private idleLine(text: string, eventTest: string | null): void {
    const failedBefore = this.failedJustBefore;
    this.failedJustBefore = null;
    const delimiter = this.previousDelimiter;
    this.previousDelimiter = null;
    if (text === WARNING) {
      this.start('race', delimiter, eventTest);
      this.lines.push(text);
      return;
    }
    switch (text.charCodeAt(0)) {
      case 61: // '='
        if (isDelimiter(text)) this.previousDelimiter = text;
        else if (!this.json) this.announce(text);
        return;
      case 102: // 'f'
        if (text.startsWith(FATAL_MAP)) {
          this.start('fatal-header', null, eventTest);
          this.fatalMessage = text.slice('fatal error: '.length);
          this.lines.push(text);
        }
        return;
      case 70: // 'F'
        this.foundLine(text);
        return;
      case 111: case 63: // 'o', '?'
        if (!this.json && PACKAGE_RESULT.test(text)) this.announcedTest = null;
        return;
      case 116: // 't'
        if (text.endsWith('race detected outside of test execution')) this.sink.outsideTests(this.pkg);
        return;
      case 32: case 9: case 45: // ' ', '\t', '-'
        this.resultOrFailure(text, eventTest, failedBefore);
        return;
    }
  }

  private foundLine(text: string): void {
    const found = FOUND.exec(text);
    if (found) this.sink.found(Number(found[1]));
    else if (!this.json && PACKAGE_RESULT.test(text)) this.announcedTest = null;
  }

  private announce(text: string): void {
    const announced = ANNOUNCE.exec(text);
    if (announced) this.announcedTest = announced[1];
  }

  /** `--- FAIL: TestX (0.00s)` lines and go test's `testing.go:NNNN: race detected during execution of test`. */
  private resultOrFailure(text: string, eventTest: string | null, failedBefore: string | null): void {
    if (text.endsWith('race detected during execution of test')) {
      // -v prints the message before `--- FAIL`, plain go test after it; -json events name the test.
      const test = this.json ? eventTest : failedBefore ?? this.announcedTest;
      if (test !== null) this.sink.testFailed(this.pkg, test);
      return;
    }
    const result = RESULT.exec(text);
    if (!result) return;
    if (result[2] === 'FAIL') this.failedJustBefore = result[3];
    if (!this.json && result[1] === '' && this.announcedTest === result[3]) this.announcedTest = null;
  }

  private start(state: 'race' | 'fatal-header', firstLine: string | null, eventTest: string | null): void {
    this.state = state;
    this.lines = firstLine === null ? [] : [firstLine];
    this.reportedUnder = this.json ? eventTest : this.announcedTest;
  }

  private emit(incomplete: boolean, cutLine: string | null = null): void {
    const lines = this.lines;
    const race = this.state === 'race';
    this.state = 'idle';
    this.lines = [];
    const body = race ? parseDataRace(lines) : parseMapFatal(this.fatalMessage, lines);
    const fromStack = testOfStacks([body.access?.frames ?? [], body.previous?.frames ?? [], ...body.goroutines.map((g) => g.frames)]);
    const under = this.reportedUnder;
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
    const partial = { kind: race ? 'data race' as const : 'concurrent map access' as const, message: race ? 'DATA RACE' : this.fatalMessage, ...body };
    this.sink.report({
      ...partial,
      test,
      testSource,
      reportedUnder: under,
      package: this.pkg ?? fromStack?.package ?? (ownFrame ? packageOf(ownFrame.function) : null),
      incomplete,
      raw: (cutLine === null ? lines : [...lines, cutLine]).join('\n'),
      key: raceKey(partial),
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
      this.line(text.slice(start, newline));
      start = newline + 1;
    }
    this.partial = start === 0 ? text : text.slice(start);
    if (this.partial.length > MAX_LINE) {
      this.line(this.partial);
      this.partial = '';
    }
  }

  end(): RaceLogSummary {
    const last = this.partial === '' ? null : this.partial.replace(/\r$/, '');
    this.partial = '';
    if (last !== null && last.charCodeAt(0) === 123 && this.event(last)) {
      this.plain.close(null);
    } else {
      this.plain.close(last === null ? null : last.replace(CI_TIMESTAMP, ''));
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

  private line(text: string): void {
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    const first = text.charCodeAt(0);
    if (first >= 48 && first <= 57) text = text.replace(CI_TIMESTAMP, '');
    if (text.charCodeAt(0) === 123 && this.event(text)) return;
    this.plain.line(text, null);
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
