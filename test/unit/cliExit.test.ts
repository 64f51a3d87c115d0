import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import { once } from 'events';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCheck } from '../../cli/src/checkCommand';
import { engineFor } from '../../cli/src/engineSetup';
import type { Output } from '../../cli/src/output';
import goTargets from '../../core/src/generated/goTargets.json';
import { GC_ARCHES } from '../../core/src/targets';
import { runCli } from '../support/cliRun';
import { writeModule } from '../support/goModule';
import { HOSTILE_SKIPS, writeHostilePackage } from '../support/hostileFiles';

const REPO = path.join(__dirname, '../../..');
const CLI_BUNDLE = path.join(REPO, 'dist', 'cli.js');
const MULTITOOL = path.join(REPO, 'node_modules/@microsoft/sarif-multitool/bin.js');

function buffers(): { io: Output; text: { out: string; err: string } } {
  const text = { out: '', err: '' };
  return { text, io: { out: (t) => { text.out += t + '\n'; }, err: (t) => { text.err += t + '\n'; }, write: async (c) => { text.out += c; } } };
}

/** A 64-bit atomic on a field at offset 4 on 32-bit targets: one atomicalign32 finding at line 10. */
const MISALIGNED = 'package m\n\nimport "sync/atomic"\n\ntype Stats struct {\n\tflag int32\n\thits int64\n}\n\nfunc (s *Stats) Hit() { atomic.AddInt64(&s.hits, 1) }\n';

