import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { syscallNames } from '../../../core/src/analysis/analyzers/syscallNames';
import type { Finding } from '../../../core/src/analysis/finding';
import type { Target } from '../../../core/src/api';
import type { Engine } from '../../../core/src/engine';
import { ANALYZER_TEST_TARGETS, applyEdits, describeAnalyzer, wantsIn } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';
import { runOnTarget } from '../../support/runtimeProbe';
import { ensureXSys } from '../../support/xsys';

/**
 * `go` with `args` in `dir` for linux/goarch. `build` lists every undefined name with -gcflags=-e (vet only the
 * first; without -e the compiler stops after 10).
 */
function goFor(dir: string, goarch: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('go', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0' } });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

function build(dir: string, goarch: string): { ok: boolean; output: string } {
  return goFor(dir, goarch, ['build', '-gcflags=-e', '.']);
}

/** fixes.go with its test, in a module of their own (the fixture's other files do not build on arm64, fixed or not). */
function fixesModule(fixture: string, fixesGo: string): string {
  const copy = (name: string) => fs.readFileSync(path.join(fixture, name), 'utf8');
  return writeModule({ 'go.mod': copy('go.mod'), 'go.sum': copy('go.sum'), 'fixes.go': fixesGo, 'fixes_test.go': copy('fixes_test.go') });
}

/** fixes.go's findings for `targets`, with every fix applied: each finding must have exactly one. */
function fixAll(engine: Engine, fixture: string, targets: Target[]): { findings: Finding[]; fixed: string } {
  const file = path.join(fixture, 'fixes.go');
  const findings = engine.analyzeFile(file, targets, [syscallNames]);
  if ('error' in findings) assert.fail(findings.error);
  for (const f of findings) assert.strictEqual(f.fixes?.length, 1, f.message);
  return { findings, fixed: applyEdits(fs.readFileSync(file, 'utf8'), findings.flatMap((f) => f.fixes![0].edits)) };
}

/** Builds the package and its test in `dir` for linux/`goarch`; returns the test binary. */
function buildTest(dir: string, goarch: string): string {
  const binary = path.join(dir, `calls.${goarch}.test`);
  const built = goFor(dir, goarch, ['test', '-c', '-o', binary, '.']);
  assert.ok(built.ok, `${goarch}: ${built.output}`);
  return binary;
}

/** Runs the test of the module in `dir` on linux/`goarch` (qemu-user for other GOARCHes than the host's). */
function runTestOn(dir: string, goarch: string): void {
  assert.match(runOnTarget(buildTest(dir, goarch), goarch, dir), /^PASS$/m, goarch);
}

const targetsOf = (...goarchs: string[]): Target[] => goarchs.map((goarch) => ({ goos: 'linux', goarch }));

/** `file.go:line` of every `// want` line in the fixture's Go files (1-based lines, as the compiler writes them). */
function wantLines(fixture: string): string[] {
  return fs.readdirSync(fixture).filter((f) => f.endsWith('.go')).flatMap((f) =>
    [...wantsIn(fs.readFileSync(path.join(fixture, f), 'utf8')).keys()].map((line) => `${f}:${line + 1}`)).sort();
}

describeAnalyzer(syscallNames, ({ engine, fixture }) => {
  before(() => ensureXSys());

  it('flags what really does not compile: the fixture builds on amd64, and on arm64 fails exactly at the flagged lines', () => {
    assert.ok(build(fixture, 'amd64').ok);
    const arm64 = build(fixture, 'arm64');
    assert.ok(!arm64.ok);
    assert.match(arm64.output, /undefined: syscall\.SYS_OPEN/);
    assert.match(arm64.output, /undefined: unix\.SYS_OPEN\b/);
    const failing = [...arm64.output.matchAll(/^\.\/(\S+\.go):(\d+):\d+: undefined/gm)].map((m) => `${m[1]}:${m[2]}`).sort();
    assert.deepStrictEqual(failing, wantLines(fixture));
  });

  it('is right that x/sys has SYS_OPEN on amd64, 386 and arm only, and SYS_OPENAT everywhere', () => {
    const module = (use: string) => writeModule({
      'go.mod': fs.readFileSync(path.join(fixture, 'go.mod'), 'utf8'),
      'go.sum': fs.readFileSync(path.join(fixture, 'go.sum'), 'utf8'),
      'open.go': `package sysname\n\nimport "golang.org/x/sys/unix"\n\nvar _ = unix.${use}\n`,
    });
    const open = module('SYS_OPEN');
    const openat = module('SYS_OPENAT');
    for (const goarch of ['amd64', '386', 'arm']) assert.ok(build(open, goarch).ok, goarch);
    for (const goarch of ['arm64', 'riscv64', 'loong64']) {
      assert.match(build(open, goarch).output, /undefined: unix\.SYS_OPEN\b/, goarch);
    }
    for (const goarch of ['amd64', '386', 'arm', 'arm64', 'riscv64', 'loong64']) assert.ok(build(openat, goarch).ok, goarch);
  });

  it('rewrites every call of fixes.go as fixes.go.golden shows, and nofix.go\'s not at all', () => {
    const { fixed } = fixAll(engine(), fixture, ANALYZER_TEST_TARGETS);
    assert.strictEqual(fixed, fs.readFileSync(path.join(fixture, 'fixes.go.golden'), 'utf8'));
    const nofix = engine().analyzeFile(path.join(fixture, 'nofix.go'), ANALYZER_TEST_TARGETS, [syscallNames]);
    assert.ok(!('error' in nofix) && nofix.length === 10 && nofix.every((f) => !f.fixes), JSON.stringify(nofix));
  });

  it('rewritten calls build on every target and do on amd64 and arm64 what the old ones do on amd64', function () {
    this.timeout(600_000);
    runTestOn(fixesModule(fixture, fs.readFileSync(path.join(fixture, 'fixes.go'), 'utf8')), 'amd64');
    const dir = fixesModule(fixture, fixAll(engine(), fixture, ANALYZER_TEST_TARGETS).fixed);
    for (const { goarch } of ANALYZER_TEST_TARGETS) buildTest(dir, goarch);
    for (const goarch of ['amd64', 'arm64']) runTestOn(dir, goarch);
  });

  it('with riscv64 and loong64 among the targets, renames with renameat2 (they lack renameat); builds and runs there', function () {
    this.timeout(600_000);
    const targets = targetsOf('amd64', 'arm64', 'riscv64', 'loong64', 'ppc64le', 's390x');
    const { fixed } = fixAll(engine(), fixture, targets);
    assert.match(fixed, /unix\.Syscall6\(unix\.SYS_RENAMEAT2, \^uintptr\(99\) \/\* AT_FDCWD \*\/, uintptr\(unsafe\.Pointer\(from\)\), \^uintptr\(99\) \/\* AT_FDCWD \*\/, uintptr\(unsafe\.Pointer\(to\)\), 0, 0\)/);
    const dir = fixesModule(fixture, fixed);
    for (const { goarch } of targets) buildTest(dir, goarch);
    runTestOn(dir, 'riscv64');
  });

  it('offers no pipe2 rewrite where mips is a target: pipe returns the descriptors in registers there', () => {
    const findings = engine().analyzeFile(path.join(fixture, 'fixes.go'), targetsOf('amd64', 'arm64', 'mipsle'), [syscallNames]);
    assert.ok(!('error' in findings));
    const pipe = findings.filter((f) => f.message.startsWith('syscall.SYS_PIPE '));
    assert.strictEqual(pipe.length, 1);
    assert.strictEqual(pipe[0].fixes, undefined);
    assert.match(pipe[0].message, /; no quick fix: on linux\/mipsle pipe returns the descriptors in registers there, pipe2 writes them to the array$/);
    assert.ok(findings.filter((f) => f !== pipe[0]).every((f) => f.fixes?.length === 1));
  });
});
