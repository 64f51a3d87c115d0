// Tokenizes real race-detector output (the fixture module under go test -race, go test -race -json, go run -race)
// with the go-race-log TextMate grammar, loaded the way VS Code loads it: the scope name and file from package.json's
// contributes.grammars entry, vscode-textmate with the Oniguruma WASM of vscode-oniguruma, one line at a time with
// the previous line's state. Every line is classified by a recognizer of the detector's output format written here,
// independent of the grammar, and every character must carry exactly the scopes its kind calls for.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { raceRuns, RaceRuns } from './fixtureRuns';

const ROOT = path.join(__dirname, '../../../..');
const LANGUAGE = 'go-race-log';

type Kind =
  | 'delimiter' | 'warning' | 'fatal' | 'access' | 'goroutine' | 'traceback-goroutine' | 'function'
  | 'traceback-function' | 'created-by' | 'frame' | 'test-fail' | 'test-pass' | 'test-run' | 'race-detected'
  | 'found' | 'result' | 'other';

/** A scope over the characters [start, end) of a line. */
type Span = [start: number, end: number, scope: string];

interface Expected {
  kind: Kind;
  /** A scope over the whole line (the grammar names the whole match, which spans the line). */
  line?: string;
  spans: Span[];
}

interface GrammarUnderTest {
  grammar: vsctm.IGrammar;
  scopeName: string;
}

async function loadGrammarAsVsCodeDoes(): Promise<GrammarUnderTest> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const entries: { language?: string; scopeName: string; path: string }[] = manifest.contributes.grammars;
  const entry = entries.find((g) => g.language === LANGUAGE);
  assert.ok(entry, `package.json contributes no grammar for ${LANGUAGE}`);
  const file = path.join(ROOT, entry.path);
  await oniguruma.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => (scopeName === entry.scopeName ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null),
  });
  const grammar = await registry.loadGrammar(entry.scopeName);
  assert.ok(grammar, `${file} does not define the scope ${entry.scopeName}`);
  return { grammar, scopeName: entry.scopeName };
}

/** The scopes of every character of every line, without the grammar's own scope, as `a b` strings. */
function tokenize({ grammar, scopeName }: GrammarUnderTest, lines: string[]): string[][] {
  let state = vsctm.INITIAL;
  return lines.map((text) => {
    const result = grammar.tokenizeLine(text, state);
    state = result.ruleStack;
    const perChar: string[] = [];
    for (const token of result.tokens) {
      const scopes = token.scopes.filter((s) => s !== scopeName).join(' ');
      for (let i = token.startIndex; i < Math.min(token.endIndex, text.length); i++) perChar[i] = scopes;
    }
    return perChar;
  });
}

/** The text's lines as VS Code's text model holds them: split at CRLF, CR or LF. */
function documentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Spans for the groups of a regexp match (compiled with the d flag); groups that did not take part get none. */
function groupSpans(match: RegExpExecArray, scopes: string[]): Span[] {
  const spans: Span[] = [];
  scopes.forEach((name, i) => {
    const at = match.indices![i + 1];
    if (at) spans.push([at[0], at[1], name]);
  });
  return spans;
}

/** A scope name of this grammar. */
const scope = (name: string) => `${name}.go-race-log`;

/** The scope of a CI timestamp before a line: comment-like, so that themes dim it next to the detector's text. */
const TIMESTAMP_SCOPE = scope('comment.other.timestamp');

/**
 * CI timestamps in every form core/src/race/logParser.ts accepts before a line, GitHub Actions' first: fraction or
 * none, Z or an offset, with or without the space. Lines take them in turn, so every form meets every line kind.
 */
const CI_TIMESTAMPS = ['2024-05-01T12:34:56.1234567Z ', '2024-05-01T12:34:56+02:00 ', '2024-05-01T12:34:56.5-07:00', '2024-05-01T12:34:56Z'];

/** A line as the log prints it, and the CI timestamp put before it (empty for the log as go printed it). */
interface LogLine {
  prefix: string;
  text: string;
}

/**
 * The log's lines, each after a CI timestamp if `timestamped`. The timestamp's one optional space belongs to it, so
 * before a line that starts with white space a space-less form reads as the spaced one; such lines get the space.
 */