function validateSarif(text: string): void {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gal-sarif-')), 'check.sarif');
  fs.writeFileSync(file, text);
  try {
    for (const kind of ['Sarif', 'Gh']) {
      const outFile = `${file}.${kind}.validation.sarif`;
      const r = spawnSync(process.execPath, [MULTITOOL, 'validate', file, '--rule-kind', kind, '-o', outFile], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /: error /, r.stdout);
      const warnings = r.stdout.split('\n').filter((l) => /: warning /.test(l) && !/SARIF2005/.test(l));
      assert.deepStrictEqual(warnings, [], r.stdout);
    }
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

interface SarifNotification { level: string; message: { text: string }; descriptor: { id: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }

describe('go-arch-lens check exit status: findings, skipped files and internal errors apart', function () {
  this.timeout(240000);

  it('a package with a finding and unreadable files: the finding is reported, the skips listed, exit 3; --allow-skipped: exit 1', async () => {
    const root = writeHostilePackage();
    fs.writeFileSync(path.join(root, 'stats.go'), MISALIGNED);
    const strict = await runCli(['check', '.'], root);
    assert.strictEqual(strict.code, 3, strict.out + strict.err);
    assert.match(strict.out, /^stats\.go:10:\d+: atomic\.AddInt64 on Stats\.hits/m);
    assert.match(strict.out, /^1 finding\(s\); 6 file\(s\) skipped, not checked \(listed on stderr\)$/m);
    for (const skip of HOSTILE_SKIPS) {
      const name = skip.split(' ')[0];
      assert.match(strict.err, new RegExp(`^${name.replace('.', '\\.')}: ${name.replace('.', '\\.')} is .*; skipped$`, 'm'), strict.err);
    }
    const allowed = await runCli(['check', '--allow-skipped', '.'], root);
    assert.strictEqual(allowed.code, 1, allowed.err);
    assert.match(allowed.out, /6 file\(s\) skipped/);
  });

  it('nothing found but files skipped is not a clean run: exit 3 (0 with --allow-skipped)', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'ok.go': 'package m\n\ntype Ok struct{ a int8 }\n' });
    fs.symlinkSync('nowhere.go', path.join(root, 'dangling.go'));
    fs.writeFileSync(path.join(root, 'huge.go'), 'package m\n\n' + '// filler\n'.repeat(1024 * 1024));
    const strict = await runCli(['check', '.'], root);
    assert.strictEqual(strict.code, 3);
    assert.match(strict.out, /^no findings; 2 file\(s\) skipped/m);
    assert.match(strict.err, /^dangling\.go: dangling\.go is a symbolic link to "nowhere\.go", which does not exist; skipped$/m);
    assert.match(strict.err, /^huge\.go: huge\.go is larger than 8 MiB/m);
    assert.strictEqual((await runCli(['check', '--allow-skipped', '.'], root)).code, 0);
    const json = JSON.parse((await runCli(['check', '--format', 'json', '.'], root)).out);
    assert.deepStrictEqual(json.findings, []);
    assert.deepStrictEqual(json.skipped.map((s: { file: string; reason: string }) => `${path.basename(s.file)} ${s.reason}`), ['dangling.go dangling-symlink', 'huge.go too-large']);
    assert.deepStrictEqual(json.internalErrors, []);
  });

  it('SARIF keeps every readable file\'s findings and lists skipped files as tool execution notifications', async () => {
    const root = writeHostilePackage();
    fs.writeFileSync(path.join(root, 'stats.go'), MISALIGNED);
    const { code, out } = await runCli(['check', '--format', 'sarif', '.'], root);
    assert.strictEqual(code, 3);
    const log = JSON.parse(out);
    const runLog = log.runs[0];
    assert.deepStrictEqual(runLog.results.map((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) =>
      `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`), ['GAL1004 stats.go:10']);
    const invocation = runLog.invocations[0];
    assert.strictEqual(invocation.executionSuccessful, true);
    assert.strictEqual(invocation.exitCode, 3);
    const notes = invocation.toolExecutionNotifications as SarifNotification[];
    assert.deepStrictEqual(notes.map((n) => `${n.locations[0].physicalLocation.artifactLocation.uri} ${n.level} ${n.descriptor.id}`),
      HOSTILE_SKIPS.map((s) => `${s.split(' ')[0]} warning GAL9001`));
    assert.match(notes[0].message.text, /dangling\.go is a symbolic link/);
    validateSarif(out);
  });

  it('a file that fails inside the engine (a real stack overflow) costs only itself: exit 4, the other findings written', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'stats.go': MISALIGNED, 'deep.go': 'package m\n\ntype Deep struct{ a int8 }\n' });
    // Stands in for a walk that overflows the stack on a hostile input: the overflow is real, only its place is
    // chosen, so that the test holds whatever input the engine learns to survive.
    const overflow = (n: number): number => overflow(n + 1) + 1;
    const failingEngine: typeof engineFor = async (files, io) => {
      const engine = await engineFor(files, io);
      const analyze = engine.analyzeFile.bind(engine);
      engine.analyzeFile = (file, ...rest) => (path.basename(file) === 'deep.go' ? [overflow(0)] as never : analyze(file, ...rest));
      return engine;
    };
    for (const format of ['text', 'sarif']) {
      const { io, text } = buffers();
      const before = process.cwd();
      process.chdir(root);
      let code: number;
      try {
        code = await runCheck(['--format', format, '.'], io, '0.0.0', failingEngine);
      } finally {
        process.chdir(before);
      }
      assert.strictEqual(code, 4, text.out + text.err);
      assert.match(text.err, /^deep\.go: internal error: Maximum call stack size exceeded$/m);
      if (format === 'text') {
        assert.match(text.out, /^stats\.go:10:\d+: atomic\.AddInt64/m);
        assert.match(text.out, /1 finding\(s\); 1 file\(s\) failed with an internal error/);
        continue;
      }
      const runLog = JSON.parse(text.out).runs[0];
      assert.strictEqual(runLog.results.length, 1);
      assert.strictEqual(runLog.invocations[0].executionSuccessful, false);
      assert.strictEqual(runLog.invocations[0].exitCode, 4);
      const notes = runLog.invocations[0].toolExecutionNotifications as SarifNotification[];
      assert.deepStrictEqual(notes.map((n) => `${n.locations[0].physicalLocation.artifactLocation.uri} ${n.level} ${n.descriptor.id} ${n.message.text}`),
        ['deep.go error GAL9002 internal error: Maximum call stack size exceeded']);
      validateSarif(text.out);
    }
  });

  it('the README\'s CI recipe passes on findings and fails on skipped files (the real process exit status)', () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'stats.go': MISALIGNED });
    const recipe = (cwd: string) => spawnSync('sh', ['-c', `node "${CLI_BUNDLE}" check --format sarif ./... > out.sarif || test $? -eq 1`], { cwd, encoding: 'utf8' });
    assert.strictEqual(recipe(root).status, 0, 'findings alone pass the step');
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')).runs[0].results.length, 1);
    fs.symlinkSync('nowhere.go', path.join(root, 'dangling.go'));
    assert.notStrictEqual(recipe(root).status, 0, 'a skipped file fails the step');
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(root, 'out.sarif'), 'utf8')).runs[0].results.length, 1, 'the SARIF is still written');
  });
});

