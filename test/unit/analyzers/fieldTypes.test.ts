import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fieldTypesAnalyzer } from '../../../core/src/analysis/analyzers/fieldTypes';
import { ANALYZER_TEST_TARGETS, applyEdits, describeAnalyzer } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';

/** `file:line` of every compile error of the package for linux/GOARCH (all of them: -gcflags=-e). */
function compileErrorLines(dir: string, goarch: string): string[] {
  const r = spawnSync('go', ['build', '-gcflags=-e', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' } });
  const lines = r.stderr.split('\n').map((l) => /^\.?\/?([\w.]+\.go):(\d+):\d+: /.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  return [...new Set(lines.map((m) => `${m[1]}:${m[2]}`))].sort();
}

function vetErrors(dir: string, goarch: string): string[] {
  const r = spawnSync('go', ['vet', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0' } });
  return r.status === 0 ? [] : r.stderr.split('\n').filter((l) => /\.go:\d+:\d+/.test(l));
}

describeAnalyzer(fieldTypesAnalyzer, ({ engine, fixture }) => {
  it('flags what does not compile on some target; after its fixes the fixture compiles on all four', () => {
    assert.ok(vetErrors(fixture, '386').length > 0, 'the fixture really fails on 386');
    const text = fs.readFileSync(path.join(fixture, 'stat_linux.go'), 'utf8');
    const root = writeModule({ 'go.mod': 'module example.com/fieldtype\n\ngo 1.26\n', 'stat_linux.go': text });
    // iovec_linux.go's writes have no portable fix (see the compiler test below); this test fixes the reads.
    const file = path.join(root, 'stat_linux.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [fieldTypesAnalyzer]);
    assert.ok(!('error' in findings));
    const fixed = applyEdits(text, findings.flatMap((f) => f.fixes![0].edits));
    assert.match(fixed, /var n uint64 = uint64\(st\.Nlink\)/);
    fs.writeFileSync(file, fixed);
    for (const goarch of ['amd64', 'arm64', '386', 'arm']) assert.deepStrictEqual(vetErrors(root, goarch), [], goarch);
  });

  it('flags exactly the lines the compiler rejects, per target (linux/mips too: Stat_t.Dev is uint32 there)', () => {
    const targets = [...ANALYZER_TEST_TARGETS, { goos: 'linux', goarch: 'mips' }];
    const root = writeModule(Object.fromEntries(fs.readdirSync(fixture).map((n) => [n, fs.readFileSync(path.join(fixture, n), 'utf8')])));
    const flagged = new Map<string, Set<string>>(targets.map((t) => [t.goarch, new Set()]));
    for (const name of fs.readdirSync(root).filter((n) => n.endsWith('.go'))) {
      const findings = engine().analyzeFile(path.join(root, name), targets, [fieldTypesAnalyzer]);
      assert.ok(!('error' in findings));
      for (const f of findings) {
        const failing = /which does not compile on ([^:]+)/.exec(f.message)![1].split(', ');
        for (const t of failing) flagged.get(t.split('/')[1])!.add(`${name}:${f.range.start.line + 1}`);
      }
    }
    for (const { goarch } of targets) assert.deepStrictEqual(compileErrorLines(root, goarch), [...flagged.get(goarch)!].sort(), goarch);
  });
});
