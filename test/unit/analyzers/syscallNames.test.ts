import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { syscallNames } from '../../../core/src/analysis/analyzers/syscallNames';
import { Engine } from '../../../core/src/engine';
import { checkFixtures } from '../../support/analysistest';
import { realGoEnv } from '../../support/goModule';

const FIXTURE = path.join(__dirname, '../../../../test/fixtures/analysis/sysname');
const TARGETS = ['amd64', 'arm64', '386', 'arm'].map((goarch) => ({ goos: 'linux', goarch }));

function vet(goarch: string): { ok: boolean; output: string } {
  const r = spawnSync('go', ['vet', '.'], { cwd: FIXTURE, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0' } });
  return { ok: r.status === 0, output: r.stderr };
}

describe('analyzer sysname', function () {
  this.timeout(120000);
  let engine: Engine;
  before(async () => {
    engine = await Engine.create(realGoEnv());
  });

  it('flags exactly the // want lines of its fixture', () => {
    checkFixtures(engine, syscallNames, FIXTURE, TARGETS);
  });

  it('flags what really does not compile: the fixture builds on amd64 and fails on arm64 at the flagged names', () => {
    assert.ok(vet('amd64').ok);
    const arm64 = vet('arm64');
    assert.ok(!arm64.ok);
    assert.match(arm64.output, /undefined: syscall\.SYS_OPEN/);
  });
});
