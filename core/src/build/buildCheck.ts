// The compiler's verdict per target: runs `go list -e -export` for every target (in parallel, bounded), then merges
// the errors across targets into one finding per distinct file, line and message that names the targets it fails on.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Range, Target } from '../api';
import type { Finding } from '../analysis/finding';
import { escapeName } from '../model/extract';
import { readSourceFile } from '../resolve/sourceFiles';
import { targetKey } from '../targets';
import type { PositionedError } from './compileErrors';
import { runGoList } from './goList';
import { packageOutcomes, type PackageOutcome, type PackageStatus } from './packageOutcome';

/** The analyzer name (and diagnostic code) of compiler errors. */
export const BUILD_ANALYZER = 'build';

/** How reports (SARIF) describe the build check's findings. */
export const BUILD_RULE = {
  name: BUILD_ANALYZER,
  ruleId: 'GAL1000',
  doc: 'Compile errors on some targets: the Go compiler\'s own verdict for each configured GOOS/GOARCH.',
};

export interface BuildCheckRequest {
  goBinary?: string;
  /** Where go runs: a module or package folder; relative patterns are relative to it. */
  cwd: string;
  /** As the go command takes them: `.`, `./...`, `./sub`, import paths. */
  patterns: string[];
  targets: Target[];
  /** The target the go command builds for without GOOS/GOARCH (what gopls checks): `go env GOOS GOARCH`. */
  host: Target;
  /** Also compile the packages' tests (`go list -test`). */
  tests?: boolean;
  /** Keep errors that every target, the host build included, has (gopls shows those already). */
  showEverywhere?: boolean;
  /** Per target: kill the compiler after this long and report the target as not finished; default: no bound. */
  timeoutMs?: number;
  /** Targets compiled at once; default: the CPU count. */
  concurrency?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** The text of a file as the user sees it, if it differs from disk (for columns); default: read from disk. */
  readText?: (file: string) => string | undefined;
  /** Called as each target finishes, for progress. */
  onTarget?: (verdict: TargetVerdict) => void;
}

export type TargetStatus = 'ok' | 'failed' | 'excluded' | 'error' | 'cancelled';

export interface TargetVerdict {
  target: string;
  status: TargetStatus;
  /** Distinct errors the compiler reported for the checked packages on this target. */
  errors: number;
  /** Why go gave no answer (a broken go.mod, no go), in go's words. */
  problem?: string;
  durationMs: number;
}

export interface PackageVerdict {
  dir: string;
  importPath: string;
  /** Keyed by `GOOS/GOARCH`. */
  targets: Record<string, { status: PackageStatus | 'error' | 'cancelled'; errors: number; cgoSkipped: string[]; problem?: string }>;
}

export interface BuildVerdict {
  targets: TargetVerdict[];
  packages: PackageVerdict[];
  /** One per distinct file, line, column and message; `targets` lists where it happens. */
  findings: Finding[];
  /** "cgo files skipped for linux/arm: c.go", once per package and target. */
  notes: string[];
  /** Errors left out because every target, the host included, has them. */
  hiddenEverywhere: number;
  cancelled: boolean;
}

interface TargetRun {
  target: Target;
  outcomes: PackageOutcome[];
  verdict: TargetVerdict;
}

export async function checkBuild(request: BuildCheckRequest): Promise<BuildVerdict> {
  const isHost = (t: Target) => targetKey(t) === targetKey(request.host);
  const runs = await inPool(request.targets, request.concurrency ?? os.availableParallelism(), async (target) => {
    const run = await runTarget(request, target, isHost(target));
    request.onTarget?.(run.verdict);
    return run;
  });
  const cancelled = runs.some((r) => r.verdict.status === 'cancelled');
  const groups = groupErrors(runs);
  let hostErrors: Set<string> | undefined;
  const hostRun = runs.find((r) => isHost(r.target));
  if (hostRun) hostErrors = errorKeys(hostRun);
  else if (!request.showEverywhere && !cancelled && [...groups.values()].some((g) => g.targets.length === runs.length)) {
    // Errors every configured target has may still be missing on the host, where gopls would not show them.
    hostErrors = errorKeys(await runTarget(request, request.host, true));
  }
  const everywhere = (g: ErrorGroup) => !request.showEverywhere && g.targets.length === runs.length && hostErrors?.has(g.key) === true;
  const shown = [...groups.values()].filter((g) => !everywhere(g));
  return {
    targets: runs.map((r) => r.verdict),
    packages: packageVerdicts(runs),
    findings: shown.map((g) => toFinding(g, request.readText)),
    notes: cgoNotes(runs),
    hiddenEverywhere: groups.size - shown.length,
    cancelled,
  };
}