describe('go-arch-lens when standard output cannot be written', function () {
  this.timeout(120000);
  const stats = () => writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'stats.go': MISALIGNED });

  it('a full disk (/dev/full) is exit 5 with one line on stderr, so the CI recipe fails instead of passing an empty SARIF', () => {
    const cwd = stats();
    const r = spawnSync('sh', ['-c', `node "${CLI_BUNDLE}" check --format sarif . > /dev/full`], { cwd, encoding: 'utf8' });
    assert.strictEqual(r.status, 5, r.stderr);
    assert.strictEqual(r.stderr, 'go-arch-lens: could not write standard output: ENOSPC: no space left on device, write\n');
    const recipe = spawnSync('sh', ['-c', `node "${CLI_BUNDLE}" check --format sarif . > /dev/full || test $? -eq 1`], { cwd });
    assert.notStrictEqual(recipe.status, 0);
  });

  it('a reader that closed the pipe before the first write is exit 5 without a message or a stack trace', async () => {
    const child = spawn(process.execPath, [CLI_BUNDLE, 'check', '.'], { cwd: stats(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk) => { err += chunk; });
    const [code] = await once(child, 'close');
    assert.strictEqual(code, 5, err);
    assert.strictEqual(err, '');
  });
});

describe('go-arch-lens text output and control characters in names from a repository or a log', function () {
  this.timeout(120000);
  /** Every control character but the line feed, and the direction marks a terminal would act on. */
  const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
  const bundle = (argv: string[], cwd: string) => spawnSync(process.execPath, [CLI_BUNDLE, ...argv], { cwd, encoding: 'utf8' });

  it('a FIFO and a dangling link with escape sequences in their names are named escaped on stderr (layout, check)', () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'ok.go': 'package m\n\ntype Ok struct{ a int8 }\n' });
    spawnSync('mkfifo', [path.join(root, 'p\u001b[31mred.go')]);
    fs.symlinkSync('nowhere\u009b2J.go', path.join(root, 'd\u001b]0;title\u0007.go'));
    for (const argv of [['layout', '.'], ['check', '.']]) {
      const r = bundle(argv, root);
      assert.strictEqual(r.status, 3, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, UNSAFE, argv[0]);
      assert.match(r.stderr, /^(.*\/)?p\\x1b\[31mred\.go: /m, argv[0]);
      assert.match(r.stderr, /^(.*\/)?d\\x1b\]0;title\\a\.go: .*"nowhere\\x9b2J\.go"/m, argv[0]);
    }
    const json = JSON.parse(bundle(['check', '--format', 'json', '.'], root).stdout);
    assert.ok(json.skipped.some((s: { file: string }) => s.file.endsWith('p\u001b[31mred.go')), 'JSON keeps the real name');
  });

  it('a race report whose paths hold a BEL and a direction mark prints them escaped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-race-ctl-'));
    const log = ['==================', 'WARNING: DATA RACE', 'Write at 0x00c000012345 by goroutine 8:', '  m.f()',
      '      /src/a\u0007b.go:16 +0x7b', '', 'Previous read at 0x00c000012345 by goroutine 7:', '  m.g()',
      '      /src/\u202egoog.go:9 +0x44', '==================', ''].join('\n');
    fs.writeFileSync(path.join(dir, 'race.log'), log);
    const r = bundle(['race', 'race.log'], dir);
    assert.strictEqual(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, UNSAFE);
    assert.match(r.stdout, /\/src\/a\\ab\.go:16/);
    assert.match(r.stdout, /\/src\/\\u202egoog\.go:9/);
  });
});

