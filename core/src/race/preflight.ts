// Checks, before a `go test -race` run, that this host and Go toolchain can run the race detector, and collects
// every problem with what to do about it. Everything it learns about the host goes through a PlatformProbe, so the
// macOS paths (Apple Silicon, Rosetta) are tested on Linux with a probe that answers like a Mac.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isExecutableFile, pathVariable } from '../executables';

export type RaceMode = 'native' | 'rosetta';

export interface ProbeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** spawn error (ENOENT…) */
  error?: string;
}

/** Everything preflight learns about the host, injectable so macOS paths are tested on Linux. */
export interface PlatformProbe {
  /** process.platform of the host */
  platform: NodeJS.Platform;
  /** process.arch of this Node (x64 under Rosetta!) */
  arch: string;
  /** Runs a program without a shell. `cwd` matters for `go env`: a go.mod can select another toolchain. */
  run(file: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string): Promise<ProbeResult>;
  findOnPath(name: string, env?: NodeJS.ProcessEnv): Promise<string | null>;
  exists(file: string): Promise<boolean>;
}

export interface PreflightProblem {
  message: string;
  /** what to do, e.g. an install command or a setting */
  fix?: string;
}

export interface PreflightOk {
  ok: true;
  goBinary: string;
  goVersion: string;
  goos: string;
  goarch: string;
  /** env to run go test with (CGO_ENABLED=1, GOARCH=amd64 for rosetta, …) */
  env: Record<string, string>;
  notes: string[];
}

export interface PreflightFailed {
  ok: false;
  problems: PreflightProblem[];
}

/**
 * Oldest Go the race runs support: since Go 1.20 `-race` on macOS needs neither cgo nor Xcode (preflight relies on
 * that and does not check for a C compiler there), and `go env -json` reports GOVERSION (Go 1.16+).
 */
export const MIN_GO_MINOR = 20;

/** internal/platform.RaceDetectorSupported (checked in FACTS.md). */
export const RACE_TARGETS: readonly string[] = [
  'linux/amd64', 'linux/arm64', 'linux/loong64', 'linux/ppc64le', 'linux/riscv64', 'linux/s390x',
  'darwin/amd64', 'darwin/arm64', 'freebsd/amd64', 'netbsd/amd64', 'windows/amd64',
];

const ROSETTA_RUNTIME = '/Library/Apple/usr/libexec/oah/libRosettaRuntime';
const ROSETTA_INSTALL = 'softwareupdate --install-rosetta --agree-to-license';
const GO_INSTALL = 'Install Go 1.20 or newer from https://go.dev/dl/ and make sure `go` is on PATH (or set the Go binary in the settings).';
/** `go env` may download a toolchain a go.mod asks for (GOTOOLCHAIN=auto), which takes a while. */
const PROBE_TIMEOUT_MS = 120_000;

/** The environment a probe runs with: the caller's, or this process's. */
function envOf(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return env ?? process.env;
}