async function runTarget(request: BuildCheckRequest, target: Target, host: boolean): Promise<TargetRun> {
  const key = targetKey(target);
  const result = await runGoList({
    goBinary: request.goBinary ?? 'go', cwd: request.cwd, patterns: request.patterns, target, host,
    tests: request.tests === true, env: request.env, signal: request.signal, timeoutMs: request.timeoutMs,
  });
  if (result.cancelled) return { target, outcomes: [], verdict: { target: key, status: 'cancelled', errors: 0, durationMs: result.durationMs } };
  if (result.timedOut) {
    // Every reader names the target beside the problem (CLI, Check All, the grouped message), so the text does not.
    const problem = `the compiler did not finish within ${Math.round((request.timeoutMs ?? 0) / 1000)} s (goArchLens.build.timeoutSeconds)`;
    return { target, outcomes: [], verdict: { target: key, status: 'error', errors: 0, problem, durationMs: result.durationMs } };
  }
  if (result.problem !== undefined) {
    return { target, outcomes: [], verdict: { target: key, status: 'error', errors: 0, problem: result.problem, durationMs: result.durationMs } };
  }
  const outcomes = packageOutcomes(result.packages, request.cwd, target, host);
  const errors = new Set(outcomes.flatMap((o) => [...o.errors.map(errorKey), ...o.problems.map((p) => `${o.dir}\0${p}`)])).size;
  const status: TargetStatus = outcomes.some((o) => o.status === 'failed') ? 'failed'
    : outcomes.length > 0 && outcomes.every((o) => o.status === 'excluded') ? 'excluded' : 'ok';
  return { target, outcomes, verdict: { target: key, status, errors, durationMs: result.durationMs } };
}

interface ErrorGroup {
  key: string;
  file: string;
  line: number;
  column: number;
  message: string;
  /** Errors without a position belong to a package: shown on its package clause. */
  packageDir?: string;
  targets: string[];
}

function errorKey(e: PositionedError): string {
  return `${e.file}\0${e.line}\0${e.column}\0${e.message}`;
}

function errorKeys(run: TargetRun): Set<string> {
  return new Set(run.outcomes.flatMap((o) => [...o.errors.map(errorKey), ...o.problems.map((p) => `${o.dir}\0${p}`)]));
}

/** Errors by file, line, column and message, each with the targets it occurs on (in the configured order). */
function groupErrors(runs: TargetRun[]): Map<string, ErrorGroup> {
  const groups = new Map<string, ErrorGroup>();
  const add = (key: string, make: () => Omit<ErrorGroup, 'targets' | 'key'>, target: string) => {
    let group = groups.get(key);
    if (!group) groups.set(key, group = { key, ...make(), targets: [] });
    if (!group.targets.includes(target)) group.targets.push(target);
  };
  for (const run of runs) {
    for (const outcome of run.outcomes) {
      for (const error of outcome.errors) add(errorKey(error), () => error, run.verdict.target);
      for (const problem of outcome.problems) {
        add(`${outcome.dir}\0${problem}`, () => ({ ...packageClause(outcome.dir), message: problem, packageDir: outcome.dir }), run.verdict.target);
      }
    }
  }
  return groups;
}

