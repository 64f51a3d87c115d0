import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import type { TextEdit } from '../../core/src/analysis/finding';
import { ALL_ANALYZERS } from '../../core/src/analysis/registry';
import { Engine } from '../../core/src/engine';
import { applyEdits } from '../support/analysistest';
import { realGoEnv } from '../support/goModule';
import { chosenFix, go, overlaps, writableCopy } from '../support/realModules';

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
        const patterns = packages.map((p) => (p === '.' ? '.' : `./${p}`));
        for (const t of TARGETS) {
          const baseline = go(['build', ...patterns], root, { GOOS: t.goos, GOARCH: t.goarch });
          assert.ok(baseline.ok, `${module} does not build for ${t.goos}/${t.goarch} before any fix:\n${baseline.output}`);
        }
        const accepted: TextEdit[] = [];
        const byAnalyzer = new Map<string, number>();
        let skippedOverlapping = 0;
        for (const pkg of packages) {
          const dir = path.join(root, pkg);
          for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.go')).sort()) {
            const findings = engine.analyzeFile(path.join(dir, name), TARGETS, ALL_ANALYZERS);
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
              byAnalyzer.set(finding.analyzer, (byAnalyzer.get(finding.analyzer) ?? 0) + 1);
            }
          }
        }
        const files = [...new Set(accepted.map((e) => e.file))];
        for (const file of files) fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), accepted.filter((e) => e.file === file)));
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
