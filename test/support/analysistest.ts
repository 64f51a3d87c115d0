import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import type { Analyzer } from '../../core/src/analysis/pass';
import type { Finding, TextEdit } from '../../core/src/analysis/finding';
import { Engine } from '../../core/src/engine';
import { realGoEnv } from './goModule';

/** The targets analyzer tests use unless they say otherwise: the extension's defaults. */
export const ANALYZER_TEST_TARGETS: Target[] = ['amd64', 'arm64', '386', 'arm'].map((goarch) => ({ goos: 'linux', goarch }));

/** Folder of an analyzer's Go fixture module, test/fixtures/analysis/<name>. */
export function fixtureDir(name: string): string {
  return path.join(__dirname, '../../../test/fixtures/analysis', name);
}

/**
 * Declares an analyzer's suite: an engine on the real toolchain, the analysistest-style check of its fixture,
 * and whatever further tests `more` adds (given the engine and the fixture folder).
 */
export function describeAnalyzer(analyzer: Analyzer, more: (ctx: { engine: () => Engine; fixture: string }) => void): void {
  describe(`analyzer ${analyzer.name}`, function () {
    this.timeout(120000);
    let engine: Engine;
    const fixture = fixtureDir(analyzer.name);
    before(async () => {
      engine = await Engine.create(realGoEnv());
    });
    it('flags exactly the // want lines of its fixture', () => {
      checkFixtures(engine, analyzer, fixture, ANALYZER_TEST_TARGETS);
    });
    more({ engine: () => engine, fixture });
  });
}

/**
 * Expectations written in fixtures the way golang.org/x/tools' analysistest reads them: a comment
 * `// want "regexp" "regexp"` on a line means each regexp must match one finding reported on that line; a line
 * without one must have no finding.
 */
export function wantsIn(text: string): Map<number, RegExp[]> {
  const wants = new Map<number, RegExp[]>();
  text.split('\n').forEach((line, index) => {
    const m = /\/\/ want (.*)$/.exec(line);
    if (!m) return;
    const patterns = [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`/g)].map((p) => new RegExp(p[2] ?? JSON.parse(`"${p[1]}"`)));
    wants.set(index, patterns);
  });
  return wants;
}

/** Runs `analyzer` over every .go file of a fixture module and checks findings against `// want` comments. */
export function checkFixtures(engine: Engine, analyzer: Analyzer, fixtureDir: string, targets: Target[]): Finding[] {
  const all: Finding[] = [];
  const files = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.go')).map((f) => path.join(fixtureDir, f));
  assert.ok(files.length > 0, `no Go files in ${fixtureDir}`);
  for (const file of files) {
    const findings = engine.analyzeFile(file, targets, [analyzer]);
    if ('error' in findings) assert.fail(findings.error);
    all.push(...findings);
    const wants = wantsIn(fs.readFileSync(file, 'utf8'));
    const byLine = new Map<number, Finding[]>();
    for (const f of findings) byLine.set(f.range.start.line, [...(byLine.get(f.range.start.line) ?? []), f]);
    const rel = path.relative(fixtureDir, file);
    for (const [line, found] of byLine) {
      const patterns = [...(wants.get(line) ?? [])];
      for (const f of found) {
        const i = patterns.findIndex((p) => p.test(f.message));
        assert.ok(i >= 0, `${rel}:${line + 1}: unexpected finding: ${f.message}`);
        patterns.splice(i, 1);
      }
      assert.deepStrictEqual(patterns, [], `${rel}:${line + 1}: expected findings not reported: ${patterns.join(', ')}`);
    }
    for (const [line, patterns] of wants) {
      assert.ok(byLine.has(line), `${rel}:${line + 1}: expected a finding matching ${patterns.join(', ')}; got none`);
    }
  }
  return all;
}

/** Applies edits (all to one file) to its text, last first so earlier ranges stay valid. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
