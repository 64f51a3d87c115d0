import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fieldTypesAnalyzer } from '../../../core/src/analysis/analyzers/fieldTypes';
import { ANALYZER_TEST_TARGETS, applyEdits, describeAnalyzer } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';

function vetErrors(dir: string, goarch: string): string[] {
  const r = spawnSync('go', ['vet', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0' } });
  return r.status === 0 ? [] : r.stderr.split('\n').filter((l) => /\.go:\d+:\d+/.test(l));
}

describeAnalyzer(fieldTypesAnalyzer, ({ engine, fixture }) => {
  it('flags what does not compile on some target; after its fixes the fixture compiles on all four', () => {
    assert.ok(vetErrors(fixture, '386').length > 0, 'the fixture really fails on 386');
    const text = fs.readFileSync(path.join(fixture, 'stat_linux.go'), 'utf8');
    const root = writeModule({ 'go.mod': 'module example.com/fieldtype\n\ngo 1.26\n', 'stat_linux.go': text });
    const file = path.join(root, 'stat_linux.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [fieldTypesAnalyzer]);
    assert.ok(!('error' in findings));
    const fixed = applyEdits(text, findings.flatMap((f) => f.fixes![0].edits));
    assert.match(fixed, /var n uint64 = uint64\(st\.Nlink\)/);
    fs.writeFileSync(file, fixed);
    for (const goarch of ['amd64', 'arm64', '386', 'arm']) assert.deepStrictEqual(vetErrors(root, goarch), [], goarch);
  });
});