describe('go-arch-lens layout exit status', function () {
  this.timeout(120000);

  it('lays out the readable files, lists the skipped ones (JSON "skipped" too), exit 3; --allow-skipped: 0', async () => {
    const root = writeHostilePackage();
    const strict = await runCli(['layout', '--json', '.'], root);
    assert.strictEqual(strict.code, 3, strict.err);
    const json = JSON.parse(strict.out);
    assert.deepStrictEqual(json.structs.map((s: { type: string }) => s.type), ['Ok']);
    assert.deepStrictEqual(json.skipped.map((s: { file: string; reason: string }) => `${path.basename(s.file)} ${s.reason}`), HOSTILE_SKIPS);
    assert.strictEqual((await runCli(['layout', '--allow-skipped', '.'], root)).code, 0);
  });
});

describe('go-arch-lens layout and check of one named file next to a skipped package-mate', function () {
  this.timeout(120000);

  it('both list the sibling and exit 3 (0 with --allow-skipped): its declarations could change the named file\'s results', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'ok.go': 'package m\n\ntype Ok struct{ a int8 }\n' });
    spawnSync('mkfifo', [path.join(root, 'pipe.go')]);
    for (const command of ['layout', 'check']) {
      const strict = await runCli([command, 'ok.go'], root);
      assert.strictEqual(strict.code, 3, `${command}: ${strict.out}${strict.err}`);
      assert.match(strict.err, /pipe\.go: pipe\.go is not a regular file \(a named pipe\); skipped$/m, command);
      assert.strictEqual((await runCli([command, '--allow-skipped', 'ok.go'], root)).code, 0, command);
    }
  });
});

describe('go-arch-lens and a go.mod that is not a regular file', function () {
  this.timeout(120000);

  for (const [kind, make] of [['a FIFO', (file: string) => spawnSync('mkfifo', [file])], ['a link to /dev/zero', (file: string) => fs.symlinkSync('/dev/zero', file)]] as const) {
    it(`${kind} as go.mod, read to resolve an import of the module, is listed as skipped: exit 3 (0 with --allow-skipped)`, async () => {
      const root = writeModule({ 'other/o.go': 'package other\n\ntype T struct{ a int8 }\n', 'sub/ok.go': 'package m\n\nimport "example.com/m/other"\n\ntype Ok struct{ t other.T }\n' });
      make(path.join(root, 'go.mod'));
      const strict = await runCli(['layout', '--json', 'sub'], root);
      assert.strictEqual(strict.code, 3, strict.err);
      assert.deepStrictEqual(JSON.parse(strict.out).skipped.map((s: { file: string; reason: string }) => `${path.relative(root, s.file)} ${s.reason}`), ['go.mod not-regular']);
      assert.strictEqual((await runCli(['layout', '--allow-skipped', 'sub'], root)).code, 0);
    });
  }
});

