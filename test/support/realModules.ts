// Pinned modules from the Go module proxy as a test bed for the analyzers' fixes: a writable copy of a module,
// the go command as those tests run it, and the choice of fixes an editor user would accept.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Fix, TextEdit } from '../../core/src/analysis/finding';

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