function logLines(log: string, timestamped: boolean): LogLine[] {
  return documentLines(log).map((text, i) => {
    if (!timestamped) return { prefix: '', text };
    const form = CI_TIMESTAMPS[i % CI_TIMESTAMPS.length];
    return { prefix: !form.endsWith(' ') && /^\s/.test(text) ? `${form} ` : form, text };
  });
}

/** The scopes a line should carry: the timestamp's on the prefix, then the text's own, shifted by the prefix. */
function expectedLineScopes({ prefix, text }: LogLine, expected: Expected): string[] {
  return [...Array.from(prefix, () => TIMESTAMP_SCOPE), ...expectedScopes(text, expected)];
}

/**
 * What the race detector, the Go runtime and go test print, line by line. `inTraceback` is true after a runtime
 * traceback's `goroutine N [state]:` header until a blank line, where function lines start in column 0.
 */
function classify(text: string, inTraceback: boolean): Expected {
  let m: RegExpExecArray | null;
  if (/^={18}$/.test(text)) return { kind: 'delimiter', line: scope('punctuation.separator.delimiter'), spans: [] };
  if ((m = /^(WARNING:) (DATA RACE)$/d.exec(text))) {
    return { kind: 'warning', line: scope('markup.heading.warning'), spans: groupSpans(m, [scope('keyword.other.warning'), scope('invalid.illegal.data-race')]) };
  }
  if ((m = /^(fatal error:) (concurrent map \w+(?: \w+)?)$/d.exec(text))) {
    return { kind: 'fatal', line: scope('markup.heading.fatal'), spans: groupSpans(m, [scope('keyword.other.fatal'), scope('invalid.illegal.map-access')]) };
  }
  if ((m = /^((?:Previous )?(?:[Aa]tomic )?(?:[Rr]ead|[Ww]rite)) at (0x[0-9a-f]+) by (goroutine \d+|main goroutine)(:)$/d.exec(text))) {
    const scopes = ['keyword.other.access', 'constant.numeric.address', 'variable.other.goroutine', 'punctuation.separator'];
    return { kind: 'access', line: scope('meta.access'), spans: groupSpans(m, scopes.map(scope)) };
  }
  const goroutineScopes = ['keyword.other.goroutine', 'constant.numeric.goroutine', 'storage.modifier.state', 'keyword.other.created-at'].map(scope);
  if ((m = /^(Goroutine) (\d+) (\((?:running|finished)\)) (created at:)$/d.exec(text))) {
    return { kind: 'goroutine', line: scope('meta.goroutine'), spans: groupSpans(m, goroutineScopes) };
  }
  if ((m = /^(goroutine) (\d+) (\[[^\]]+\])(:)$/d.exec(text))) {
    return { kind: 'traceback-goroutine', line: scope('meta.goroutine'), spans: groupSpans(m, goroutineScopes) };
  }
  const functionScopes = [scope('entity.name.function'), scope('meta.arguments')];
  if ((m = /^ {2}(\S+?)(\(\))$/d.exec(text))) return { kind: 'function', line: scope('meta.frame.function'), spans: groupSpans(m, functionScopes) };
  if (inTraceback && (m = /^(\S+?)(\([^()]*\))$/d.exec(text))) {
    return { kind: 'traceback-function', line: scope('meta.frame.function'), spans: groupSpans(m, functionScopes) };
  }
  if (inTraceback && (m = /^(created by) (\S+) (in goroutine) (\d+)$/d.exec(text))) {
    const scopes = ['keyword.other.created-by', 'entity.name.function', 'keyword.other.goroutine', 'constant.numeric.goroutine'];
    return { kind: 'created-by', line: scope('meta.frame.created-by'), spans: groupSpans(m, scopes.map(scope)) };
  }
  if ((m = /^\s+(\S+\.(?:go|s)|<autogenerated>)(:)(\d+)(?: (\+0x[0-9a-f]+))?$/d.exec(text))) {
    const scopes = ['markup.underline.link.file', 'punctuation.separator', 'constant.numeric.line', 'constant.numeric.offset'];
    return { kind: 'frame', line: scope('meta.frame.location'), spans: groupSpans(m, scopes.map(scope)) };
  }
  if ((m = /^\s*(--- FAIL:) (\S+)(?: \([\d.]+s\))?$/d.exec(text))) {
    return { kind: 'test-fail', spans: groupSpans(m, [scope('invalid.illegal.fail'), scope('entity.name.function.test')]) };
  }
  if ((m = /^\s*(--- (?:PASS|SKIP):) (\S+)(?: \([\d.]+s\))?$/d.exec(text))) {
    return { kind: 'test-pass', spans: groupSpans(m, [scope('keyword.other.pass'), scope('entity.name.function.test')]) };
  }
  if ((m = /^(=== (?:RUN|CONT|NAME|PAUSE)) +(\S+)$/d.exec(text))) {
    return { kind: 'test-run', spans: groupSpans(m, [scope('keyword.other.run'), scope('entity.name.function.test')]) };
  }
  if ((m = /^(?:\s+\w+\.go:\d+: |testing: )(race detected (?:during execution of test|outside of test execution))$/d.exec(text))) {
    return { kind: 'race-detected', spans: groupSpans(m, [scope('invalid.illegal.race-detected')]) };
  }
  if (/^Found \d+ data race\(s\)$/.test(text)) return { kind: 'found', line: scope('invalid.illegal.found'), spans: [] };
  if ((m = /^(FAIL|ok)(?:$|\s)/d.exec(text))) return { kind: 'result', spans: groupSpans(m, [scope('keyword.other.result')]) };
  return { kind: 'other', spans: [] };
}

