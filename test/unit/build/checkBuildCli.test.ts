import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../cli/src/main';
import { writeModule } from '../../support/goModule';
import { ensureXSys } from '../../support/xsys';

const moduleDir = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'build', 'targets');
const MULTITOOL = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules', '@microsoft', 'sarif-multitool', 'bin.js');

/** Runs the CLI in `cwd`, as `go-arch-lens` would run there. */
async function runIn(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(argv, { out: (t) => { out += t + '\n'; }, err: (t) => { err += t + '\n'; } });
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

interface JsonFinding {
  analyzer: string;
  file: string;
  line: number;
  message: string;
  targets?: string[];
  fixes: { title: string }[];
}

describe('go-arch-lens check --build', function () {
  this.timeout(600_000);
  before(() => ensureXSys());

  it('merges compile errors across targets in JSON, each with its targets, and exits 1', async () => {
    const { code, out, err } = await runIn(moduleDir, ['check', '--build', '--format', 'json', './...']);
    assert.strictEqual(code, 1, err);
    const { findings, build } = JSON.parse(out) as { findings: JsonFinding[]; build: { targets: { target: string; status: string }[] } };
    const byFile = (rel: string) => findings.filter((f) => f.file === path.join(moduleDir, rel));
    const [sysopen] = byFile('sysopen/sysopen.go');
    assert.strictEqual(sysopen.analyzer, 'build');
    assert.deepStrictEqual(sysopen.targets, ['linux/arm64']);
    // sysname predicted the same compile error at the same place: one finding, with its advice.
    assert.strictEqual(sysopen.message, 'undefined: unix.SYS_OPEN (linux/arm64)\n' +
      'unix.SYS_OPEN does not exist on linux/arm64 (nor on linux/loong64, linux/riscv64): use unix.SYS_OPENAT with AT_FDCWD (sysname)');
    assert.deepStrictEqual(findings.filter((f) => f.analyzer === 'sysname'), []);
    const [nlink, ...moreNlink] = byFile('nlink/nlink.go');
    assert.deepStrictEqual(moreNlink, []);
    assert.deepStrictEqual(nlink.targets, ['linux/arm64', 'linux/386', 'linux/arm']);
    assert.deepStrictEqual(nlink.fixes.map((f) => f.title), ['Convert to uint64: uint64(st.Nlink)']);
    assert.deepStrictEqual(byFile('overflow/overflow.go').map((f) => f.targets), [['linux/386', 'linux/arm']]);
    assert.deepStrictEqual(byFile('perarch/name.go').map((f) => f.message), ['undefined: archName (linux/arm64)']);
    // No gopls in CI: errors every target has are reported too.
    assert.deepStrictEqual(byFile('everywhere/everywhere.go').map((f) => f.targets?.length), [4]);
    assert.deepStrictEqual(byFile('cgouser/use.go'), []);
    assert.match(err, /note: cgo files skipped for linux\/arm64: alloc\.go in example\.com\/targets\/cgouser/);
    assert.deepStrictEqual(build.targets.map((t) => t.status), ['failed', 'failed', 'failed', 'failed']);
  });

  it('folds every fieldtype finding into the compiler\'s error on its line: one finding per compile error', async () => {
    const fixture = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'analysis', 'fieldtype');
    const analyzed = await runIn(fixture, ['check', '--analyzers', 'fieldtype', '--format', 'json', './...']);
    const predicted = (JSON.parse(analyzed.out) as { findings: JsonFinding[] }).findings;
    assert.ok(predicted.length >= 8, `fieldtype found only ${predicted.length}`);
    const { out } = await runIn(fixture, ['check', '--build', '--analyzers', 'fieldtype', '--format', 'json', './...']);
    const findings = (JSON.parse(out) as { findings: JsonFinding[] }).findings;
    assert.deepStrictEqual(findings.filter((f) => f.analyzer !== 'build'), []);
    for (const p of predicted) {
      const merged = findings.filter((f) => f.file === p.file && f.line === p.line && f.message.endsWith(`${p.message} (fieldtype)`));
      assert.strictEqual(merged.length, 1, `${path.basename(p.file)}:${p.line} ${p.message}`);
      assert.deepStrictEqual(merged[0].fixes.map((x) => x.title), p.fixes.map((x) => x.title));
    }
    const keys = findings.map((f) => `${f.file}:${f.line}:${f.message.split('\n')[0]}`);
    assert.strictEqual(new Set(keys).size, keys.length);
  });

  it('confirms with the compiler the bundled examples\' SYS_OPEN and Stat_t.Nlink findings, one diagnostic each', async () => {
    const examples = path.resolve(__dirname, '..', '..', '..', '..', 'examples');
    const { code, out } = await runIn(examples, ['check', '--build', '--format', 'json', './...']);
    assert.strictEqual(code, 1);
    const findings = (JSON.parse(out) as { findings: JsonFinding[] }).findings;
    assert.deepStrictEqual(findings.map((f) => [f.analyzer, f.targets ?? null, f.message.split('\n')[0]]), [
      ['build', ['linux/arm64'], 'undefined: syscall.SYS_OPEN (linux/arm64)'],
      ['build', ['linux/arm64', 'linux/386', 'linux/arm'],
        'cannot use st.Nlink (variable of type uint32) as uint64 value in variable declaration (linux/arm64, linux/386, linux/arm)'],
      ...findings.filter((f) => f.analyzer === 'atomicalign32' || f.analyzer === 'syscallnum').map((f) => [f.analyzer, null, f.message]),
    ]);
    assert.deepStrictEqual(findings.slice(2).map((f) => f.analyzer).sort(), ['atomicalign32', 'syscallnum']);
  });

  it('prints one line per distinct error and a verdict per target in text', async () => {
    const { code, out } = await runIn(moduleDir, ['check', '--build', '--targets', 'linux/amd64,linux/arm64', './perarch', './portable']);
    assert.strictEqual(code, 1);
    assert.strictEqual(out, 'perarch/name.go:4:29: undefined: archName (linux/arm64) (build)\n' +
      'build: linux/amd64 ok, linux/arm64 failed (1 error)\n1 finding(s)\n');
  });

  it('exits 0 when every target builds', async () => {
    const { code, out } = await runIn(moduleDir, ['check', '--build', './portable']);
    assert.strictEqual(code, 0, out);
    assert.match(out, /^build: linux\/amd64 ok, linux\/arm64 ok, linux\/386 ok, linux\/arm ok\nno findings\n$/);
  });

  it('compiles a folder with its own .go-arch-lens.json for its targets, the rest for the root\'s', async () => {
    // sub/ overflows int on linux/386, which only the root ships; sub/arch lacks its name on linux/riscv64, which
    // only sub/ ships.
    const dir = writeModule({
      'go.mod': 'module example.com/split\n\ngo 1.21\n',
      '.go-arch-lens.json': '{"targets": ["linux/amd64", "linux/386"]}\n',
      'root.go': 'package split\n\nvar Root = 1\n',
      'sub/.go-arch-lens.json': '{"targets": ["linux/amd64", "linux/riscv64"]}\n',
      'sub/sub.go': 'package sub\n\nvar Big int = 1 << 40\n',
      'sub/arch/name_amd64.go': 'package arch\n\nfunc name() string { return "amd64" }\n',
      'sub/arch/arch.go': 'package arch\n\nvar Name = name()\n',
    });
    const { code, out, err } = await runIn(dir, ['check', '--build', './...']);
    assert.strictEqual(code, 1, err);
    assert.strictEqual(out, 'sub/arch/arch.go:3:12: undefined: name (linux/riscv64) (build)\n' +
      'build: linux/amd64 ok, linux/386 ok, linux/riscv64 failed (1 error)\n1 finding(s)\n');
    const below = await runIn(path.join(dir, 'sub'), ['check', '--build', '../...']);
    assert.strictEqual(below.out, 'arch/arch.go:3:12: undefined: name (linux/riscv64) (build)\n' +
      'build: linux/amd64 ok, linux/386 ok, linux/riscv64 failed (1 error)\n1 finding(s)\n');
  });

  it('compiles the tests with --tests: an error only a _test.go file has fails its target, and is unseen without', async () => {
    const dir = writeModule({
      'go.mod': 'module example.com/tested\n\ngo 1.22\n',
      'wide.go': 'package wide\n',
      'wide_test.go': 'package wide\n\nvar big = int(1 << 40)\n',
    });
    const argv = ['check', '--build', '--targets', 'linux/amd64,linux/386', '.'];
    const without = await runIn(dir, argv);
    assert.strictEqual(without.code, 0, without.out);
    const { code, out } = await runIn(dir, [...argv.slice(0, 2), '--tests', ...argv.slice(2)]);
    assert.strictEqual(code, 1, out);
    assert.strictEqual(out, 'wide_test.go:3:15: constant 1099511627776 overflows int (linux/386) (build)\n' +
      'build: linux/amd64 ok, linux/386 failed (1 error)\n1 finding(s)\n');
  });

  it('exits 3 (not checked, unlike 1 for findings) with go\'s own message on a broken go.mod', async () => {
    const broken = writeModule({ 'go.mod': 'module example.com/broken\n\ngo 1.22\nrequre foo v1\n', 'x.go': 'package x\n' });
    const { code, out, err } = await runIn(broken, ['check', '--build', '--targets', 'linux/arm64', './...']);
    assert.strictEqual(code, 3);
    assert.match(err, /go-arch-lens: linux\/arm64: go: errors parsing go.mod:\ngo.mod:4: unknown directive: requre/);
    assert.match(out, /build: linux\/arm64 not checked \(go failed\)/);
  });

  it('writes SARIF that the SARIF Multitool accepts, with a rule for compile errors and the targets of each result', async () => {
    const { out } = await runIn(moduleDir, ['check', '--build', '--format', 'sarif', './sysopen', './overflow']);
    const sarif = JSON.parse(out) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; properties?: { targets: string[] } }[] }[] };
    assert.strictEqual(sarif.runs[0].tool.driver.rules[0].id, 'GAL1000');
    assert.deepStrictEqual(sarif.runs[0].results.map((r) => [r.ruleId, r.properties?.targets]),
      [['GAL1000', ['linux/arm64']], ['GAL1000', ['linux/386', 'linux/arm']]]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gal-build-sarif-')), 'build.sarif');
    fs.writeFileSync(file, out);
    for (const kind of ['Sarif', 'Gh']) {
      const result = spawnSync(process.execPath, [MULTITOOL, 'validate', file, '--rule-kind', kind, '-o', `${file}.${kind}.out`], { encoding: 'utf8' });
      assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    }
  });
});
