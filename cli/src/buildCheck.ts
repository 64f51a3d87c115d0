// `check --build`: the compiler's verdict for every target over packages given as the go command takes them.
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { checkBuild, type BuildVerdict } from '../../core/src/build/buildCheck';
import { hostTarget } from '../../core/src/build/hostTarget';
import { resolveTargets } from '../../core/src/projectTargets';
import type { Output } from './output';

/**
 * Runs the build check in the current folder. Unlike the editor, errors every target has are kept: CI has no gopls
 * to report them. Target problems (no go, a broken go.mod) and cgo notes go to stderr.
 */
export async function runBuildCheck(patterns: string[], flagTargets: Target[] | undefined, tests: boolean, io: Output): Promise<BuildVerdict | undefined> {
  const cwd = process.cwd();
  const { targets, problems } = resolveTargets(firstFolder(patterns, cwd), flagTargets);
  for (const problem of problems) io.err(`note: ${problem}`);
  const host = await hostTarget('go');
  if ('error' in host) {
    io.err(`go-arch-lens: cannot run the build check: ${host.error}`);
    return undefined;
  }
  const verdict = await checkBuild({ cwd, patterns, targets, host, tests, showEverywhere: true });
  for (const target of verdict.targets.filter((t) => t.problem)) io.err(`go-arch-lens: ${target.target}: ${target.problem}`);
  for (const note of verdict.notes) io.err(`note: ${note}`);
  return verdict;
}

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

/** The folder whose project file picks the targets: the first pattern that is a local path, else the current folder. */
function firstFolder(patterns: string[], cwd: string): string {
  const local = patterns.find((p) => p === '.' || p.startsWith('./') || p.startsWith('../') || path.isAbsolute(p));
  return local ? path.resolve(cwd, local.replace(/\/?\.\.\.$/, '') || '.') : cwd;
}
