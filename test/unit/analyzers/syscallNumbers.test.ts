import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { syscallNumbers } from '../../../core/src/analysis/analyzers/syscallNumbers';
import { compilerRejects } from '../../support/compilerCheck';
import { ANALYZER_TEST_TARGETS, applyEdits, describeAnalyzer } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';
import { ensureXSys, XSYS_VERSION } from '../../support/xsys';

describeAnalyzer(syscallNumbers, ({ engine, fixture }) => {
  before(() => ensureXSys());

  it('names what the compiler says each number is', () => {
    const claims: Record<string, [string, number][]> = {
      amd64: [['SYS_WRITE', 1], ['SYS_GETPID', 39], ['SYS_FADVISE64', 221]],
      arm64: [['SYS_IO_DESTROY', 1], ['SYS_UMOUNT2', 39]],
      '386': [['SYS_EXIT', 1], ['SYS_MKDIR', 39]],
      arm: [['SYS_EXIT', 1], ['SYS_MKDIR', 39]],
    };
    for (const [goarch, pairs] of Object.entries(claims)) {
      const exprs = pairs.map(([name, value]) => ({ expr: `syscall.${name}`, value }));
      const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'x.go': 'package m\n' });
      assert.strictEqual(compilerRejects(root, 'm', 'linux', goarch, exprs, ['syscall']), undefined, goarch);
    }
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'x.go': 'package m\n' });
    assert.match(compilerRejects(root, 'm', 'linux', 'arm', [{ expr: 'syscall.SYS_FADVISE64', value: 0 }], ['syscall']) ?? '', /undefined: syscall\.SYS_FADVISE64/);
  });

  it('fixes with the constant of the file\'s target, from syscall, or from x/sys/unix with the import added; both compile', () => {
    ensureXSys();
    const source = 'package m\n\nimport "syscall"\n\nfunc pid() uintptr {\n\tp, _, _ := syscall.RawSyscall(39, 0, 0, 0)\n\treturn p\n}\n';
    const root = writeModule({ 'go.mod': `module example.com/m\n\ngo 1.26\n\nrequire golang.org/x/sys ${XSYS_VERSION}\n`, 'pid_arm64.go': source });
    const file = path.join(root, 'pid_arm64.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [syscallNumbers]);
    assert.ok(!('error' in findings) && findings.length === 1);
    const [viaSyscall, viaUnix] = findings[0].fixes!;
    assert.match(viaSyscall.title, /syscall\.SYS_UMOUNT2 \(its meaning on linux\/arm64\)/);
    assert.match(viaUnix.title, /unix\.SYS_UMOUNT2/);
    for (const fix of [viaSyscall, viaUnix]) {
      const fixed = applyEdits(source, fix.edits);
      fs.writeFileSync(file, fixed);
      assert.strictEqual(compilerRejects(root, 'm', 'linux', 'arm64', [{ expr: 'syscall.SYS_UMOUNT2', value: 39 }], ['syscall']), undefined, fixed);
    }
    assert.match(applyEdits(source, viaUnix.edits), /import "golang.org\/x\/sys\/unix"/);
  });

  it('fixes x/sys/unix calls with unix.SYS_* of the primary target; the fixed file compiles on amd64 and arm64', () => {
    const text = fs.readFileSync(path.join(fixture, 'unix_linux.go'), 'utf8');
    const root = writeModule({
      'go.mod': fs.readFileSync(path.join(fixture, 'go.mod'), 'utf8'),
      'go.sum': fs.readFileSync(path.join(fixture, 'go.sum'), 'utf8'),
      'unix_linux.go': text,
    });
    const file = path.join(root, 'unix_linux.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [syscallNumbers]);
    assert.ok(!('error' in findings) && findings.length === 5, JSON.stringify(findings));
    const preferred = findings.map((f) => f.fixes!.find((fix) => fix.preferred)!);
    for (const fix of preferred) assert.match(fix.title, /with unix\.SYS_[A-Z0-9_]+ \(its meaning on linux\/amd64\)$/);
    const fixed = applyEdits(text, preferred.flatMap((fix) => fix.edits));
    assert.doesNotMatch(fixed, /Syscall\w*\((uintptr\()?[0-9]/, 'every literal replaced');
    fs.writeFileSync(file, fixed);
    // On amd64 the constants keep the numbers the literals had; on arm64 the file now compiles to its own numbers.
    const kept = [['SYS_WRITE', 1], ['SYS_GETPID', 39], ['SYS_MPROTECT', 10]] as const;
    assert.match(fixed, /unix\.Syscall\(unix\.SYS_WRITE,/);
    assert.strictEqual(compilerRejects(root, 'syscallnum', 'linux', 'amd64',
      kept.map(([name, value]) => ({ expr: `unix.${name}`, value })), ['golang.org/x/sys/unix']), undefined, fixed);
    assert.strictEqual(compilerRejects(root, 'syscallnum', 'linux', 'arm64', []), undefined, fixed);
  });

  it('offers only constants that exist on every target the file builds for: every fixture fix compiles on each', () => {
    const names = fs.readdirSync(fixture).filter((f) => /\.(go|mod|sum)$/.test(f));
    const root = writeModule(Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(fixture, n), 'utf8')])));
    let offered = 0;
    for (const name of names.filter((n) => n.endsWith('.go'))) {
      const file = path.join(root, name);
      const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [syscallNumbers]);
      assert.ok(!('error' in findings));
      const edits = findings.flatMap((f) => f.fixes?.find((x) => x.preferred)?.edits ?? []);
      offered += edits.length;
      fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), edits));
      assert.ok(findings.filter((f) => /^syscall number 221 /.test(f.message)).every((f) => f.fixes?.length === 0), 'SYS_FADVISE64 is missing on linux/arm: no fix');
    }
    assert.ok(offered > 0);
    for (const { goarch } of ANALYZER_TEST_TARGETS) assert.strictEqual(compilerRejects(root, 'syscallnum', 'linux', goarch, []), undefined, goarch);
  });
});
