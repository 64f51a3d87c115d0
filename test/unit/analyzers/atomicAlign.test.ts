import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { atomicAlign } from '../../../core/src/analysis/analyzers/atomicAlign';
import { compilerRejects } from '../../support/compilerCheck';
import { ANALYZER_TEST_TARGETS, applyEdits, describeAnalyzer } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';
import type { Engine } from '../../../core/src/engine';
import type { Finding, Fix } from '../../../core/src/analysis/finding';

const COMPILE_ARCHES = ['386', 'arm', 'amd64'];

/** Copies a fixture module's files into a throw-away module. */
function copyOf(dir: string): string {
  return writeModule(Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])));
}

/** Applies a fix (edits may span files) on disk; returns a function that puts the files back. */
function applyOnDisk(fix: Fix): () => void {
  const originals = new Map<string, string>();
  for (const file of new Set(fix.edits.map((e) => e.file))) {
    const text = fs.readFileSync(file, 'utf8');
    originals.set(file, text);
    fs.writeFileSync(file, applyEdits(text, fix.edits.filter((e) => e.file === file)));
  }
  return () => originals.forEach((text, file) => fs.writeFileSync(file, text));
}

/** Analyzes `file` and asserts that every fix offered leaves its package compiling for 386, arm and amd64. */
function everyFixCompiles(engine: Engine, root: string, pkg: string, file: string): Finding[] {
  const findings = engine.analyzeFile(file, ANALYZER_TEST_TARGETS, [atomicAlign]);
  if ('error' in findings) assert.fail(findings.error);
  for (const finding of findings) {
    for (const fix of finding.fixes ?? []) {
      const restore = applyOnDisk(fix);
      try {
        for (const goarch of COMPILE_ARCHES) {
          const rejected = compilerRejects(root, pkg, 'linux', goarch, []);
          assert.strictEqual(rejected, undefined, `"${fix.title}" (finding at line ${finding.range.start.line + 1}) breaks GOARCH=${goarch}`);
        }
      } finally {
        restore();
      }
    }
  }
  return findings;
}

const wrapperFixes = (f: Finding) => (f.fixes ?? []).filter((x) => x.title.startsWith('Use atomic.'));

