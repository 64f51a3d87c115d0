import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { cacheLineSize, heapCost, heapCostText } from '../../core/src/layout/memoryCosts';
import { GC_ARCHES } from '../../core/src/targets';

const GENERATOR = path.join(__dirname, '../../../scripts/gen-runtime-tables');

describe('runtime tables (cache lines, size classes)', function () {
  this.timeout(5 * 60 * 1000);

  it('are what the toolchain\'s internal/cpu and internal/runtime/gc sources say today', () => {
    // The generator's go test parses GOROOT/src again and compares with the committed JSON; it also fails when
    // runtime.mallocgc no longer makes the decisions memoryCosts.ts mirrors.
    const r = spawnSync('go', ['test', '-count=1', '.'], { cwd: GENERATOR, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });

  it('give every gc GOARCH a cache-line size, 128 B on arm64', () => {
    for (const goarch of GC_ARCHES) assert.ok((cacheLineSize(goarch) ?? 0) >= 32, goarch);
    assert.strictEqual(cacheLineSize('arm64'), 128);
    assert.strictEqual(cacheLineSize('sparc'), undefined);
  });

  it('round a 25-byte struct up to the 32-byte class and name large objects by pages', () => {
    assert.strictEqual(heapCostText(heapCost(25, 0, 'amd64')!), '32 B class');
    assert.strictEqual(heapCostText(heapCost(0, 0, 'amd64')!), 'none (zero size)');
    assert.strictEqual(heapCostText(heapCost(40000, 0, 'amd64')!), 'large object (5 pages, 40960 B)');
  });
});
