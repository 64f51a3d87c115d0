import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { constOverflow } from '../../../core/src/analysis/analyzers/constOverflow';
import type { Target } from '../../../core/src/api';
import { Engine } from '../../../core/src/engine';
import { checkFixtures, fixtureDir } from '../../support/analysistest';
import { realGoEnv } from '../../support/goModule';
import { ensureXSys } from '../../support/xsys';

/** Little- and big-endian, 64- and 32-bit: x/sys's PerfBit* masks change with byte order. */
const TARGETS: Target[] = ['amd64', '386', 'mips'].map((goarch) => ({ goos: 'linux', goarch }));

/** `file:line` of every compile error of the fixture package for linux/GOARCH. */
function compileErrorLines(dir: string, goarch: string): string[] {
  const r = spawnSync('go', ['build', '-gcflags=-e', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' } });
  return [...new Set([...r.stderr.matchAll(/^\.\/([\w.]+\.go):(\d+):\d+: /gm)].map((m) => `${m[1]}:${m[2]}`))].sort();
}

describe('analyzer constoverflow', function () {
  this.timeout(120000);
  const fixture = fixtureDir('constoverflow');
  let engine: Engine;
  before(async () => {
    ensureXSys();
    engine = await Engine.create(realGoEnv());
  });

  it('flags exactly the // want lines of its fixture (linux/amd64, linux/386, linux/mips)', () => {
    checkFixtures(engine, constOverflow, fixture, TARGETS);
  });

  it('flags exactly the lines the compiler rejects, per target, with the values the compiler prints', () => {
    const findings = checkFixtures(engine, constOverflow, fixture, TARGETS);
    for (const { goarch } of TARGETS) {
      const flagged = findings.filter((f) => new RegExp(`overflows \\w+ on [^:]*linux/${goarch}\\b`).test(f.message))
        .map((f) => `${path.basename(f.file)}:${f.range.start.line + 1}`).sort();
      assert.deepStrictEqual(compileErrorLines(fixture, goarch), flagged, goarch);
    }
    const mips = spawnSync('go', ['build', '-gcflags=-e', '.'], { cwd: fixture, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: 'mips', CGO_ENABLED: '0', GOFLAGS: '-mod=mod' } }).stderr;
    assert.match(mips, /unix\.PerfBitWatermark \(untyped int constant 562949953421312\) overflows int/);
    assert.ok(findings.some((f) => f.message.includes('562949953421312 on linux/mips')));
    assert.ok(fs.existsSync(path.join(fixture, 'go.sum')));
  });
});
