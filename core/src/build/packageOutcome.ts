// What one target's `go list -e -export` answer says about each package: built, failed with which errors, or not
// built for the target at all (its build constraints exclude every file), and which cgo files were left out.
import * as path from 'path';
import type { Target } from '../api';
import { readSourceFile } from '../resolve/sourceFiles';
import { blamesMissingCgoName, cgoSkippedFiles, declaredNames } from './cgoFiles';
import { parseErrorText, parsePos, type PositionedError } from './compileErrors';
import type { ListedPackage, ListError } from './goList';

export type PackageStatus = 'ok' | 'failed' | 'excluded';

export interface PackageOutcome {
  importPath: string;
  dir: string;
  status: PackageStatus;
  errors: PositionedError[];
  /** Errors the go command gave without a position (shown on the package clause). */
  problems: string[];
  /** Files left out because they use cgo and cgo is off for this target. */
  cgoSkipped: string[];
}

const EXCLUDED = /^build constraints exclude all Go files in /;

/** One outcome per package folder: a package's test variants (`p [p.test]`, `p_test`) count as the package. */
export function packageOutcomes(listed: ListedPackage[], cwd: string, target: Target, host: boolean): PackageOutcome[] {
  const byDir = new Map<string, PackageOutcome & { listed: ListedPackage[] }>();
  for (const pkg of listed) {
    // The generated test main (`p.test`) holds nothing of the user's.
    if (!pkg.Dir || (pkg.ImportPath.endsWith('.test') && pkg.Name === 'main' && !pkg.GoFiles?.length)) continue;
    let outcome = byDir.get(pkg.Dir);
    if (!outcome) {
      outcome = { importPath: pkg.ImportPath.split(' ')[0], dir: pkg.Dir, status: 'ok', errors: [], problems: [], cgoSkipped: [], listed: [] };
      byDir.set(pkg.Dir, outcome);
    }
    outcome.listed.push(pkg);
  }
  return [...byDir.values()].map(({ listed: variants, ...outcome }) => judge(outcome, variants, cwd, target, host));
}

function judge(outcome: PackageOutcome, variants: ListedPackage[], cwd: string, target: Target, host: boolean): PackageOutcome {
  const ignored = [...new Set(variants.flatMap((v) => v.IgnoredGoFiles ?? []))];
  const skipped = host ? [] : cgoSkippedFiles(outcome.dir, ignored, target);
  outcome.cgoSkipped = skipped.map((s) => s.file);
  const cgoNames = new Set(skipped.flatMap((s) => [...declaredNames(s.source)]));
  let excluded = false;
  for (const variant of variants) {
    for (const error of [variant.Error, ...(variant.DepsErrors ?? [])]) {
      if (!error) continue;
      if (error === variant.Error && EXCLUDED.test(error.Err) && (variant.GoFiles ?? []).length === 0) {
        excluded = true;
        continue;
      }
      addError(outcome, variant, error, error !== variant.Error, cwd);
    }
  }
  outcome.errors = unique(outcome.errors.filter((e) => !blamesMissingCgoName(e.message, cgoNames)));
  outcome.problems = [...new Set(outcome.problems)];
  const failed = outcome.errors.length > 0 || outcome.problems.length > 0;
  outcome.status = failed ? 'failed' : excluded ? 'excluded' : 'ok';
  return outcome;
}

function addError(outcome: PackageOutcome, pkg: ListedPackage, error: ListError, fromDependency: boolean, cwd: string): void {
  const pos = error.Pos ? parsePos(error.Pos, cwd) : undefined;
  if (pos) {
    outcome.errors.push({ ...pos, message: error.Err.replace(/^# .*\n/, '').trim() });
    return;
  }
  const parsed = parseErrorText(error.Err, cwd);
  outcome.errors.push(...parsed.errors);
  if (parsed.unpositioned.length === 0) return;
  const text = parsed.unpositioned.join('\n');
  // A dependency that cannot be built at all (excluded by its constraints, missing): blame the import line.
  const dependency = fromDependency ? error.ImportStack?.[error.ImportStack.length - 1] : undefined;
  const at = dependency ? importPosition(pkg, dependency) : undefined;
  if (at && dependency) outcome.errors.push({ ...at, message: `package ${dependency}: ${text}` });
  else outcome.problems.push(text);
}

/** Where a package's own files import `importPath` (line and byte column of the quoted path). */
function importPosition(pkg: ListedPackage, importPath: string): { file: string; line: number; column: number } | undefined {
  const files = [...(pkg.GoFiles ?? []), ...(pkg.TestGoFiles ?? []), ...(pkg.XTestGoFiles ?? [])];
  for (const name of files) {
    const file = path.join(pkg.Dir ?? '', name);
    const read = readSourceFile(file);
    if (!('text' in read)) continue;
    const lines = read.text.split('\n');
    const index = lines.findIndex((l) => l.includes(`"${importPath}"`));
    if (index >= 0) return { file, line: index + 1, column: Buffer.byteLength(lines[index].slice(0, lines[index].indexOf(`"${importPath}"`))) + 1 };
  }
  return undefined;
}

function unique(errors: PositionedError[]): PositionedError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.file}\0${e.line}\0${e.column}\0${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
