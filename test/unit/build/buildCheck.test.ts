import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkBuild, type BuildVerdict } from '../../../core/src/build/buildCheck';
import { DEFAULT_TARGETS, targetKey } from '../../../core/src/targets';
import type { Finding } from '../../../core/src/analysis/finding';
import { hostTarget } from '../../../core/src/build/hostTarget';
import { writeModule } from '../../support/goModule';
import { ensureXSys } from '../../support/xsys';

/** A module with one package per case (test/fixtures/build/targets), checked with the real go for the 4 default targets. */
const moduleDir = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'build', 'targets');

function findingsIn(verdict: BuildVerdict, pkg: string): Finding[] {
  return verdict.findings.filter((f) => f.file.startsWith(path.join(moduleDir, pkg) + path.sep));
}

function lineOf(file: string, needle: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
}

describe('build check with the real go, per target', function () {
  this.timeout(600_000);
  let verdict: BuildVerdict;
  let host: ReturnType<typeof hostTarget> extends Promise<infer T> ? T : never;

  before(async () => {
    ensureXSys();
    host = await hostTarget('go');
    assert.ok(!('error' in host), JSON.stringify(host));
    verdict = await checkBuild({ cwd: moduleDir, patterns: ['./...'], targets: DEFAULT_TARGETS, host: host as never });
  });

  it('names the targets where a SYS_* constant is undefined (linux/arm64 has no SYS_OPEN)', () => {
    const file = path.join(moduleDir, 'sysopen', 'sysopen.go');
    const [finding, ...more] = findingsIn(verdict, 'sysopen');
    assert.deepStrictEqual(more, []);
    assert.strictEqual(finding.message, 'undefined: unix.SYS_OPEN (linux/arm64)');
    assert.deepStrictEqual(finding.targets, ['linux/arm64']);
    assert.strictEqual(finding.analyzer, 'build');
    assert.strictEqual(finding.severity, 'error');
    const line = lineOf(file, 'unix.SYS_OPEN');
    const column = fs.readFileSync(file, 'utf8').split('\n')[line].indexOf('SYS_OPEN');
    assert.deepStrictEqual(finding.range, { start: { line, character: column }, end: { line, character: column + 'SYS_OPEN'.length } });
  });

  it('names the targets where a syscall field has another type (Stat_t.Nlink is uint32 on arm64, 386 and arm)', () => {
    const [finding, ...more] = findingsIn(verdict, 'nlink');
    assert.deepStrictEqual(more, []);
    assert.match(finding.message, /^cannot use st\.Nlink \(variable of type uint32\) as uint64 value in variable declaration \(linux\/arm64, linux\/386, linux\/arm\)$/);
    assert.strictEqual(finding.range.start.line, lineOf(finding.file, 'st.Nlink'));
  });

  it('reports a constant that overflows int on the 32-bit targets', () => {
    const [finding, ...more] = findingsIn(verdict, 'overflow');
    assert.deepStrictEqual(more, []);
    assert.match(finding.message, /1099511627776.*overflows.*\(linux\/386, linux\/arm\)$/);
    assert.deepStrictEqual(finding.targets, ['linux/386', 'linux/arm']);
  });

  it('reports a function that the linux/arm64 file lacks where it is used', () => {
    const [finding, ...more] = findingsIn(verdict, 'perarch');
    assert.deepStrictEqual(more, []);
    assert.strictEqual(finding.message, 'undefined: archName (linux/arm64)');
    assert.strictEqual(finding.file, path.join(moduleDir, 'perarch', 'name.go'));
  });

  it('treats a package whose only file is excluded for a target as not built there, and blames its importer', () => {
    assert.deepStrictEqual(findingsIn(verdict, 'notfor386'), []);
    const pkg = verdict.packages.find((p) => p.importPath === 'example.com/targets/notfor386');
    assert.strictEqual(pkg?.targets['linux/386'].status, 'excluded');
    assert.strictEqual(pkg?.targets['linux/amd64'].status, 'ok');
    const [finding, ...more] = findingsIn(verdict, 'importer');
    assert.deepStrictEqual(more, []);
    assert.strictEqual(finding.message,
      `package example.com/targets/notfor386: build constraints exclude all Go files in ${path.join(moduleDir, 'notfor386')} (linux/386)`);
    assert.strictEqual(finding.range.start.line, lineOf(finding.file, '"example.com/targets/notfor386"'));
  });

  it('says once per target that cgo files were skipped, and never reports what they declare as undefined', () => {
    assert.deepStrictEqual(findingsIn(verdict, 'cgouser'), []);
    const notes = verdict.notes.filter((n) => n.includes('cgouser'));
    assert.deepStrictEqual(notes.map((n) => n.split(':')[0]), DEFAULT_TARGETS.filter((t) => targetKey(t) !== targetKey(host as never))
      .map((t) => `cgo files skipped for ${targetKey(t)}`));
    assert.match(notes[0], /alloc\.go in example\.com\/targets\/cgouser/);
    const pkg = verdict.packages.find((p) => p.importPath === 'example.com/targets/cgouser');
    for (const t of DEFAULT_TARGETS) assert.strictEqual(pkg?.targets[targetKey(t)].status, 'ok', targetKey(t));
  });

  it('reports nothing for a package that builds everywhere', () => {
    assert.deepStrictEqual(findingsIn(verdict, 'portable'), []);
    const pkg = verdict.packages.find((p) => p.importPath === 'example.com/targets/portable');
    assert.deepStrictEqual(Object.values(pkg!.targets).map((t) => t.status), ['ok', 'ok', 'ok', 'ok']);
  });

  it('leaves out an error that every target, the host included, has, unless asked', async () => {
    assert.deepStrictEqual(findingsIn(verdict, 'everywhere'), []);
    assert.strictEqual(verdict.hiddenEverywhere, 1);
    const shown = await checkBuild({
      cwd: moduleDir, patterns: ['./everywhere'], targets: DEFAULT_TARGETS, host: host as never, showEverywhere: true,
    });
    assert.deepStrictEqual(shown.findings.map((f) => f.message),
      ['undefined: notDeclaredAnywhere (linux/amd64, linux/arm64, linux/386, linux/arm)']);
  });

  it('asks the host build about errors every configured target has when the host is not configured', async () => {
    const others = DEFAULT_TARGETS.filter((t) => targetKey(t) !== targetKey(host as never));
    const result = await checkBuild({ cwd: moduleDir, patterns: ['./everywhere', './overflow'], targets: others, host: host as never });
    assert.strictEqual(result.hiddenEverywhere, 1);
    assert.deepStrictEqual(result.findings.map((f) => f.message.replace(/ \(.*$/, '')).filter((m) => m.includes('Anywhere')), []);
  });

  it('gives the per-target verdicts', () => {
    assert.deepStrictEqual(verdict.targets.map((t) => [t.target, t.status]),
      [['linux/amd64', 'failed'], ['linux/arm64', 'failed'], ['linux/386', 'failed'], ['linux/arm', 'failed']]);
    assert.strictEqual(verdict.cancelled, false);
  });

  it('reports a broken go.mod in go\'s words instead of failing', async () => {
    const broken = writeModule({ 'go.mod': 'module example.com/broken\n\ngo 1.22\nrequre foo v1\n', 'x.go': 'package x\n' });
    const result = await checkBuild({ cwd: broken, patterns: ['./...'], targets: DEFAULT_TARGETS.slice(0, 2), host: host as never });
    assert.deepStrictEqual(result.targets.map((t) => t.status), ['error', 'error']);
    assert.match(result.targets[0].problem ?? '', /go: errors parsing go.mod:\ngo.mod:4: unknown directive: requre/);
    assert.deepStrictEqual(result.findings, []);
  });

  it('says when go cannot be started', async () => {
    const result = await checkBuild({ goBinary: '/nonexistent/go', cwd: moduleDir, patterns: ['.'], targets: DEFAULT_TARGETS.slice(0, 1), host: host as never });
    assert.strictEqual(result.targets[0].status, 'error');
    assert.strictEqual(result.targets[0].problem, '/nonexistent/go was not found (is Go installed and on PATH?)');
    const notExecutable = path.join(writeModule({ 'go': '' }), 'go');
    const denied = await checkBuild({ goBinary: notExecutable, cwd: moduleDir, patterns: ['.'], targets: DEFAULT_TARGETS.slice(0, 1), host: host as never });
    assert.strictEqual(denied.targets[0].problem, `${notExecutable} is not executable`);
  });
});

describe('cancelling a build check', function () {
  this.timeout(300_000);

  /** The processes of a process group (Linux /proc), zombies left out. */
  function groupMembers(pgid: number): string[] {
    const members: string[] = [];
    for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      } catch {
        // exited meanwhile
      }
    }
    return members;
  }

  it('kills go and the compilers it started, and says the run was cancelled', async () => {
    const { runGoList } = await import('../../../core/src/build/goList');
    // An empty build cache: go must compile the standard library first, so compilers are running when we cancel.
    const cache = writeModule({ 'README': 'build cache of the cancel test\n' }, 'gal-gocache-');
    const controller = new AbortController();
    let pid = 0;
    const run = runGoList({
      goBinary: 'go', cwd: moduleDir, patterns: ['./portable'], target: { goos: 'linux', goarch: 'arm64' }, host: false, tests: false,
      env: { ...process.env, GOCACHE: cache, GOFLAGS: '-mod=mod' }, signal: controller.signal, onSpawn: (p) => { pid = p; },
    });
    let settled = false;
    run.then(() => { settled = true; }, () => { settled = true; });
    let members: string[] = [];
    // Each compiler lives briefly; cancel the moment one is seen running (however long go takes to start one on a
    // busy machine). A run that ends first has nothing left to cancel: the assertion below says so.
    while (!members.includes('compile') && !settled) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      members = pid > 0 ? groupMembers(pid) : [];
    }
    controller.abort();
    assert.ok(members.includes('compile'), `no compiler seen in the group of go (pid ${pid}): ${members.join(', ')}`);
    const result = await run;
    assert.strictEqual(result.cancelled, true);
    assert.deepStrictEqual(result.packages, []);
    assert.deepStrictEqual(groupMembers(pid), []);
  });
});