describe('go-arch-lens --help and usage errors', function () {
  this.timeout(120000);

  it('--help of the tool and of every command prints its usage and the exit statuses on stdout, exit 0', async () => {
    const cases: [string[], RegExp][] = [
      [['--help'], /usage: go-arch-lens <command>/], [['-h'], /usage: go-arch-lens <command>/], [['help'], /usage: go-arch-lens <command>/],
      [['layout', '--help'], /usage: go-arch-lens layout/], [['layout', '--json', '-h', 'x.go'], /usage: go-arch-lens layout/],
      [['check', '--help'], /usage: go-arch-lens check/], [['race', '--help'], /usage: go-arch-lens race/], [['help', 'check'], /usage: go-arch-lens check/],
    ];
    for (const [argv, usage] of cases) {
      const { code, out, err } = await runCli(argv);
      assert.strictEqual(code, 0, argv.join(' '));
      assert.match(out, usage, argv.join(' '));
      assert.match(out, /exit status:\n\s+0\s.*\n\s+1\s.*\n\s+2\s+bad usage\n\s+3\s+some input could not be read[\s\S]*\n\s+4\s+internal error/, argv.join(' '));
      assert.strictEqual(err, '', argv.join(' '));
    }
    for (const argv of [['layout', '--help'], ['--help']]) {
      const spawned = spawnSync(process.execPath, [CLI_BUNDLE, ...argv], { encoding: 'utf8' });
      assert.strictEqual(spawned.status, 0, `${argv.join(' ')}: ${spawned.stderr}`);
      assert.match(spawned.stdout, /usage: go-arch-lens/);
    }
    const bare = spawnSync(process.execPath, [CLI_BUNDLE], { encoding: 'utf8' });
    assert.strictEqual(bare.status, 2, 'no command at all is bad usage');
    assert.match(bare.stderr, /usage: go-arch-lens <command>/);
  });

  it('empty lists and unknown help topics are bad usage (exit 2)', async () => {
    const root = writeModule({ 'ok.go': 'package m\n\ntype Ok struct{ a int8 }\n' });
    for (const argv of [['layout', '--goarch', ',', root], ['layout', '--goarch', ' , ', root], ['check', '--analyzers', ',', root], ['check', '--targets', ',', root], ['help', 'nonsense'], ['help', 'toString']]) {
      const { code, out, err } = await runCli(argv);
      assert.strictEqual(code, 2, `${argv.join(' ')}: ${out}`);
      assert.match(err, /go-arch-lens: .*\n\nusage:/, argv.join(' '));
    }
    assert.match((await runCli(['layout', '--goarch', ',', root])).err, /--goarch "," has an empty entry/);
    for (const [flag, list] of [['--goarch', 'amd64,,arm'], ['--goarch', 'amd64,'], ['--targets', 'linux/amd64,'], ['--analyzers', 'atomicalign32,']]) {
      const { code, err } = await runCli([flag === '--goarch' ? 'layout' : 'check', flag, list, root]);
      assert.strictEqual(code, 2, `${flag} ${list}`);
      assert.match(err, new RegExp(`^go-arch-lens: ${flag} "${list}" has an empty entry$`, 'm'));
    }
  });

  it('--targets js/amd64 and linux/wasm are rejected with the pairs Go builds for', async () => {
    const root = writeModule({ 'ok.go': 'package m\n\ntype Ok struct{ a int8 }\n' });
    const jsAmd64 = await runCli(['check', '--targets', 'linux/amd64,js/amd64', root]);
    assert.strictEqual(jsAmd64.code, 2);
    assert.match(jsAmd64.err, /"js\/amd64" is not a target Go builds for \(go tool dist list\); js: js\/wasm; amd64: android\/amd64, darwin\/amd64, .*linux\/amd64.*windows\/amd64\n/);
    const linuxWasm = await runCli(['check', '--targets', 'linux/wasm', root]);
    assert.strictEqual(linuxWasm.code, 2);
    assert.match(linuxWasm.err, /"linux\/wasm" is not a target Go builds for .*; linux: linux\/386, .*linux\/s390x; wasm: js\/wasm, wasip1\/wasm\n/);
    const darwin386 = await runCli(['layout', '--goos', 'darwin', '--goarch', '386', root]);
    assert.strictEqual(darwin386.code, 2);
    assert.match(darwin386.err, /"darwin\/386" is not a target Go builds for/);
    const darwinAll = await runCli(['layout', '--json', '--goos', 'darwin', '--goarch', 'all', root]);
    assert.strictEqual(darwinAll.code, 0, darwinAll.err);
    assert.deepStrictEqual(Object.keys(JSON.parse(darwinAll.out).structs[0].layouts), ['amd64', 'arm64']);
  });

  it('the committed target table is what go tool dist list prints today, and names every GOARCH the engine lays out', () => {
    const listed = spawnSync('go', ['tool', 'dist', 'list'], { encoding: 'utf8' });
    assert.strictEqual(listed.status, 0, listed.stderr);
    const table = goTargets.targets.map((t) => `${t.goos}/${t.goarch}`);
    assert.deepStrictEqual(table, listed.stdout.trim().split('\n').sort(), 'run npm run gen:go-targets');
    assert.deepStrictEqual([...new Set(goTargets.targets.map((t) => t.goarch))].sort(), [...GC_ARCHES].sort());
  });

  it('control characters of a broken file are escaped in "syntax error near" messages', async () => {
    const root = writeModule({ 'ctl.go': 'package m\n\ntype A struct{ a int8 }\n\nfunc f() { x := 1 \u001b[2J\u0007\u202e"\\ }\n' });
    const { code, err } = await runCli(['layout', root]);
    assert.strictEqual(code, 0);
    assert.match(err, /syntax error near ".*\\x1b\[2J\\a\\u202e\\"\\\\.*"/, err);
    assert.doesNotMatch(err, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  });
});
