// Runs the compiler for one target through `go list -e -export`: the go command compiles each named package (and
// what it imports) for GOOS/GOARCH exactly as `go build` would, without linking, and reports per package in JSON.
import type { ChildProcess } from 'child_process';
import type { Target } from '../api';
import { killProcessTree } from '../process/processTree';
import { execFailure, spawnWatched } from '../process/watchedSpawn';
import { targetKey } from '../targets';

/** The fields of `go list -json` the build check reads. */
export interface ListedPackage {
  ImportPath: string;
  Dir?: string;
  Name?: string;
  ForTest?: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  IgnoredGoFiles?: string[];
  Incomplete?: boolean;
  Error?: ListError;
  DepsErrors?: ListError[];
}

export interface ListError {
  ImportStack?: string[];
  Pos?: string;
  Err: string;
}

const LIST_FIELDS = 'ImportPath,Dir,Name,ForTest,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,IgnoredGoFiles,Incomplete,Error,DepsErrors';

/**
 * `-e` keeps going past broken packages and reports them in JSON; `-export` makes go compile them; `-gcflags=-e`
 * lifts the compiler's limit of 10 errors per package. `-N -l` skip optimisation and inlining in the checked
 * packages only: type errors are the same, compiling costs about a third less CPU (see README), and dependencies
 * keep their normal, shared build cache entries.
 */
export function goListArgs(patterns: string[], tests: boolean): string[] {
  return ['list', '-e', '-export', `-json=${LIST_FIELDS}`, '-gcflags=-e -N -l', ...(tests ? ['-test'] : []), '--', ...patterns];
}

export interface GoListRequest {
  goBinary: string;
  cwd: string;
  patterns: string[];
  target: Target;
  /** Whether cgo stays as the environment has it (the host); other targets get CGO_ENABLED=0. */
  host: boolean;
  tests: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Called with the go process's id once it runs (it leads the process group the compilers join). */
  onSpawn?: (pid: number) => void;
  /** Kill the check (go and its compilers) after this long; it then reports `timedOut`. */
  timeoutMs?: number;
}

export interface GoListResult {
  packages: ListedPackage[];
  /** Why the go command produced no usable answer (no go, a broken go.mod), in go's words. */
  problem?: string;
  cancelled: boolean;
  /** The time bound killed the check before go answered. */
  timedOut?: boolean;
  durationMs: number;
}

/**
 * Process groups of checks still running. A check can outlive the request that started it: a 5,000-deep type kept
 * compile at 5 GB for 40 minutes after the server had exited, since go leads its own group (detached, so that
 * cancelling reaches its compilers) and nothing else would stop it. killRunningChecksNow ends them all when the
 * server exits through Node; a SIGKILL, which no handler sees, is left to the watchdog (spawnWatched).
 */
const runningGroups = new Set<ChildProcess>();

/**
 * SIGKILL to every running check's process group, at once and synchronously: safe from process 'exit' handlers,
 * where nothing asynchronous runs any more.
 */
export function killRunningChecksNow(): void {
  for (const child of runningGroups) {
    if (child.pid === undefined) continue;
    try {
      if (process.platform === 'win32') child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone.
    }
  }
  runningGroups.clear();
}

let exitHookInstalled = false;

/** Every way the process exits through Node (process.exit, the end of the event loop, an uncaught error) kills the checks. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killRunningChecksNow);
}

/** The environment of a check for `target`: GOOS/GOARCH set, cgo off except for the host (no C cross-compiler). */
export function targetEnv(base: NodeJS.ProcessEnv, target: Target, host: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GOOS: target.goos, GOARCH: target.goarch };
  if (!host) env.CGO_ENABLED = '0';
  // A GOFLAGS=-mod=… or -tags from the environment applies as it would to go build; -json output must stay ours.
  return env;
}

/** Starts go without a shell; cancelling through `signal` kills the whole process tree (go and its compilers). */
export function runGoList(request: GoListRequest): Promise<GoListResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const finish = (result: Omit<GoListResult, 'durationMs'>) => resolve({ ...result, durationMs: Date.now() - started });
    if (request.signal?.aborted) {
      finish({ packages: [], cancelled: true });
      return;
    }
    let child: ChildProcess;
    try {
      child = spawnWatched(request.goBinary, goListArgs(request.patterns, request.tests), {
        cwd: request.cwd, env: targetEnv(request.env ?? process.env, request.target, request.host),
      });
    } catch (err) {
      finish({ packages: [], problem: spawnProblem(request.goBinary, err as NodeJS.ErrnoException), cancelled: false });
      return;
    }
    installExitHook();
    runningGroups.add(child);
    if (child.pid !== undefined) request.onSpawn?.(child.pid);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      // go's own messages are short; a runaway stream must not grow without bound.
      if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    let cancelled = false;
    let timedOut = false;
    let killing: Promise<void> | undefined;
    const onAbort = () => {
      cancelled = true;
      killing ??= killProcessTree(child);
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = request.timeoutMs !== undefined && request.timeoutMs > 0 ? setTimeout(() => {
      timedOut = true;
      killing ??= killProcessTree(child);
    }, request.timeoutMs) : undefined;
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (err) => {
      spawnError ??= err;
      if (child.pid === undefined) runningGroups.delete(child);
    });
    child.on('close', async (code) => {
      request.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      if (killing) await killing;
      runningGroups.delete(child);
      if (cancelled) {
        finish({ packages: [], cancelled: true });
        return;
      }
      if (timedOut) {
        finish({ packages: [], cancelled: false, timedOut: true });
        return;
      }
      if (spawnError && child.pid === undefined) {
        finish({ packages: [], problem: spawnProblem(request.goBinary, spawnError), cancelled: false });
        return;
      }
      const packages = parseJsonStream(Buffer.concat(stdout).toString('utf8'));
      const execError = packages.length === 0 ? execFailure(code) : undefined;
      if (execError) {
        finish({ packages: [], problem: spawnProblem(request.goBinary, execError), cancelled: false });
        return;
      }
      const errText = Buffer.concat(stderr).toString('utf8').trim();
      // With -e, go exits 0 and reports broken packages in JSON; a failure with no JSON is a setup problem.
      const problem = packages.length === 0 && (code !== 0 || errText !== '')
        ? errText || `go list for ${targetKey(request.target)} exited ${code}` : undefined;
      finish({ packages, problem, cancelled: false });
    });
  });
}

const MAX_STDERR_BYTES = 256 * 1024;

function spawnProblem(goBinary: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `${goBinary} was not found (is Go installed and on PATH?)`;
  if (err.code === 'EACCES') return `${goBinary} is not executable`;
  return `cannot run ${goBinary}: ${err.message}`;
}

/** `go list -json` prints one object after another, each closing with a `}` alone on its line. */
export function parseJsonStream(text: string): ListedPackage[] {
  const packages: ListedPackage[] = [];
  for (const chunk of text.split(/^}\s*$/m)) {
    const body = chunk.trim();
    if (body === '') continue;
    try {
      const parsed = JSON.parse(`${body}\n}`) as ListedPackage;
      if (typeof parsed.ImportPath === 'string') packages.push(parsed);
    } catch {
      // Not go list's JSON (a wrapper printing something else): skip it rather than fail the check.
    }
  }
  return packages;
}
