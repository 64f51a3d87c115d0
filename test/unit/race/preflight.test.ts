// Race preflight: against this machine's real go (Linux), and against a probe that answers like other hosts (an
// Apple Silicon or Intel Mac, Windows, 32-bit Linux), since those paths cannot run here.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  isAppleSilicon, PlatformProbe, preflightRace, PreflightFailed, PreflightOk, ProbeResult, realPlatformProbe,
} from '../../../core/src/race/preflight';

const FIXTURE_DIR = path.join(__dirname, '../../../../test/fixtures/race');

function problemsOf(result: PreflightOk | PreflightFailed): PreflightFailed['problems'] {
  assert.strictEqual(result.ok, false, `expected preflight to fail, got ${JSON.stringify(result)}`);
  return (result as PreflightFailed).problems;
}

function okOf(result: PreflightOk | PreflightFailed): PreflightOk {
  assert.ok(result.ok, `expected preflight to pass, got ${JSON.stringify(result)}`);
  return result;
}

/** The one problem whose message matches, failing when none or several do. */
function problem(result: PreflightOk | PreflightFailed, pattern: RegExp): PreflightFailed['problems'][number] {
  const matching = problemsOf(result).filter((p) => pattern.test(p.message));
  assert.strictEqual(matching.length, 1, `one problem matching ${pattern} in ${JSON.stringify(problemsOf(result))}`);
  return matching[0];
}

