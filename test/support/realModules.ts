// Pinned modules from the Go module proxy as a test bed for the analyzers' fixes: a writable copy of a module,
// the go command as those tests run it, and the choice of fixes an editor user would accept.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import type { Finding, Fix, TextEdit } from '../../core/src/analysis/finding';
import type { Analyzer } from '../../core/src/analysis/pass';
import type { Engine } from '../../core/src/engine';
import { applyEdits } from './analysistest';

/** Runs go with cgo off (cross builds need no C compiler) and the module's own go.mod, whatever the caller's setup. */
export function go(args: string[], cwd: string, env: Record<string, string> = {}): { ok: boolean; output: string } {
  const r = spawnSync('go', args, {
    cwd, encoding: 'utf8', maxBuffer: 64 << 20,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOWORK: 'off', GOTOOLCHAIN: 'local', ...env },
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}${r.error ?? ''}` };
}

/** A writable copy of a module from the module cache (whose files are read-only); the caller removes it. */
export function writableCopy(module: string, version: string): string {
  const download = go(['mod', 'download', '-json', `${module}@${version}`], os.tmpdir());
  assert.ok(download.ok, download.output);
  const dir = JSON.parse(download.output.slice(download.output.indexOf('{'))).Dir as string;
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-realfix-'));
  fs.cpSync(dir, copy, { recursive: true });
  const makeWritable = (p: string) => {
    const stat = fs.statSync(p);
    fs.chmodSync(p, stat.isDirectory() ? 0o755 : 0o644);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) makeWritable(path.join(p, name));
  };
  makeWritable(copy);
  return copy;
}

/** The fix an editor offers first for a finding, or its only one. */
export function chosenFix(fixes: Fix[] | undefined): Fix | undefined {
  return fixes?.find((f) => f.preferred) ?? fixes?.[0];
}

export function overlaps(a: TextEdit, b: TextEdit): boolean {
  const before = (x: { line: number; character: number }, y: { line: number; character: number }) =>
    x.line < y.line || (x.line === y.line && x.character <= y.character);
  return a.file === b.file && !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start));
}

/** go patterns for package folders of a module (`.` for its root). */
export function packagePatterns(packages: string[]): string[] {
  return packages.map((p) => (p === '.' ? '.' : `./${p}`));
}

/**
 * Runs `analyzers` over every .go file of `packages` (folders of `root`) and writes the fix an editor user would
 * accept for each finding (chosenFix) into the files, leaving out one that overlaps a fix already taken; an internal
 * error fails the test. `onApplied` hears of each finding whose fix is taken, before any file changes.
 */
export function applyChosenFixes(engine: Engine, root: string, packages: string[], targets: Target[], analyzers: Analyzer[],
  onApplied: (finding: Finding, file: string) => void): { files: string[]; skippedOverlapping: number } {
  const accepted: TextEdit[] = [];
  let skippedOverlapping = 0;
  for (const pkg of packages) {
    const dir = path.join(root, pkg);
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.go')).sort()) {
      const file = path.join(dir, name);
      const findings = engine.analyzeFile(file, targets, analyzers);
      if ('error' in findings) assert.fail(`${pkg}/${name}: ${findings.error}`);
      for (const finding of findings) {
        assert.ok(!finding.internalError && !/^internal error/.test(finding.message), `${pkg}/${name}: ${finding.message}`);
        const fix = chosenFix(finding.fixes);
        if (!fix) continue;
        if (fix.edits.some((e) => accepted.some((a) => overlaps(a, e)))) {
          skippedOverlapping++;
          continue;
        }
        accepted.push(...fix.edits);
        onApplied(finding, file);
      }
    }
  }
  const files = [...new Set(accepted.map((e) => e.file))];
  for (const file of files) fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), accepted.filter((e) => e.file === file)));
  return { files, skippedOverlapping };
}
