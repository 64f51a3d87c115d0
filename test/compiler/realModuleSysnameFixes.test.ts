import * as assert from 'assert';
import * as fs from 'fs';
import type { Target } from '../../core/src/api';
import { syscallNames } from '../../core/src/analysis/analyzers/syscallNames';
import { Engine } from '../../core/src/engine';
import { syscallTableTargets } from '../../core/src/generated/syscalls';
import { realGoEnv } from '../support/goModule';
import { applyChosenFixes, go, packagePatterns, writableCopy } from '../support/realModules';

/**
 * The sysname fix (a raw call whose SYS_* number some target lacks, rewritten to the portable call) over real code:
 * every fix applied must add no compile error on any Linux target of the syscall tables, keep the package building
 * wherever it built, and remove the `undefined: syscall.SYS_…` errors it was offered for. Real packages often fail
 * on some targets for other reasons, so the check compares each target's errors before and after, rather than
 * asking every target to build.
 */
const MODULES: { module: string; version: string; packages: string[] }[] = [
  // sys_epoll_linux.go (`//go:build !arm64 && !loong64`, written before riscv64) calls syscall.SYS_EPOLL_WAIT, which
  // riscv64 lacks: `undefined: syscall.SYS_EPOLL_WAIT` on linux/riscv64.
  { module: 'github.com/cloudwego/netpoll', version: 'v0.7.2', packages: ['.'] },
];

const TARGETS: Target[] = syscallTableTargets.filter((t) => t.startsWith('linux/')).map((t) => {
  const [goos, goarch] = t.split('/');
  return { goos, goarch };
});

/**
 * A target's compile errors as `file: message`, without line and column (a rewritten call can change both for the
 * errors after it); `-gcflags=-e` lifts the compiler's limit of 10 errors, which could hide a new one.
 */
function compileErrors(root: string, patterns: string[], t: Target): { ok: boolean; errors: Set<string> } {
  const r = go(['build', '-gcflags=-e', ...patterns], root, { GOOS: t.goos, GOARCH: t.goarch });
  const errors = r.output.split('\n').filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.replace(/^(\S+?\.go):\d+:\d+: /, '$1: '));
  return { ok: r.ok, errors: new Set(errors) };
}

describe('sysname fixes, applied over real modules, build for every Linux target', function () {
  this.timeout(20 * 60 * 1000);
  let engine: Engine;
  before(async () => {
    engine = await Engine.create(realGoEnv());
  });

  for (const { module, version, packages } of MODULES) {
    it(`${module}@${version} (${packages.join(', ')})`, () => {
      const root = writableCopy(module, version);
      try {
        const patterns = packagePatterns(packages);
        const before = new Map(TARGETS.map((t) => [`${t.goos}/${t.goarch}`, compileErrors(root, patterns, t)]));
        let fixCount = 0;
        // The compile errors each fix is meant to end: `undefined: syscall.SYS_EPOLL_WAIT`.
        const undefinedNames = new Set<string>();
        const { files } = applyChosenFixes(engine, root, packages, TARGETS, [syscallNames], (finding, file) => {
          fixCount++;
          // The finding marks the `syscall.SYS_…` selector, which is on one line.
          const { start, end } = finding.range;
          undefinedNames.add(`undefined: ${fs.readFileSync(file, 'utf8').split('\n')[start.line].slice(start.character, end.character)}`);
        });
        console.log(`      ${module}: ${fixCount} sysname fixes in ${files.length} files, for ${[...undefinedNames].join(', ')}`);
        assert.ok(fixCount > 0, 'the module offers sysname fixes, so the builds below test something');
        const predicted = (e: string) => [...undefinedNames].some((u) => e.endsWith(`: ${u}`));
        const fixedTargets = [...before].filter(([, b]) => [...b.errors].some(predicted)).map(([t]) => t);
        assert.ok(fixedTargets.length > 0, `no target failed with ${[...undefinedNames].join(', ')} before the fixes`);
        for (const t of TARGETS) {
          const key = `${t.goos}/${t.goarch}`;
          const was = before.get(key)!;
          const after = compileErrors(root, patterns, t);
          const added = [...after.errors].filter((e) => !was.errors.has(e));
          assert.deepStrictEqual(added, [], `the fixes add compile errors on ${key}`);
          assert.ok(after.ok || !was.ok, `${module} built for ${key} before the fixes and no longer does:\n${[...after.errors].join('\n')}`);
          assert.deepStrictEqual([...after.errors].filter(predicted), [], `the fixed calls still fail on ${key}`);
        }
        console.log(`      errors gone on ${fixedTargets.join(', ')}; no new error on any of ${TARGETS.length} targets`);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
