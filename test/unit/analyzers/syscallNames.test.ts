import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { syscallNames } from '../../../core/src/analysis/analyzers/syscallNames';
import { describeAnalyzer, wantsIn } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';
import { ensureXSys } from '../../support/xsys';

/** `go build` of the package in `dir` for linux/goarch; the type checker lists every undefined name, vet only the first. */
function build(dir: string, goarch: string): { ok: boolean; output: string } {
  const r = spawnSync('go', ['build', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0' } });
  return { ok: r.status === 0, output: r.stderr };
}

/** `file.go:line` of every `// want` line in the fixture's Go files (1-based lines, as the compiler writes them). */
function wantLines(fixture: string): string[] {
  return fs.readdirSync(fixture).filter((f) => f.endsWith('.go')).flatMap((f) =>
    [...wantsIn(fs.readFileSync(path.join(fixture, f), 'utf8')).keys()].map((line) => `${f}:${line + 1}`)).sort();
}

describeAnalyzer(syscallNames, ({ fixture }) => {
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
});
