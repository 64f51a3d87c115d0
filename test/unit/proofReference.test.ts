import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const REFERENCE = path.join(__dirname, '../../../test/proof/reference');

describe('proof reference: compiler sample', function () {
  // Builds a few one-file packages with the real compiler (x/tools, the reference's dependency, from the module cache).
  this.timeout(10 * 60 * 1000);

  it('takes only packages that build for the target, leaves no binary behind, and still rejects a wrong layout', () => {
    const r = spawnSync('go', ['test', '-count=1', '-run', '^TestVerifySample', '.'], { cwd: REFERENCE, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });
});
