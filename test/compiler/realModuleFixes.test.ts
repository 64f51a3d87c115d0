import * as assert from 'assert';
import * as fs from 'fs';
import type { Target } from '../../core/src/api';
import { ALL_ANALYZERS } from '../../core/src/analysis/registry';
import { Engine } from '../../core/src/engine';
import { realGoEnv } from '../support/goModule';
import { applyChosenFixes, go, packagePatterns, writableCopy } from '../support/realModules';

/**
 * Every fix the analyzers offer, applied over real modules, must leave them building for every configured target.
 * Pinned modules from the Go module proxy; only the listed packages are analyzed and built, which bounds the run
 * (about 6 minutes on 2 busy cores, most of it `go build` for four targets).
 */
const MODULES: { module: string; version: string; packages: string[] }[] = [
  // http2's writeData and friends are built with positional literals in other files of the package.
  { module: 'golang.org/x/net', version: 'v0.61.0', packages: ['http2', 'quic', 'internal/quic/quicwire', 'ipv4', 'icmp'] },
  // MapInfo, ProgramSpec (positional literals), and many generated files (internal/sys/types.go).
  { module: 'github.com/cilium/ebpf', version: 'v0.22.0', packages: ['.', 'perf', 'ringbuf', 'internal/sys'] },
  { module: 'go.etcd.io/bbolt', version: 'v1.4.3', packages: ['.'] },
];

const TARGETS: Target[] = ['amd64', 'arm64', '386', 'arm'].map((goarch) => ({ goos: 'linux', goarch }));

describe('every offered fix, applied over real modules, builds for every target', function () {
  this.timeout(40 * 60 * 1000);
  let engine: Engine;
  before(async () => {
    engine = await Engine.create(realGoEnv());
  });

  for (const { module, version, packages } of MODULES) {
    it(`${module}@${version} (${packages.join(', ')})`, () => {
      const root = writableCopy(module, version);
      try {
        const patterns = packagePatterns(packages);
        for (const t of TARGETS) {
          const baseline = go(['build', ...patterns], root, { GOOS: t.goos, GOARCH: t.goarch });
          assert.ok(baseline.ok, `${module} does not build for ${t.goos}/${t.goarch} before any fix:\n${baseline.output}`);
        }
        const byAnalyzer = new Map<string, number>();
        const { files, skippedOverlapping } = applyChosenFixes(engine, root, packages, TARGETS, ALL_ANALYZERS,
          (finding) => byAnalyzer.set(finding.analyzer, (byAnalyzer.get(finding.analyzer) ?? 0) + 1));
        const applied = [...byAnalyzer].map(([a, n]) => `${a} ${n}`).join(', ') || 'none';
        console.log(`      ${module}: applied ${applied} in ${files.length} files (${skippedOverlapping} overlapping fixes left out)`);
        assert.ok(byAnalyzer.size > 0, 'the module offers fixes, so the build below tests something');
        for (const t of TARGETS) {
          const after = go(['build', ...patterns], root, { GOOS: t.goos, GOARCH: t.goarch });
          assert.ok(after.ok, `after the fixes (${applied}) ${module} no longer builds for ${t.goos}/${t.goarch}:\n${after.output.slice(0, 4000)}`);
        }
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
