import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { main } from '../../cli/src/main';

const EXAMPLES = path.join(__dirname, '../../../examples');

describe('bundled example workspace', function () {
  this.timeout(120000);

  it('builds on linux/amd64, where its hazards stay hidden', () => {
    const r = spawnSync('go', ['vet', './...'], { cwd: EXAMPLES, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: 'amd64' } });
    assert.strictEqual(r.status, 0, r.stderr);
  });

  it('shows one finding per planted hazard with go-arch-lens check', async () => {
    let out = '';
    const cwd = process.cwd();
    process.chdir(EXAMPLES);
    try {
      const code = await main(['check', './...'], { out: (t) => { out += t + '\n'; }, err: () => undefined });
      assert.strictEqual(code, 1);
    } finally {
      process.chdir(cwd);
    }
    const analyzers = [...out.matchAll(/^\S+\.go:\d+:\d+: .*\((\w+)\)$/gm)].map((m) => m[1]).sort();
    assert.deepStrictEqual(analyzers, ['atomicalign32', 'fieldtype', 'syscallnum', 'sysname']);
  });
});
