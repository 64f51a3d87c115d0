import * as assert from 'assert';
import * as path from 'path';
import type { LayoutEngine, Range, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { StructIndex } from '../../server/src/structIndex';
import { writeModule } from '../support/goModule';

const TARGETS: Target[] = [{ goos: 'linux', goarch: 'amd64' }];

/** One struct per line, so a range of n lines holds n structs. */
function structLines(count: number): string {
  return Array.from({ length: count }, (_, i) => `type S${i} struct{ a int8; b int64 }`).join('\n');
}

const lines = (start: number, end: number): Range => ({ start: { line: start, character: 0 }, end: { line: end, character: 0 } });

/** The real engine, counting how often the index asks it to lay out a range (a cache miss). */
async function countingEngine(): Promise<{ engine: LayoutEngine; misses: () => number }> {
  const real = await Engine.create();
  let count = 0;
  const engine = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'structsInFile') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: Parameters<Engine['structsInFile']>) => { count++; return target.structsInFile(...args); };
    },
  });
  return { engine, misses: () => count };
}

describe('the server\'s per-range layout cache', () => {
  it('answers a range asked again from the cache, and keeps at most 32 ranges (least recently used go first)', async () => {
    const file = path.join(writeModule({ 'go.mod': 'module m\n\ngo 1.26\n', 'm.go': `package m\n${structLines(100)}\n` }), 'm.go');
    const { engine, misses } = await countingEngine();
    const index = new StructIndex(engine, () => TARGETS);
    for (let line = 1; line <= 40; line++) index.structsIn(file, lines(line, line + 1));
    assert.strictEqual(misses(), 40);
    assert.ok(index.structsIn(file, lines(40, 41)).length > 0);
    assert.strictEqual(misses(), 40, 'the last range is served from the cache');
    index.structsIn(file, lines(9, 10));
    assert.strictEqual(misses(), 40, 'the 32nd most recent range is still cached');
    index.structsIn(file, lines(1, 2));
    assert.strictEqual(misses(), 41, 'the oldest ranges were evicted');
  });

  it('keeps at most 20,000 struct layouts over its ranges, but always the range just asked for', async () => {
    const file = path.join(writeModule({ 'go.mod': 'module m\n\ngo 1.26\n', 'm.go': `package m\n${structLines(15_000)}\n` }), 'm.go');
    const { engine, misses } = await countingEngine();
    const index = new StructIndex(engine, () => TARGETS);
    const first = lines(1, 12_001);
    const second = lines(3_001, 15_001);
    // About 12,000 layouts each (whether the end line counts is the engine's business): under the limit alone,
    // over it together.
    for (const range of [first, second]) assert.ok(Math.abs(index.structsIn(file, range).length - 12_000) <= 1);
    index.structsIn(file, second);
    assert.strictEqual(misses(), 2, 'the range over the limit on its own stays');
    index.structsIn(file, first);
    assert.strictEqual(misses(), 3, '24,000 layouts would pass the limit: the older range went');
  });
});
