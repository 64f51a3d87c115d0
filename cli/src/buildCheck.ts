// `check --build`: the compiler's verdict for every target over packages given as the go command takes them.
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { checkBuild, type BuildVerdict, type TargetStatus, type TargetVerdict } from '../../core/src/build/buildCheck';
import { hostTarget } from '../../core/src/build/hostTarget';
import { relativePattern, splitByTargets } from '../../core/src/build/targetGroups';
import { resolveTargets } from '../../core/src/projectTargets';
import { targetKey } from '../../core/src/targets';
import type { Output } from './output';

/**
 * Runs the build check in the current folder. Unlike the editor, errors every target has are kept: CI has no gopls
 * to report them. Target problems (no go, a broken go.mod) and cgo notes go to stderr.
 */
export async function runBuildCheck(patterns: string[], flagTargets: Target[] | undefined, tests: boolean, io: Output): Promise<BuildVerdict | undefined> {
  const cwd = process.cwd();
  const problems = new Set<string>();
  const targetsFor = (dir: string) => {
    const resolved = resolveTargets(dir, flagTargets);
    for (const problem of resolved.problems) problems.add(problem);
    return resolved.targets;
  };
  const groups = targetGroups(patterns, cwd, targetsFor);
  for (const problem of problems) io.err(`note: ${problem}`);
  const host = await hostTarget('go');
  if ('error' in host) {
    io.err(`go-arch-lens: cannot run the build check: ${host.error}`);
    return undefined;
  }
  const verdicts: BuildVerdict[] = [];
  for (const group of groups) {
    verdicts.push(await checkBuild({ cwd, patterns: group.patterns, targets: group.targets, host, tests, showEverywhere: true }));
  }
  const verdict = mergeVerdicts(verdicts);
  for (const target of verdict.targets.filter((t) => t.problem)) io.err(`go-arch-lens: ${target.target}: ${target.problem}`);
  for (const note of verdict.notes) io.err(`note: ${note}`);
  return verdict;
}

/**
 * The patterns by target set: a local `dir/...` is split as Check All splits a module (a folder under its own
 * .go-arch-lens.json gets its targets), a local folder gets its own targets, and an import path, which names no
 * folder without asking go, the current folder's. One group when every pattern resolves to the same targets.
 */
function targetGroups(patterns: string[], cwd: string, targetsFor: (dir: string) => Target[]): { targets: Target[]; patterns: string[] }[] {
  const groups = new Map<string, { targets: Target[]; patterns: string[] }>();
  const add = (targets: Target[], pattern: string) => {
    const key = targets.map(targetKey).join(',');
    const group = groups.get(key) ?? { targets, patterns: [] };
    group.patterns.push(pattern);
    groups.set(key, group);
  };
  for (const pattern of patterns) {
    if (!isLocalPattern(pattern)) {
      add(targetsFor(cwd), pattern);
      continue;
    }
    const dir = path.resolve(cwd, pattern.replace(/\/?\.\.\.$/, '') || '.');
    if (!pattern.endsWith('...')) {
      add(targetsFor(dir), pattern);
      continue;
    }
    for (const group of splitByTargets(dir, targetsFor)) {
      for (const sub of group.patterns) add(group.targets, relativePattern(cwd, path.join(dir, sub)));
    }
  }
  return [...groups.values()];
}

/** One verdict of runs over disjoint packages: a target's status is the worst of its runs, its errors their sum. */
function mergeVerdicts(verdicts: BuildVerdict[]): BuildVerdict {
  const targets = new Map<string, TargetVerdict>();
  for (const run of verdicts.flatMap((v) => v.targets)) {
    const seen = targets.get(run.target);
    if (!seen) {
      targets.set(run.target, { ...run });
      continue;
    }
    if (STATUS_RANK[run.status] > STATUS_RANK[seen.status]) {
      seen.status = run.status;
      seen.problem = run.problem;
    }
    seen.errors += run.errors;
    seen.durationMs += run.durationMs;
  }
  return {
    targets: [...targets.values()],
    packages: verdicts.flatMap((v) => v.packages),
    findings: verdicts.flatMap((v) => v.findings),
    notes: verdicts.flatMap((v) => v.notes),
    hiddenEverywhere: verdicts.reduce((sum, v) => sum + v.hiddenEverywhere, 0),
    cancelled: verdicts.some((v) => v.cancelled),
  };
}

/** A go that could not run for a target outweighs its compile errors: the exit status says the check did not look. */
const STATUS_RANK: Record<TargetStatus, number> = { excluded: 0, ok: 1, failed: 2, cancelled: 3, error: 4 };

/** One line per target: `build: linux/amd64 ok, linux/arm64 failed (2 errors), …`. */
export function buildSummary(verdict: BuildVerdict): string {
  return `build: ${verdict.targets.map((t) => {
    if (t.status === 'failed') return `${t.target} failed (${t.errors} error${t.errors === 1 ? '' : 's'})`;
    if (t.status === 'error') return `${t.target} not checked (go failed)`;
    return `${t.target} ${t.status === 'excluded' ? 'excluded by build constraints' : t.status}`;
  }).join(', ')}`;
}

export function buildFailed(verdict: BuildVerdict | undefined): boolean {
  return !verdict || verdict.targets.some((t) => t.status === 'failed' || t.status === 'error');
}

/** As go tells a folder from an import path: `sub` is an import path to go even when a folder `sub` exists. */
function isLocalPattern(pattern: string): boolean {
  return pattern === '.' || pattern === '..' || pattern.startsWith('./') || pattern.startsWith('../') || path.isAbsolute(pattern);
}
