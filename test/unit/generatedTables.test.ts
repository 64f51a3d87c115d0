import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const GENERATOR = path.join(__dirname, '../../../scripts/gen-syscall-tables');

describe('generated syscall tables', function () {
  // The generator's own go test builds every table entry as a compile-time assertion for 15 targets.
  this.timeout(15 * 60 * 1000);

  it('are what the generator produces today, and every entry compiles (or fails to, when absent) on its target', () => {
    const r = spawnSync('go', ['test', '-count=1', '.'], { cwd: GENERATOR, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });
});
