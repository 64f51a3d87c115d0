import * as assert from 'assert';
import { StreamedArray, writeJson } from '../../cli/src/jsonStream';

async function written(value: unknown): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  await writeJson(value, async (chunk) => { text += chunk; chunks++; });
  return { text, chunks };
}

/** The same document with every StreamedArray as a plain array: what JSON.stringify must give. */
function materialized(value: unknown): unknown {
  if (value instanceof StreamedArray) return [...value.items].map(materialized);
  if (Array.isArray(value)) return value.map(materialized);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialized(v)]));
  return value;
}

describe('JSON written piece by piece (cli/src/jsonStream)', () => {
  const cases: [string, () => unknown][] = [
    ['a plain value', () => ({ a: 1, b: [1, 'two', null], c: { d: true } })],
    ['a streamed array at the top', () => StreamedArray.of([1, 2, 3], (n) => ({ n, s: String(n) }))],
    ['an empty streamed array', () => ({ structs: new StreamedArray([]) })],
    ['streamed arrays nested in objects and arrays, undefined members left out', () => ({
      version: '2.1.0', skipped: undefined,
      runs: [{ tool: { name: 'x' }, results: StreamedArray.of(['a', 'b'], (s) => ({ s, gone: undefined, list: [] })), after: 'z' }],
    })],
    ['undefined items of a streamed array as null', () => new StreamedArray([1, undefined, 'x'])],
    ['strings needing escapes', () => ({ 'k"ey': new StreamedArray(['\n\u0001\u2028"\\']) })],
  ];
  for (const [name, make] of cases) {
    it(`writes ${name} as JSON.stringify(…, null, 2) does, with a final newline`, async () => {
      const { text } = await written(make());
      assert.strictEqual(text, JSON.stringify(materialized(make()), null, 2) + '\n');
    });
  }

  it('hands the text on in bounded chunks while the items are produced', async () => {
    let produced = 0;
    const items = (function* () {
      for (let i = 0; i < 20000; i++) { produced++; yield 'y'.repeat(100); }
    })();
    let maxChunk = 0;
    let producedAtFirstChunk = -1;
    await writeJson({ items: new StreamedArray(items) }, async (chunk) => {
      maxChunk = Math.max(maxChunk, chunk.length);
      if (producedAtFirstChunk < 0) producedAtFirstChunk = produced;
    });
    assert.ok(producedAtFirstChunk > 0 && producedAtFirstChunk < 20000, `first chunk after ${producedAtFirstChunk} items`);
    assert.ok(maxChunk < 2 * 65536, `largest chunk ${maxChunk}`);
  });
});