describeAnalyzer(atomicAlign, ({ engine, fixture }) => {
  before(() => {
    // wrappers.go needs go.uber.org/atomic v1.10.0 (from the module proxy) in the module cache.
    const r = spawnSync('go', ['mod', 'download'], { cwd: fixture, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
  });

  it('is silent when no 32-bit target is configured', () => {
    const findings = engine().analyzeFile(path.join(fixture, 'counters.go'), ANALYZER_TEST_TARGETS.slice(0, 2), [atomicAlign]);
    assert.deepStrictEqual(findings, []);
  });

  it('the offsets it reports are the compiler\'s', () => {
    const claims = [
      { expr: 'unsafe.Offsetof(Stats{}.hits)', value: 4 }, { expr: 'unsafe.Offsetof(Stats{}.total)', value: 12 },
      // nested.go: absolute offsets from the outermost struct, and array strides.
      { expr: '(unsafe.Offsetof(Outer{}.inner)+unsafe.Offsetof(Inner{}.n))', value: 4 },
      { expr: '(unsafe.Offsetof(Outer{}.inner)+unsafe.Offsetof(Inner{}.m))', value: 12 },
      { expr: 'unsafe.Offsetof(Embeds{}.n)', value: 4 }, { expr: 'unsafe.Offsetof(Embeds{}.m)', value: 12 },
      { expr: 'unsafe.Offsetof(Middle{}.inner)', value: 4 },
      { expr: 'unsafe.Offsetof(Good{}.inner)', value: 8 }, { expr: 'unsafe.Offsetof(EmbedsFirst{}.m)', value: 8 },
      { expr: '(unsafe.Offsetof(Deep{}.mid)+unsafe.Offsetof(Middle{}.inner))', value: 8 },
      { expr: 'unsafe.Sizeof(Pair{})', value: 12 }, { expr: 'unsafe.Offsetof(Pair{}.n)', value: 0 },
      { expr: 'unsafe.Sizeof(Inner{})', value: 16 }, { expr: 'unsafe.Offsetof(Table{}.rows)', value: 4 },
      { expr: 'unsafe.Offsetof(Ledger{}.rows)', value: 0 },
      // wrappers.go: go.uber.org/atomic v1.10.0's Int64/Uint64 hold their word first and are 4-aligned on 32-bit.
      { expr: 'unsafe.Offsetof(headOptions{}.window)', value: 4 }, { expr: 'unsafe.Offsetof(headOptions{}.samples)', value: 12 },
      { expr: 'unsafe.Alignof(headOptions{}.window)', value: 4 },
      // nested.go: types only ever embedded, offsets counted from the embedding struct.
      { expr: 'unsafe.Offsetof(reporter{}.count)', value: 4 },
      { expr: '(unsafe.Offsetof(progressReporter{}.reporter)+unsafe.Offsetof(reporter{}.count))', value: 16 },
      { expr: '(unsafe.Offsetof(badProgress{}.badReporter)+unsafe.Offsetof(badReporter{}.count))', value: 12 },
      { expr: '(unsafe.Offsetof(fieldProgress{}.reporter)+unsafe.Offsetof(fieldReporter{}.bytes))', value: 12 },
      { expr: 'unsafe.Offsetof(pointedReporter{}.sent)', value: 4 },
    ];
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

  it('every fix offered on the fixture leaves the package compiling on 386, arm and amd64', () => {
    const root = copyOf(fixture);
    const findings = everyFixCompiles(engine(), root, 'atomicalign32', path.join(root, 'counters.go'));
    assert.ok(findings.some((f) => (f.fixes ?? []).length > 0), 'the fixture offers fixes');
    // Stats.hits is also used through a variable whose type is not written down: no proof, so no atomic.Int64 fix.
    for (const f of findings.filter((x) => /Stats\.hits/.test(x.message))) assert.deepStrictEqual(wrapperFixes(f), []);
    const total = findings.find((x) => /Stats\.total/.test(x.message))!;
    assert.deepStrictEqual(wrapperFixes(total).map((x) => x.preferred), [true]);
  });

  it('atomic.Int64 rewrites the field\'s calls on every variable of the type in the file', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'c.go': 'package m\n\nimport "sync/atomic"\n\ntype C struct {\n\ton bool\n\tn  int64\n}\n\nvar g C\n\n' +
        'func (c *C) Inc() { atomic.AddInt64(&c.n, 1) }\n\nfunc G() int64 {\n\tvar local C\n\tatomic.StoreInt64(&local.n, 2)\n' +
        '\treturn atomic.LoadInt64(&g.n) + atomic.LoadInt64(&local.n)\n}\n',
    });
    const file = path.join(root, 'c.go');
    const findings = everyFixCompiles(engine(), root, 'm', file);
    assert.strictEqual(findings.length, 4);
    const wrap = wrapperFixes(findings[0]);
    assert.strictEqual(wrap.length, 1);
    assert.ok(wrap[0].preferred);
    const fixed = applyEdits(fs.readFileSync(file, 'utf8'), wrap[0].edits);
    assert.match(fixed, /c\.n\.Add\(1\)/);
    assert.match(fixed, /local\.n\.Store\(2\)/);
    assert.match(fixed, /return g\.n\.Load\(\) \+ local\.n\.Load\(\)/);
    fs.writeFileSync(file, fixed);
    engine().invalidate(file);
    assert.deepStrictEqual(engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [atomicAlign]), [], 'no finding once fixed');
  });

  const header = 'package m\n\nimport "sync/atomic"\n\ntype C struct {\n\ton bool\n\tn  int64\n\tN  int64\n}\n\nfunc (c *C) Inc() { atomic.AddInt64(&c.n, 1); atomic.AddInt64(&c.N, 1) }\n';
  const refusals: { why: string; extra: string; other?: string; moveToo?: boolean }[] = [
    { why: 'a plain increment of the field', extra: 'func plain(c *C) { c.n++ }\n' },
    { why: 'the field\'s address taken for something else', extra: 'func addr(c *C) *int64 { return &c.n }\n' },
    { why: 'a call on the field in another file of the package', extra: '', other: 'package m\n\nimport "sync/atomic"\n\nvar g C\n\nfunc G() { atomic.AddInt64(&g.n, 1) }\n' },
    { why: 'a keyed composite literal setting the field', extra: 'var lit = C{n: 1}\n' },
    { why: 'an unkeyed composite literal (moving fields breaks it too)', extra: 'var lit = []C{{true, 1, 2}}\n', moveToo: true },
    { why: 'a variable whose type is not written down', extra: 'func unknown(f func() *C) { x := f(); atomic.AddInt64(&x.n, 1) }\n' },
    { why: 'the field promoted through an embedding struct', extra: 'type Outer struct{ C }\n\nfunc outer(o *Outer) { atomic.AddInt64(&o.n, 1) }\n' },
  ];
  for (const { why, extra, other, moveToo } of refusals) {
    it(`offers no atomic.Int64 fix, and only compiling fixes, when the package has ${why}`, () => {
      const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'c.go': header + extra, ...(other ? { 'other.go': other } : {}) });
      const findings = everyFixCompiles(engine(), root, 'm', path.join(root, 'c.go'));
      const onN = findings.filter((f) => / on C\.n,/.test(f.message));
      assert.ok(onN.length >= 1);
      for (const f of onN) {
        assert.deepStrictEqual(wrapperFixes(f), []);
        assert.strictEqual((f.fixes ?? []).length, moveToo ? 0 : 1, 'moving the field stays on offer unless a literal depends on the order');
      }
    });
  }

  it('offers both fixes when every literal of the type is keyed, even spread over several lines', () => {
    const keyed = 'func newC() *C {\n\treturn &C{\n\t\ton: true,\n\t}\n}\n\nvar cs = map[string]*C{"a": {\n\ton: false,\n}}\n';
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'c.go': header + keyed });
    const findings = everyFixCompiles(engine(), root, 'm', path.join(root, 'c.go'));
    const onN = findings.find((f) => / on C\.n,/.test(f.message))!;
    assert.deepStrictEqual((onN.fixes ?? []).map((x) => x.title.split(' ')[0]).sort(), ['Move', 'Use']);
  });

  it('offers no atomic.Int64 fix for an exported field, which other packages may use', () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'c.go': header });
    const findings = everyFixCompiles(engine(), root, 'm', path.join(root, 'c.go'));
    const onExported = findings.filter((f) => /C\.N,/.test(f.message));
    assert.strictEqual(onExported.length, 1);
    assert.deepStrictEqual(wrapperFixes(onExported[0]), []);
    assert.strictEqual(wrapperFixes(findings.find((f) => /C\.n,/.test(f.message))!).length, 1, 'the unexported one alone is fixable');
  });

  it('offers no move for an exported struct with only exported fields: other packages may list them by position', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'e.go': 'package m\n\nimport "sync/atomic"\n\ntype E struct {\n\tOn bool\n\tN  int64\n}\n\nfunc (e *E) Inc() { atomic.AddInt64(&e.N, 1) }\n\n' +
        'type e2 struct {\n\tOn bool\n\tN  int64\n}\n\nfunc (e *e2) Inc() { atomic.AddInt64(&e.N, 1) }\n',
    });
    const findings = everyFixCompiles(engine(), root, 'm', path.join(root, 'e.go'));
    assert.deepStrictEqual(findings.map((f) => [/ on (\w+)\./.exec(f.message)![1], (f.fixes ?? []).map((x) => x.title.split(' ')[0])]), [['E', []], ['e2', ['Move']]]);
  });

  it('on a real 386 the flagged operations of nested.go and wrappers.go (go.uber.org/atomic v1.10.0), and only those, panic', () => {
    const root = copyOf(fixture);
    const files = ['nested.go', 'wrappers.go'];
    const sources = files.map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
    const functions = sources.flatMap((source) => [...source.matchAll(/^func (\w+)\(\) \{$/gm)].map((m) => m[1]));
    assert.ok(functions.length >= 14);
    const calls = functions.map((f) => `\t\t{${JSON.stringify(f)}, ${f}},`).join('\n');
    fs.writeFileSync(path.join(root, 'zz_runtime_test.go'), `package atomicalign32

import "testing"

func panics(f func()) (p bool) {
\tdefer func() { p = recover() != nil }()
\tf()
\treturn false
}

func TestAlignmentPanics(t *testing.T) {
\tfor _, c := range []struct {
\t\tname string
\t\tf    func()
\t}{
${calls}
\t} {
\t\tt.Logf("RESULT %s %v", c.name, panics(c.f))
\t}
}
`);
    const run = spawnSync('go', ['test', '-count=1', '-v', '-run', '^TestAlignmentPanics$', '.'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: '386', CGO_ENABLED: '0' },
    });
    assert.ok(!/exec format error/.test(run.stderr + run.stdout), 'this machine cannot run linux/386 binaries, which this test runs the flagged code as');
    assert.strictEqual(run.status, 0, run.stderr + run.stdout);
    const panicked = new Map([...run.stdout.matchAll(/RESULT (\w+) (true|false)/g)].map((m) => [m[1], m[2] === 'true']));
    assert.strictEqual(panicked.size, functions.length, run.stdout);
    const flagged = new Set(files.flatMap((file, i) => {
      const findings = engine().analyzeFile(path.join(root, file), ANALYZER_TEST_TARGETS, [atomicAlign]);
      if ('error' in findings) assert.fail(findings.error);
      return findings.map((f) => enclosingFunction(sources[i].split('\n'), f.range.start.line));
    }));
    for (const fn of functions) assert.strictEqual(flagged.has(fn), panicked.get(fn), `${fn}: flagged ${flagged.has(fn)}, panicked on 386 ${panicked.get(fn)}`);
    assert.ok([...panicked.values()].some((p) => p) && [...panicked.values()].some((p) => !p));
  });
});

function enclosingFunction(lines: string[], line: number): string | undefined {
  for (let i = line; i >= 0; i--) {
    const m = /^func (\w+)/.exec(lines[i]);
    if (m) return m[1];
  }
  return undefined;
}