/** The probe of the machine this Node runs on. */
export function realPlatformProbe(): PlatformProbe {
  const platform = process.platform;
  return {
    platform,
    arch: process.arch,
    run(file, args, env, cwd) {
      const timeout = PROBE_TIMEOUT_MS;
      return new Promise((resolve) => {
        execFile(file, args, { env: envOf(env), cwd, timeout, maxBuffer: 4 << 20, windowsHide: true, encoding: 'utf8' },
          (err, stdout, stderr) => {
            const e = err as (NodeJS.ErrnoException & { code?: string | number; killed?: boolean }) | null;
            if (e && typeof e.code === 'string') {
              resolve({ code: null, stdout, stderr, error: `${e.code}: ${e.message}` });
            } else if (e && e.killed) {
              resolve({ code: null, stdout, stderr, error: `timed out after ${timeout / 1000}s` });
            } else {
              resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
            }
          });
      });
    },
    async findOnPath(name, env) {
      const vars = envOf(env);
      if (name.includes('/') || (platform === 'win32' && name.includes('\\'))) {
        return isExecutableFile(name, platform) ? name : null;
      }
      const extensions = platform === 'win32'
        ? ['', ...(vars.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')]
        : [''];
      for (const dir of pathVariable(vars).split(path.delimiter)) {
        if (dir === '') continue;
        for (const ext of extensions) {
          const candidate = path.join(dir, name + ext);
          if (isExecutableFile(candidate, platform)) return candidate;
        }
      }
      return null;
    },
    async exists(file) {
      try {
        await fs.promises.access(file);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** `sysctl -n NAME` is `1`. */
async function sysctlIsOne(probe: PlatformProbe, name: string): Promise<boolean> {
  const result = await probe.run('/usr/sbin/sysctl', ['-n', name]);
  return result.code === 0 && result.stdout.trim() === '1';
}

/** Apple Silicon host (also when this Node itself runs under Rosetta): sysctl hw.optional.arm64 / sysctl.proc_translated. */
export async function isAppleSilicon(probe: PlatformProbe): Promise<boolean> {
  if (probe.platform !== 'darwin') return false;
  if (probe.arch === 'arm64') return true;
  return (await sysctlIsOne(probe, 'hw.optional.arm64')) || (await sysctlIsOne(probe, 'sysctl.proc_translated'));
}

/** Rosetta 2 is installed: its daemon runs, or its runtime library is on disk. */
async function rosettaInstalled(probe: PlatformProbe): Promise<boolean> {
  if (await sysctlIsOne(probe, 'sysctl.proc_translated')) return true; // this very Node runs under Rosetta
  const daemon = await probe.run('/usr/bin/pgrep', ['-q', 'oahd']);
  if (daemon.code === 0) return true;
  return probe.exists(ROSETTA_RUNTIME);
}

interface GoEnvValues {
  GOOS: string;
  GOARCH: string;
  GOHOSTOS: string;
  GOHOSTARCH: string;
  GOVERSION: string;
  CGO_ENABLED: string;
  CC: string;
  GOROOT: string;
}

const GO_ENV_NAMES: (keyof GoEnvValues)[] = ['GOOS', 'GOARCH', 'GOHOSTOS', 'GOHOSTARCH', 'GOVERSION', 'CGO_ENABLED', 'CC', 'GOROOT'];

/** `go1.26.8`, `go1.21rc2`, `go1.22.0 X:nocoverageredesign` → minor 26/21/22; `devel …` counts as new. */
export function goMinorVersion(goVersion: string): number | null {
  if (goVersion.startsWith('devel')) return Number.MAX_SAFE_INTEGER;
  const match = /^go1\.(\d+)/.exec(goVersion);
  return match ? Number(match[1]) : null;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0].trim();
}

/** go prints progress (`go: downloading …`) before the error, so the last line says what went wrong. */
function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1].trim();
}

/** Finds the go binary: a bare name is looked up on PATH, a path must exist. */
async function locateGo(probe: PlatformProbe, goBinary: string, env: NodeJS.ProcessEnv): Promise<string | PreflightProblem> {
  const isPath = goBinary.includes('/') || goBinary.includes('\\');
  const found = isPath ? ((await probe.exists(goBinary)) ? goBinary : null) : await probe.findOnPath(goBinary, env);
  if (found !== null) return found;
  return {
    message: isPath
      ? `The Go binary ${goBinary} does not exist.`
      : `Go was not found: there is no \`${goBinary}\` on PATH, and the race detector runs through \`go test -race\`.`,
    fix: GO_INSTALL,
  };
}

async function readGoEnv(probe: PlatformProbe, goBinary: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<GoEnvValues | PreflightProblem> {
  const result = await probe.run(goBinary, ['env', '-json', ...GO_ENV_NAMES], env, cwd);
  if (result.error !== undefined) {
    return { message: `Cannot run ${goBinary}: ${result.error}`, fix: GO_INSTALL };
  }
  if (result.code !== 0) {
    const why = lastLine(result.stderr) || `exit status ${result.code}`;
    return { message: `\`${goBinary} env\` failed: ${why}` };
  }
  try {
    const values = JSON.parse(result.stdout) as Partial<GoEnvValues>;
    const full = {} as GoEnvValues;
    for (const name of GO_ENV_NAMES) full[name] = typeof values[name] === 'string' ? values[name]! : '';
    return full;
  } catch {
    return { message: `\`${goBinary} env -json\` printed something that is not JSON: ${firstLine(result.stdout)}` };
  }
}

function isProblem(value: unknown): value is PreflightProblem {
  return typeof value === 'object' && value !== null && typeof (value as PreflightProblem).message === 'string';
}

/** The C compiler cgo would use (first word of `go env CC`, which may carry flags), found on PATH or by path. */
async function cCompilerProblem(probe: PlatformProbe, goEnv: GoEnvValues, env: NodeJS.ProcessEnv): Promise<PreflightProblem | null> {
  const compiler = goEnv.CC.trim().split(/\s+/)[0] || 'gcc';
  if ((await probe.findOnPath(compiler, env)) !== null) return null;
  return {
    message: `No C compiler: -race needs cgo on ${goEnv.GOOS}, and cgo's compiler \`${compiler}\` (go env CC) is not on PATH.`,
    fix: goEnv.GOOS === 'windows'
      ? 'Install a MinGW-w64 gcc (for example through MSYS2, https://www.msys2.org) and put its bin folder on PATH.'
      : goEnv.GOOS === 'linux'
        ? 'Install gcc, e.g. `sudo apt install gcc` (Debian/Ubuntu), `sudo dnf install gcc` (Fedora), `sudo apk add gcc musl-dev` (Alpine); or set CC to a C compiler.'
        : 'Install a C compiler (gcc or clang) and put it on PATH, or set CC.',
  };
}

/** The mode's problems with the host, and the env it needs; rosetta means darwin/amd64 on Apple Silicon. */
async function modeSetup(probe: PlatformProbe, mode: RaceMode): Promise<{ problems: PreflightProblem[]; env: Record<string, string>; notes: string[] }> {
  const appleSilicon = await isAppleSilicon(probe);
  if (mode === 'native') {
    // An arm64 Mac may have an amd64 Go installed; ask for arm64 so that native really is native.
    return { problems: [], env: appleSilicon ? { GOARCH: 'arm64' } : {}, notes: [] };
  }
  const env = { GOOS: 'darwin', GOARCH: 'amd64' };
  if (probe.platform !== 'darwin') {
    return {
      problems: [{
        message: `Rosetta mode needs a Mac with Apple Silicon; this host is ${probe.platform}/${probe.arch}.`,
        fix: 'Use the native race mode.',
      }],
      env, notes: [],
    };
  }
  if (!appleSilicon) {
    return {
      problems: [{
        message: 'Rosetta mode needs a Mac with Apple Silicon; this Mac has an Intel CPU, where native runs already are darwin/amd64.',
        fix: 'Use the native race mode.',
      }],
      env, notes: [],
    };
  }
  if (!(await rosettaInstalled(probe))) {
    return {
      problems: [{ message: 'Rosetta mode needs Rosetta 2, which is not installed on this Mac.', fix: ROSETTA_INSTALL }],
      env, notes: [],
    };
  }
  return {
    problems: [], env,
    notes: ['The amd64 test binary runs under Rosetta 2; Delve cannot debug it there, so debug races in native mode.'],
  };
}

/**
 * Checks that `go test -race` can run in `options.mode` and returns the go binary and env to run it with, or every
 * problem found (not just the first).
 */
export async function preflightRace(
  probe: PlatformProbe,
  options: { mode: RaceMode; goBinary?: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<PreflightOk | PreflightFailed> {
  const baseEnv = envOf(options.env);
  const mode = await modeSetup(probe, options.mode);
  const problems = [...mode.problems];
  const goBinary = await locateGo(probe, options.goBinary ?? 'go', baseEnv);
  if (isProblem(goBinary)) return { ok: false, problems: [...problems, goBinary] };

  // When the mode cannot work on this host, its env (darwin/amd64) would only add noise to the checks of Go itself.
  const modeEnv = mode.problems.length > 0 ? {} : mode.env;
  const goEnv = await readGoEnv(probe, goBinary, { ...baseEnv, ...modeEnv }, options.cwd);
  if (isProblem(goEnv)) return { ok: false, problems: [...problems, goEnv] };

  const minor = goMinorVersion(goEnv.GOVERSION);
  if (minor === null || minor < MIN_GO_MINOR) {
    problems.push({
      message: `${goEnv.GOVERSION || 'This Go'} is too old for race runs here: Go 1.${MIN_GO_MINOR} or newer is needed.`,
      fix: GO_INSTALL,
    });
  }
  const target = `${goEnv.GOOS}/${goEnv.GOARCH}`;
  if (!RACE_TARGETS.includes(target)) {
    problems.push({
      message: `The race detector does not support ${target}. It supports ${RACE_TARGETS.join(', ')}.`,
      fix: goEnv.GOOS === goEnv.GOHOSTOS && goEnv.GOARCH !== goEnv.GOHOSTARCH
        ? `GOARCH is set to ${goEnv.GOARCH}; unset it to build for this host.`
        : undefined,
    });
  }
  if (goEnv.GOHOSTOS !== '' && goEnv.GOOS !== goEnv.GOHOSTOS) {
    problems.push({
      message: `GOOS is ${goEnv.GOOS} but this host runs ${goEnv.GOHOSTOS}: go test must run the test binary here.`,
      fix: 'Unset GOOS for race runs.',
    });
  }
  const env: Record<string, string> = { ...modeEnv };
  // Since Go 1.20 the race detector on macOS needs neither cgo nor a C compiler; elsewhere it needs both.
  if (goEnv.GOOS !== 'darwin') {
    if (goEnv.CGO_ENABLED !== '1') {
      problems.push({
        message: '-race requires cgo, but cgo is disabled (go env CGO_ENABLED is 0).',
        fix: 'Set CGO_ENABLED=1 (in the environment or with `go env -w CGO_ENABLED=1`); cgo also needs a C compiler.',
      });
    }
    const compiler = await cCompilerProblem(probe, goEnv, baseEnv);
    if (compiler) problems.push(compiler);
    env.CGO_ENABLED = '1';
  }
  if (problems.length > 0) return { ok: false, problems };

  const notes = [`${goEnv.GOVERSION} (${goBinary}) runs -race for ${target}.`, ...mode.notes];
  if (options.mode === 'native' && goEnv.GOHOSTARCH !== '' && goEnv.GOHOSTARCH !== goEnv.GOARCH) {
    notes.push(`This Go toolchain is built for ${goEnv.GOHOSTOS}/${goEnv.GOHOSTARCH}; it cross-builds the ${goEnv.GOARCH} test binary.`);
  }
  return { ok: true, goBinary, goVersion: goEnv.GOVERSION, goos: goEnv.GOOS, goarch: goEnv.GOARCH, env, notes };
}