function toFinding(group: ErrorGroup, readText: BuildCheckRequest['readText']): Finding {
  return {
    analyzer: BUILD_ANALYZER,
    file: group.file,
    range: rangeAt(group, readText),
    severity: 'error',
    message: `${group.message} (${group.targets.join(', ')})`,
    targets: group.targets,
  };
}

/**
 * The range of an error: from its column (bytes, 1-based, as the compiler counts) to the end of the identifier or
 * selector there, in UTF-16 units as editors count; the whole line when there is no column or no word.
 */
function rangeAt(position: { file: string; line: number; column: number }, readText: BuildCheckRequest['readText']): Range {
  const text = readText?.(position.file) ?? readDisk(position.file);
  const lineText = text?.split('\n')[position.line - 1]?.replace(/\r$/, '') ?? '';
  const line = Math.max(0, position.line - 1);
  if (position.column <= 0) return { start: { line, character: 0 }, end: { line, character: lineText.length } };
  const start = Buffer.from(lineText, 'utf8').subarray(0, position.column - 1).toString('utf8').length;
  const word = /^[\p{L}\p{N}_.]*/u.exec(lineText.slice(start))![0].replace(/\.$/, '');
  const end = word.length > 0 ? start + word.length : lineText.length > start ? start + 1 : start;
  return { start: { line, character: start }, end: { line, character: end } };
}

function readDisk(file: string): string | undefined {
  const read = readSourceFile(file);
  return 'text' in read ? read.text : undefined;
}

/** The `package` clause of the first Go file in `dir` that has one (where a package-level error is shown). */
function packageClause(dir: string): { file: string; line: number; column: number } {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.go')).sort();
  } catch {
    // An unreadable folder: the error is still reported, at its first line.
  }
  for (const name of names) {
    const text = readDisk(path.join(dir, name));
    const index = text?.split('\n').findIndex((l) => /^package\s/.test(l)) ?? -1;
    if (index >= 0) return { file: path.join(dir, name), line: index + 1, column: 1 };
  }
  return { file: path.join(dir, names[0] ?? 'go.mod'), line: 1, column: 0 };
}

function packageVerdicts(runs: TargetRun[]): PackageVerdict[] {
  const byDir = new Map<string, PackageVerdict>();
  for (const run of runs) {
    for (const o of run.outcomes) {
      let verdict = byDir.get(o.dir);
      if (!verdict) byDir.set(o.dir, verdict = { dir: o.dir, importPath: o.importPath, targets: {} });
      verdict.targets[run.verdict.target] = {
        status: o.status, errors: o.errors.length + o.problems.length, cgoSkipped: o.cgoSkipped,
        ...(o.problems.length > 0 ? { problem: o.problems.join('\n') } : {}),
      };
    }
  }
  for (const run of runs) {
    const noAnswer = run.verdict.status === 'error' || run.verdict.status === 'cancelled';
    for (const verdict of byDir.values()) {
      if (verdict.targets[run.verdict.target]) continue;
      // A target that gave no answer at all (a broken go.mod, cancelled) says so for every package; a pattern like
      // ./... leaves out packages that have no file for the target.
      verdict.targets[run.verdict.target] = noAnswer
        ? { status: run.verdict.status as 'error' | 'cancelled', errors: 0, cgoSkipped: [], problem: run.verdict.problem }
        : { status: 'excluded', errors: 0, cgoSkipped: [] };
    }
  }
  // In the configured order.
  for (const verdict of byDir.values()) {
    verdict.targets = Object.fromEntries(runs.map((r) => [r.verdict.target, verdict.targets[r.verdict.target]]));
  }
  return [...byDir.values()];
}

// One line each, whatever the cgo files are called: escapeName keeps a line feed in a name from starting another.
function cgoNotes(runs: TargetRun[]): string[] {
  return runs.flatMap((run) => run.outcomes.filter((o) => o.cgoSkipped.length > 0).map((o) =>
    `cgo files skipped for ${run.verdict.target}: ${o.cgoSkipped.map((f) => escapeName(path.basename(f))).join(', ')} in ${o.importPath} (cross-compiling cgo needs a C compiler for the target)`));
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the items' order in the results. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
