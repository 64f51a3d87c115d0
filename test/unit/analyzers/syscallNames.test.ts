import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { syscallNames } from '../../../core/src/analysis/analyzers/syscallNames';
import { describeAnalyzer } from '../../support/analysistest';

function vet(dir: string, goarch: string): { ok: boolean; output: string } {
  const r = spawnSync('go', ['vet', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0' } });
  return { ok: r.status === 0, output: r.stderr };
}

describeAnalyzer(syscallNames, ({ fixture }) => {
  it('flags what really does not compile: the fixture builds on amd64 and fails on arm64 at the flagged names', () => {
    assert.ok(vet(fixture, 'amd64').ok);
    const arm64 = vet(fixture, 'arm64');
    assert.ok(!arm64.ok);
    assert.match(arm64.output, /undefined: syscall\.SYS_OPEN/);
  });
});
