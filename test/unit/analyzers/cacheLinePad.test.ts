import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../../cli/src/main';
import { cacheLinePad } from '../../../core/src/analysis/analyzers/cacheLinePad';
import { ANALYZER_TEST_TARGETS, applyEdits, checkFixtures, describeAnalyzer } from '../../support/analysistest';
import { compilerRejects } from '../../support/compilerCheck';
import { writeModule } from '../../support/goModule';
import { ensureXSys } from '../../support/xsys';

describeAnalyzer(cacheLinePad, ({ engine, fixture }) => {
  before(() => ensureXSys());

  it('offers cpu.CacheLinePad, with its import, where the module requires x/sys; every fix builds and holds on every target', () => {
    const files = Object.fromEntries(['go.mod', 'go.sum', 'pads.go', 'uses_xsys.go'].map((f) => [f, fs.readFileSync(path.join(fixture, f), 'utf8')]));
    const root = writeModule(files);
    const file = path.join(root, 'pads.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [cacheLinePad]);
    assert.ok(!('error' in findings));
    assert.strictEqual(findings.length, 7);
    for (const finding of findings) {
      assert.strictEqual(finding.fixes?.length, 1, finding.message);
      assert.match(finding.fixes![0].title, /^Pad with cpu\.CacheLinePad/);
    }
    // Apply the fixes one at a time, as a user would, re-analysing after each.
    for (let applied = 0; applied < 7; applied++) {
      const next = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [cacheLinePad]);
      assert.ok(!('error' in next) && next.length === 7 - applied);
      fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), next[0].fixes![0].edits));
      engine().invalidate(file);
    }
    const fixed = fs.readFileSync(file, 'utf8');
    assert.match(fixed, /import "golang.org\/x\/sys\/cpu"/);
    assert.doesNotMatch(fixed, /"unsafe"/, 'the import only a pad used goes with it');
    assert.match(fixed, /\thits {3}uint64\n\t_ {6}cpu\.CacheLinePad \/\/ want/);
    for (const target of ANALYZER_TEST_TARGETS) {
      assert.strictEqual(compilerRejects(root, 'cachelinepad', target.goos, target.goarch, []), undefined, target.goarch);
    }
    assert.deepStrictEqual(engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [cacheLinePad]), []);
  });

  it('explains instead of fixing where the module does not require x/sys', () => {
    const root = writeModule({
      'go.mod': 'module example.com/plain\n\ngo 1.26\n',
      'p.go': 'package plain\n\ntype counters struct {\n\thits uint64\n\t_    [56]byte\n\tmiss uint64\n}\n',
    });
    const findings = engine().analyzeFile(path.join(root, 'p.go'), ANALYZER_TEST_TARGETS, [cacheLinePad]);
    assert.ok(!('error' in findings));
    assert.strictEqual(findings.length, 1);
    assert.strictEqual(findings[0].fixes, undefined);
    assert.match(findings[0].message, /golang\.org\/x\/sys\/cpu\.CacheLinePad pads each target's own line, but this module does not require golang\.org\/x\/sys$/);
  });

  it('judges the configured targets only: with amd64 and 386, just the word-size pad differs', () => {
    const sixtyFourByteLines = ['amd64', '386'].map((goarch) => ({ goos: 'linux', goarch }));
    const findings = checkFixtures(engine(), cacheLinePad, fixture, ANALYZER_TEST_TARGETS);
    assert.ok(findings.length > 0);
    const onlyAmd64And386 = engine().analyzeFile(path.join(fixture, 'pads.go'), sixtyFourByteLines, [cacheLinePad]);
    assert.ok(!('error' in onlyAmd64And386));
    // wordThenPad still differs between them (64 vs 60 B); the others hold on both.
    assert.deepStrictEqual(onlyAmd64And386.map((f) => f.range.start.line + 1), [15]);
  });

  it('runs from the CLI by name and reports as SARIF rule GAL1007, with the fix as a replacement', async () => {
    let out = '';
    const io = { out: (t: string) => { out += t + '\n'; }, err: () => undefined, write: async (c: string) => { out += c; } };
    const code = await main(['check', '--analyzers', 'cachelinepad', '--format', 'sarif', path.join(fixture, 'pads.go')], io);
    assert.strictEqual(code, 1);
    const run = JSON.parse(out).runs[0];
    assert.deepStrictEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['GAL1007']);
    assert.strictEqual(run.results.length, 7);
    assert.ok(run.results.every((r: { ruleId: string; fixes?: unknown[] }) => r.ruleId === 'GAL1007' && r.fixes?.length === 1));
  });
});
