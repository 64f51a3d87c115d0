import { spawnSync } from 'child_process';
import * as fs from 'fs';
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
      cwd: pkgDir, encoding: 'utf8', env: { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    });
    return result.status === 0 ? undefined : `${result.stderr}${result.error ?? ''}`;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
