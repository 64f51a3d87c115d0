import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A claim about a layout: a Go constant expression (e.g. `unsafe.Sizeof(T{})`) and the value it must have. */
export interface LayoutClaim {
  expr: string;
  value: number;
}

/**
 * Asks the real compiler whether each claim holds for GOARCH, by building the package in `pkgDir` with an extra
 * file of compile-time assertions (an array index that is out of range unless expr == value). Returns the compiler
 * output when a claim is false, or undefined when all hold.
 */
export function compilerRejects(
  pkgDir: string, packageName: string, goos: string, goarch: string, claims: LayoutClaim[], imports: string[] = [],
  env: Record<string, string> = {},
): string | undefined {
  const file = path.join(pkgDir, 'zz_layout_claims_test_only.go');
  const lines = claims.flatMap((c, i) => [
    `var _ = [1]struct{}{}[${c.expr}-${c.value}] // claim ${i}`,
    `var _ = [1]struct{}{}[${c.value}-${c.expr}] // claim ${i}`,
  ]);
  // Extra imports must be used by the claims; unsafe is kept alive by a blank variable.
  const importLines = ['unsafe', ...imports].map((p) => `import "${p}"`).join('\n');
  fs.writeFileSync(file, `package ${packageName}\n\n${importLines}\n\nvar _ unsafe.Pointer\n\n${lines.join('\n')}\n`);
  try {
    const result = spawnSync('go', ['build', './'], {
      cwd: pkgDir, encoding: 'utf8', env: { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', ...env },
    });
    return result.status === 0 ? undefined : `${result.stderr}${result.error ?? ''}`;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Like compilerRejects, for a package of GOROOT (whose unexported types only its own files can name): the
 * assertions go into an extra file of that package through `go build -overlay`, GOROOT itself untouched.
 * `env` adds toolchain settings such as GOEXPERIMENT or GOAMD64.
 */
export function stdCompilerRejects(
  goroot: string, importPath: string, packageName: string, goos: string, goarch: string, claims: LayoutClaim[],
  env: Record<string, string> = {},
): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-overlay-'));
  try {
    const claimsFile = path.join(dir, 'claims.go');
    const lines = claims.flatMap((c, i) => [
      `var _ = [1]struct{}{}[${c.expr}-${c.value}] // claim ${i}`,
      `var _ = [1]struct{}{}[${c.value}-${c.expr}] // claim ${i}`,
    ]);
    fs.writeFileSync(claimsFile, `package ${packageName}\n\nimport "unsafe"\n\nvar _ unsafe.Pointer\n\n${lines.join('\n')}\n`);
    const overlay = path.join(dir, 'overlay.json');
    const target = path.join(goroot, 'src', importPath, 'zz_layout_claims_test_only.go');
    fs.writeFileSync(overlay, JSON.stringify({ Replace: { [target]: claimsFile } }));
    const result = spawnSync('go', ['build', `-overlay=${overlay}`, importPath], {
      cwd: dir, encoding: 'utf8',
      env: { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '', GOWORK: 'off', GOTOOLCHAIN: 'local', ...env },
    });
    return result.status === 0 ? undefined : `${result.stderr}${result.error ?? ''}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