describe('race preflight on this machine (real go)', function () {
  this.timeout(120000);
  const probe = realPlatformProbe();
  const goPath = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim() + '/bin/go';
  const hostArch = execFileSync('go', ['env', 'GOHOSTARCH'], { encoding: 'utf8' }).trim();
  /** An environment whose PATH holds only go, so that no C compiler can be found. */
  function pathWithOnlyGo(): { env: NodeJS.ProcessEnv; dir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-preflight-'));
    fs.symlinkSync(goPath, path.join(dir, 'go'));
    return { env: { ...process.env, PATH: dir, GOTOOLCHAIN: 'local', GOWORK: 'off', CC: '' }, dir };
  }

  it('passes in native mode with the toolchain on PATH', async () => {
    const ok = okOf(await preflightRace(probe, { mode: 'native', cwd: FIXTURE_DIR }));
    assert.strictEqual(ok.goos, 'linux');
    assert.strictEqual(ok.goarch, hostArch);
    assert.strictEqual(ok.goBinary, execFileSync('which', ['go'], { encoding: 'utf8' }).trim());
    const version = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
    assert.strictEqual(ok.goVersion, version);
    assert.deepStrictEqual(ok.env, { CGO_ENABLED: '1' });
    assert.ok(ok.notes.some((n) => n.includes(`linux/${hostArch}`)), ok.notes.join('\n'));
  });

  it('explains that rosetta mode needs Apple Silicon, and nothing else', async () => {
    const problems = problemsOf(await preflightRace(probe, { mode: 'rosetta', cwd: FIXTURE_DIR }));
    assert.strictEqual(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0].message, /Apple Silicon; this host is linux\//);
    assert.match(problems[0].fix ?? '', /native/);
    assert.strictEqual(await isAppleSilicon(probe), false);
  });

  it('reports a PATH without a C compiler, and cgo then turned off, together', async () => {
    const { env, dir } = pathWithOnlyGo();
    try {
      const result = await preflightRace(probe, { mode: 'native', env, cwd: FIXTURE_DIR });
      const compiler = problem(result, /No C compiler/);
      assert.match(compiler.message, /`gcc`/);
      assert.match(compiler.fix ?? '', /apt install gcc/);
      // Since Go 1.20 cgo defaults to off when no C compiler is found.
      assert.match(problem(result, /requires cgo/).fix ?? '', /CGO_ENABLED=1/);
      assert.strictEqual(problemsOf(result).length, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports CGO_ENABLED=0 from the environment', async () => {
    const result = await preflightRace(probe, { mode: 'native', env: { ...process.env, CGO_ENABLED: '0' }, cwd: FIXTURE_DIR });
    assert.strictEqual(problemsOf(result).length, 1);
    problem(result, /requires cgo, but cgo is disabled/);
  });

  it('reports a go binary that does not exist, and no go on PATH', async () => {
    const missing = problem(await preflightRace(probe, { mode: 'native', goBinary: '/nonexistent/bin/go' }), /does not exist/);
    assert.match(missing.message, /\/nonexistent\/bin\/go/);
    const noPath = problem(await preflightRace(probe, { mode: 'native', env: { PATH: os.tmpdir() } }), /Go was not found/);
    assert.match(noPath.fix ?? '', /go\.dev\/dl/);
  });
});

/** What a simulated host answers. */
interface Host {
  platform: NodeJS.Platform;
  /** process.arch of Node (x64 when Node itself runs under Rosetta). */
  arch: string;
  /** Values `go env` prints before the request's env is applied; GOOS/GOARCH from the env override them. */
  goEnv: Record<string, string>;
  /** sysctl names answering `1`. */
  sysctl?: string[];
  oahdRunning?: boolean;
  files?: string[];
  /** Programs on PATH, by name. */
  onPath?: Record<string, string>;
  goEnvFails?: string;
}

/** A probe answering like `host`; it records the commands run. */
function simulated(host: Host): PlatformProbe & { ran: string[] } {
  const ran: string[] = [];
  return {
    platform: host.platform,
    arch: host.arch,
    ran,
    async run(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ProbeResult> {
      ran.push([file, ...args].join(' '));
      if (file === '/usr/sbin/sysctl') {
        if (host.platform !== 'darwin') return { code: null, stdout: '', stderr: '', error: 'ENOENT' };
        return { code: 0, stdout: (host.sysctl ?? []).includes(args[1]) ? '1\n' : '0\n', stderr: '' };
      }
      if (file === '/usr/bin/pgrep') return { code: host.oahdRunning ? 0 : 1, stdout: '', stderr: '' };
      if (file === host.onPath?.go && args[0] === 'env') {
        if (host.goEnvFails) return { code: 1, stdout: '', stderr: host.goEnvFails };
        const values: Record<string, string> = { ...host.goEnv };
        if (env?.GOARCH) values.GOARCH = env.GOARCH;
        if (env?.GOOS) values.GOOS = env.GOOS;
        const wanted = args.slice(2);
        return { code: 0, stdout: JSON.stringify(Object.fromEntries(wanted.map((k) => [k, values[k] ?? '']))), stderr: '' };
      }
      return { code: null, stdout: '', stderr: '', error: `ENOENT: ${file}` };
    },
    async findOnPath(name: string) {
      return host.onPath?.[name] ?? null;
    },
    async exists(file: string) {
      return (host.files ?? []).includes(file) || Object.values(host.onPath ?? {}).includes(file);
    },
  };
}

const goEnvOf = (goos: string, goarch: string, extra: Record<string, string> = {}) => ({
  GOOS: goos, GOARCH: goarch, GOHOSTOS: goos, GOHOSTARCH: goarch, GOVERSION: 'go1.26.8', CGO_ENABLED: '1',
  CC: 'gcc', GOROOT: '/usr/local/go', ...extra,
});

function appleSiliconMac(extra: Partial<Host> = {}): Host {
  return {
    platform: 'darwin', arch: 'arm64', sysctl: ['hw.optional.arm64'], oahdRunning: true,
    goEnv: goEnvOf('darwin', 'arm64', { CC: 'clang' }), onPath: { go: '/usr/local/go/bin/go', clang: '/usr/bin/clang' },
    ...extra,
  };
}

describe('race preflight on simulated hosts', () => {
  it('passes rosetta mode on an Apple Silicon Mac with Rosetta, targeting darwin/amd64', async () => {
    const probe = simulated(appleSiliconMac());
    const ok = okOf(await preflightRace(probe, { mode: 'rosetta' }));
    assert.deepStrictEqual([ok.goos, ok.goarch], ['darwin', 'amd64']);
    assert.deepStrictEqual(ok.env, { GOOS: 'darwin', GOARCH: 'amd64' });
    assert.ok(ok.notes.some((n) => /Rosetta 2.*Delve/.test(n)), ok.notes.join('\n'));
    assert.ok(probe.ran.includes('/usr/bin/pgrep -q oahd'), probe.ran.join('\n'));
  });

  it('accepts the Rosetta runtime on disk when its daemon is not running', async () => {
    const probe = simulated(appleSiliconMac({ oahdRunning: false, files: ['/Library/Apple/usr/libexec/oah/libRosettaRuntime'] }));
    okOf(await preflightRace(probe, { mode: 'rosetta' }));
  });

  it('tells how to install Rosetta when it is missing', async () => {
    const probe = simulated(appleSiliconMac({ oahdRunning: false }));
    const missing = problem(await preflightRace(probe, { mode: 'rosetta' }), /Rosetta 2, which is not installed/);
    assert.strictEqual(missing.fix, 'softwareupdate --install-rosetta --agree-to-license');
  });

  it('passes native mode on macOS without cgo or a C compiler', async () => {
    const probe = simulated(appleSiliconMac({ goEnv: goEnvOf('darwin', 'arm64', { CGO_ENABLED: '0', CC: 'clang' }), onPath: { go: '/opt/go/bin/go' } }));
    const ok = okOf(await preflightRace(probe, { mode: 'native' }));
    assert.deepStrictEqual([ok.goBinary, ok.goos, ok.goarch], ['/opt/go/bin/go', 'darwin', 'arm64']);
    assert.deepStrictEqual(ok.env, { GOARCH: 'arm64' });
  });

  it('asks for arm64 in native mode when an amd64 Go is installed on Apple Silicon, and says so', async () => {
    const probe = simulated(appleSiliconMac({ goEnv: { ...goEnvOf('darwin', 'amd64'), CGO_ENABLED: '0' } }));
    const ok = okOf(await preflightRace(probe, { mode: 'native' }));
    assert.strictEqual(ok.goarch, 'arm64');
    assert.ok(ok.notes.some((n) => /built for darwin\/amd64.*cross-builds the arm64/.test(n)), ok.notes.join('\n'));
  });

  it('recognizes Apple Silicon when Node itself runs under Rosetta (x64)', async () => {
    const translated = simulated(appleSiliconMac({ arch: 'x64', sysctl: ['sysctl.proc_translated'], oahdRunning: false }));
    assert.strictEqual(await isAppleSilicon(translated), true);
    // Node being translated proves Rosetta is installed.
    okOf(await preflightRace(translated, { mode: 'rosetta' }));
    assert.strictEqual(await isAppleSilicon(simulated({ ...appleSiliconMac(), arch: 'x64', sysctl: [] })), false);
  });

  it('refuses rosetta mode on an Intel Mac', async () => {
    const intel = simulated({ platform: 'darwin', arch: 'x64', goEnv: goEnvOf('darwin', 'amd64'), onPath: { go: '/usr/local/go/bin/go' } });
    const result = await preflightRace(intel, { mode: 'rosetta' });
    assert.match(problem(result, /Intel CPU/).fix ?? '', /native/);
    assert.strictEqual(problemsOf(result).length, 1);
    okOf(await preflightRace(intel, { mode: 'native' }));
  });

  it('reports a Go older than 1.20, and one too old to print GOVERSION', async () => {
    for (const version of ['go1.19.13', '']) {
      const probe = simulated(appleSiliconMac({ goEnv: goEnvOf('darwin', 'arm64', { GOVERSION: version }) }));
      const old = problem(await preflightRace(probe, { mode: 'native' }), /too old/);
      assert.match(old.message, /Go 1\.20 or newer/);
    }
    okOf(await preflightRace(simulated(appleSiliconMac({ goEnv: goEnvOf('darwin', 'arm64', { GOVERSION: 'go1.20rc1' }) })), { mode: 'native' }));
    okOf(await preflightRace(simulated(appleSiliconMac({ goEnv: goEnvOf('darwin', 'arm64', { GOVERSION: 'devel go1.27-abcdef' }) })), { mode: 'native' }));
  });

  it('reports a missing go together with a missing Rosetta', async () => {
    const probe = simulated(appleSiliconMac({ oahdRunning: false, onPath: {} }));
    const result = await preflightRace(probe, { mode: 'rosetta' });
    problem(result, /Go was not found/);
    problem(result, /Rosetta 2, which is not installed/);
    assert.strictEqual(problemsOf(result).length, 2);
  });

  it('reports targets without race support: linux/386 and windows/arm64', async () => {
    const linux386 = simulated({ platform: 'linux', arch: 'ia32', goEnv: goEnvOf('linux', '386'), onPath: { go: '/usr/bin/go', gcc: '/usr/bin/gcc' } });
    const unsupported = problem(await preflightRace(linux386, { mode: 'native' }), /does not support linux\/386/);
    assert.match(unsupported.message, /linux\/amd64, linux\/arm64, .*windows\/amd64/);
    const winArm = simulated({ platform: 'win32', arch: 'arm64', goEnv: goEnvOf('windows', 'arm64', { CC: 'gcc' }), onPath: { go: 'C:\\Go\\bin\\go.exe', gcc: 'C:\\mingw\\bin\\gcc.exe' } });
    problem(await preflightRace(winArm, { mode: 'native' }), /does not support windows\/arm64/);
  });

  it('points at GOARCH when the environment cross-builds for an unsupported target', async () => {
    const amd64With386 = simulated({ platform: 'linux', arch: 'x64', goEnv: { ...goEnvOf('linux', 'amd64'), GOARCH: '386' }, onPath: { go: '/usr/bin/go', gcc: '/usr/bin/gcc' } });
    assert.match(problem(await preflightRace(amd64With386, { mode: 'native' }), /does not support linux\/386/).fix ?? '', /GOARCH is set to 386/);
  });

  it('reports cgo off and a missing MinGW gcc on Windows', async () => {
    const windows = simulated({ platform: 'win32', arch: 'x64', goEnv: goEnvOf('windows', 'amd64', { CGO_ENABLED: '0' }), onPath: { go: 'C:\\Go\\bin\\go.exe' } });
    const result = await preflightRace(windows, { mode: 'native' });
    problem(result, /requires cgo/);
    assert.match(problem(result, /No C compiler/).fix ?? '', /MinGW-w64/);
  });

  it('looks up only the first word of a CC that carries flags', async () => {
    const linux = simulated({ platform: 'linux', arch: 'x64', goEnv: goEnvOf('linux', 'amd64', { CC: 'clang -fno-lto' }), onPath: { go: '/usr/bin/go', clang: '/usr/bin/clang' } });
    okOf(await preflightRace(linux, { mode: 'native' }));
  });

  it('passes the error line of a failing go env on', async () => {
    const probe = simulated(appleSiliconMac({ goEnvFails: 'go: downloading go1.99 (darwin/arm64)\ngo: download go1.99: toolchain not available\n' }));
    assert.match(problem(await preflightRace(probe, { mode: 'native' }), /go env` failed/).message, /failed: go: download go1\.99: toolchain not available$/);
  });
});