function expectedScopes(text: string, expected: Expected): string[] {
  return Array.from(text, (_, i) => {
    const scopes = expected.line ? [expected.line] : [];
    for (const [start, end, name] of expected.spans) if (i >= start && i < end) scopes.push(name);
    return scopes.join(' ');
  });
}

/**
 * Asserts every line's scopes character by character, with a CI timestamp before every line if `timestamped`;
 * returns how many lines of each kind the log has.
 */
function assertScopedByKind(grammar: GrammarUnderTest, log: string, name: string, timestamped = false): Map<Kind, number> {
  const lines = logLines(log, timestamped);
  const fullLines = lines.map(({ prefix, text }) => prefix + text);
  const actual = tokenize(grammar, fullLines);
  const kinds = new Map<Kind, number>();
  let inTraceback = false;
  lines.forEach((line, i) => {
    const expected = classify(line.text, inTraceback);
    inTraceback = expected.kind === 'traceback-goroutine' || (inTraceback && line.text !== '');
    kinds.set(expected.kind, (kinds.get(expected.kind) ?? 0) + 1);
    const want = expectedLineScopes(line, expected);
    const full = fullLines[i];
    const got = Array.from(full, (_, c) => actual[i][c] ?? '');
    const first = want.findIndex((scopes, c) => scopes !== got[c]);
    assert.ok(
      first < 0,
      `${name} line ${i + 1} (${expected.kind}) ${JSON.stringify(full)}: at column ${first} (${JSON.stringify(full.slice(first))}) ` +
        `scopes are "${got[first]}", expected "${want[first]}"`,
    );
  });
  return kinds;
}

function assertKindsSeen(kinds: Map<Kind, number>, required: Kind[], name: string): void {
  const missing = required.filter((k) => !kinds.get(k));
  assert.deepStrictEqual(missing, [], `${name} has no lines of these kinds (seen: ${JSON.stringify([...kinds])})`);
}

/** The test output a go test -json stream carries: the Output fields of its events, in order. */
function outputOfJsonEvents(log: string): string {
  return documentLines(log)
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { Output?: string }).Output ?? '')
    .join('');
}

const REPORT_KINDS: Kind[] = ['delimiter', 'warning', 'access', 'goroutine', 'function', 'frame'];

