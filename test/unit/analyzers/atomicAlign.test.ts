import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { atomicAlign } from '../../../core/src/analysis/analyzers/atomicAlign';
import { compilerRejects } from '../../support/compilerCheck';
import { ANALYZER_TEST_TARGETS, applyEdits, describeAnalyzer } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';

describeAnalyzer(atomicAlign, ({ engine, fixture }) => {
  it('is silent when no 32-bit target is configured', () => {
    const findings = engine().analyzeFile(path.join(fixture, 'counters.go'), ANALYZER_TEST_TARGETS.slice(0, 2), [atomicAlign]);
    assert.deepStrictEqual(findings, []);
  });

  it('the offsets it reports are the compiler\'s', () => {
    const claims = [{ expr: 'unsafe.Offsetof(Stats{}.hits)', value: 4 }, { expr: 'unsafe.Offsetof(Stats{}.total)', value: 12 }];
    for (const goarch of ['386', 'arm']) {
      const copy = writeModule(Object.fromEntries(fs.readdirSync(fixture).map((f) => [f, fs.readFileSync(path.join(fixture, f), 'utf8')])));
      assert.strictEqual(compilerRejects(copy, 'atomicalign32', 'linux', goarch, claims), undefined);
    }
  });

  it('fixes: moving the field first keeps its comment, and atomic.Int64 rewrites the calls; both compile', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'c.go': 'package m\n\nimport "sync/atomic"\n\ntype C struct {\n\ton bool\n\t// n counts.\n\tn int64 // trailing\n}\n\nfunc (c *C) Inc() int64 {\n\tatomic.AddInt64(&c.n, 2)\n\treturn atomic.LoadInt64(&c.n)\n}\n',
    });
    const file = path.join(root, 'c.go');
    const original = fs.readFileSync(file, 'utf8');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [atomicAlign]);
    assert.ok(!('error' in findings) && findings.length === 2);
    const [move, wrap] = findings[0].fixes!;
    const moved = applyEdits(original, move.edits);
    assert.match(moved, /type C struct \{\n\t\/\/ n counts\.\n\tn int64 \/\/ trailing\n\ton bool\n\}/);
    const wrapped = applyEdits(original, wrap.edits);
    assert.match(wrapped, /\tn atomic\.Int64 \/\/ trailing/);
    assert.match(wrapped, /c\.n\.Add\(2\)\n\treturn c\.n\.Load\(\)/);
    for (const fixed of [moved, wrapped]) {
      fs.writeFileSync(file, fixed);
      engine().invalidate(file);
      assert.strictEqual(compilerRejects(root, 'm', 'linux', '386', []), undefined);
      const after = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [atomicAlign]);
      assert.deepStrictEqual(after, [], 'no finding once fixed');
    }
  });
});
