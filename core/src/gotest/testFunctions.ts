// The functions `go test` runs in a _test.go file (tests, benchmarks, fuzz targets, examples), and the `go test`
// flags that select exactly one of them. Read from the text rather than the syntax tree: gofmt puts every top-level
// `func` at the start of a line and its closing brace alone in column 0, and the CodeLens and "test under the
// cursor" features must work in files too broken to parse.

export type TestKind = 'test' | 'benchmark' | 'fuzz' | 'example';

export interface TestFunction {
  name: string;
  kind: TestKind;
  /** 0-based line of the `func` keyword. */
  line: number;
  /** 0-based columns of the name on that line, [nameStart, nameEnd). */
  nameStart: number;
  nameEnd: number;
  /** 0-based line of the closing brace in column 0 (the last line of the file when there is none). */
  endLine: number;
}

const KIND_OF_PREFIX: [string, TestKind][] = [['Test', 'test'], ['Benchmark', 'benchmark'], ['Fuzz', 'fuzz'], ['Example', 'example']];
// `func Name(` without a receiver or type parameters; the name is checked against go test's rule below.
const TOP_LEVEL_FUNC = /^func\s+([\p{L}_][\p{L}\p{N}_]*)\s*\(/u;

/**
 * go test's rule: the prefix alone, or the prefix followed by a character that is not a lower-case letter
 * (`TestFoo`, `Test_foo`, `Test`, but not `Testify`). TestMain is go test's entry point, not a test to select.
 */
function kindOf(name: string): TestKind | null {
  if (name === 'TestMain') return null;
  for (const [prefix, kind] of KIND_OF_PREFIX) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (rest === '' || !/^\p{Ll}/u.test(rest)) return kind;
  }
  return null;
}

export function isTestFile(fileName: string): boolean {
  return /_test\.go$/.test(fileName);
}

/** Test functions in the text of a _test.go file, in source order. */
export function findTestFunctions(source: string): TestFunction[] {
  const lines = source.split(/\r?\n/);
  const found: TestFunction[] = [];
  for (let line = 0; line < lines.length; line++) {
    const match = TOP_LEVEL_FUNC.exec(lines[line]);
    const kind = match ? kindOf(match[1]) : null;
    if (!match || !kind) continue;
    const nameStart = lines[line].indexOf(match[1], 'func'.length);
    found.push({ name: match[1], kind, line, nameStart, nameEnd: nameStart + match[1].length, endLine: closingLine(lines, line) });
  }
  return found;
}

function closingLine(lines: string[], funcLine: number): number {
  if (lines[funcLine].trimEnd().endsWith('}')) return funcLine; // one-line function
  for (let line = funcLine + 1; line < lines.length; line++) {
    if (lines[line].startsWith('}')) return line;
    if (lines[line].startsWith('func ')) return line - 1; // unterminated: ends before the next function
  }
  return lines.length - 1;
}

/** The test function whose lines contain a 0-based line, or null. */
export function testFunctionAt(functions: TestFunction[], line: number): TestFunction | null {
  return functions.find((f) => f.line <= line && line <= f.endLine) ?? null;
}

/** A -run/-bench pattern matching this name only (names hold no regexp metacharacters but `_` and letters). */
function exactly(name: string): string {
  return `^${name}$`;
}

/**
 * `go test` flags that run only this function. Benchmarks need `-run ^$` so that no test runs with them, and
 * `-bench` to run at all; fuzz targets run on their seed corpus (fuzzing itself needs `-fuzz`, not wanted here).
 */
export function goTestSelection(fn: Pick<TestFunction, 'name' | 'kind'>): string[] {
  if (fn.kind === 'benchmark') return ['-run', '^$', '-bench', exactly(fn.name)];
  return ['-run', exactly(fn.name)];
}