/** Asserts a raw go test -json log's lines: unscoped but for the race detected phrase (and a CI timestamp). */
function assertRawJsonEventsScoped(grammar: GrammarUnderTest, log: string, timestamped: boolean): void {
  const lines = logLines(log, timestamped);
  const actual = tokenize(grammar, lines.map(({ prefix, text }) => prefix + text));
  let phrases = 0;
  lines.forEach((line, i) => {
    const spans: Span[] = [...line.text.matchAll(/race detected (?:during execution of test|outside of test execution)/g)].map(
      (m) => [m.index!, m.index! + m[0].length, scope('invalid.illegal.race-detected')],
    );
    phrases += spans.length;
    const want = expectedLineScopes(line, { kind: 'other', spans });
    const got = Array.from(line.prefix + line.text, (_, c) => actual[i][c] ?? '');
    assert.deepStrictEqual(got, want, `go test -json line ${i + 1}: ${line.prefix}${line.text}`);
  });
  assert.ok(phrases > 0, 'the -json log has no race detected line');
  assert.ok(lines.some((l) => l.text.includes('WARNING: DATA RACE')), 'the -json log has no race report');
}

describe('go-race-log TextMate grammar on real race-detector output', function () {
  let runs: RaceRuns;
  let grammar: GrammarUnderTest;

  before(async () => {
    [runs, grammar] = await Promise.all([raceRuns(), loadGrammarAsVsCodeDoes()]);
  });

  it('scopes every line of go test -race output by its kind, including the runtime traceback of a map fatal error', () => {
    const kinds = assertScopedByKind(grammar, runs.plain.log, 'go test -race');
    assertKindsSeen(kinds, [
      ...REPORT_KINDS, 'fatal', 'traceback-goroutine', 'traceback-function', 'created-by', 'test-fail', 'race-detected', 'result', 'other',
    ], 'go test -race');
  });

  it('scopes every line of go run -race output by its kind; the program\'s own output stays unscoped', () => {
    const kinds = assertScopedByKind(grammar, runs.program.log, 'go run -race');
    assertKindsSeen(kinds, [...REPORT_KINDS, 'found', 'other'], 'go run -race');
  });

  it('scopes the test output carried by go test -race -json events like plain output; === RUN lines only as test status', () => {
    const kinds = assertScopedByKind(grammar, outputOfJsonEvents(runs.json.log), 'go test -race -json output');
    assertKindsSeen(kinds, [...REPORT_KINDS, 'test-run', 'test-fail', 'test-pass', 'race-detected', 'result'], 'go test -race -json output');
    const clean = assertScopedByKind(grammar, outputOfJsonEvents(runs.clean.log), 'clean go test -race -json output');
    assertKindsSeen(clean, ['test-run', 'test-pass', 'result'], 'clean go test -race -json output');
    for (const kind of REPORT_KINDS) assert.strictEqual(clean.get(kind), undefined, `a run without races has ${kind} lines`);
  });

  it('leaves raw go test -json event lines unscoped but for the race detected phrase (their frames are links instead)', () => {
    assertRawJsonEventsScoped(grammar, runs.json.log, false);
  });

  describe('with a CI timestamp before every line', () => {
    it('scopes the timestamp as a comment and the rest of every go test -race line as without it', () => {
      const kinds = assertScopedByKind(grammar, runs.plain.log, 'timestamped go test -race', true);
      assertKindsSeen(kinds, [
        ...REPORT_KINDS, 'fatal', 'traceback-goroutine', 'traceback-function', 'created-by', 'test-fail', 'race-detected', 'result', 'other',
      ], 'timestamped go test -race');
    });

    it('scopes the timestamp as a comment and the rest of every go run -race line as without it', () => {
      const kinds = assertScopedByKind(grammar, runs.program.log, 'timestamped go run -race', true);
      assertKindsSeen(kinds, [...REPORT_KINDS, 'found', 'other'], 'timestamped go run -race');
    });

    it('scopes the timestamp as a comment and the rest of every line of go test -race -json output as without it', () => {
      const kinds = assertScopedByKind(grammar, outputOfJsonEvents(runs.json.log), 'timestamped go test -race -json output', true);
      assertKindsSeen(kinds, [...REPORT_KINDS, 'test-run', 'test-fail', 'test-pass', 'race-detected', 'result'], 'timestamped go test -race -json output');
      const clean = assertScopedByKind(grammar, outputOfJsonEvents(runs.clean.log), 'timestamped clean go test -race -json output', true);
      assertKindsSeen(clean, ['test-run', 'test-pass', 'result'], 'timestamped clean go test -race -json output');
    });

    it('scopes the timestamp as a comment before raw go test -json event lines and leaves the rest as without it', () => {
      assertRawJsonEventsScoped(grammar, runs.json.log, true);
    });
  });
});
