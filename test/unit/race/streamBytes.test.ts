// parseRaceLog hands the parser undecoded bytes (latin1, one character per byte) and decodes only the text it
// keeps. These tests hold it to the text path (RaceLogParser fed decoded strings) on the real logs and on the byte
// level edges: multi-byte characters and invalid bytes split between chunks, a BOM, non-ASCII white space around
// test names, CRLF, CI timestamps, -json events.
import * as assert from 'assert';
import { parseRaceLog } from '../../../core/src/race/stream';
import type { RaceLogSummary, RaceReport } from '../../../core/src/race/types';
import { parseLog, raceRuns, RaceRuns } from './fixtureRuns';

/** Feeds `bytes` to parseRaceLog in chunks of the given sizes (cycled). */
async function parseBytes(bytes: Buffer, chunkSizes: number[] = [bytes.length || 1]): Promise<{ reports: RaceReport[]; summary: RaceLogSummary }> {
  const reports: RaceReport[] = [];
  async function* chunks() {
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const size = chunkSizes[i % chunkSizes.length];
      yield bytes.subarray(at, at + size);
      at += size;
    }
  }
  const summary = await parseRaceLog(chunks(), (report) => reports.push(report));
  return { reports, summary };
}

/** Asserts that the byte path gives what the text path gives for the text a streaming TextDecoder makes of `bytes`. */
async function assertSameAsText(bytes: Buffer, chunkSizes: number[][], label: string): Promise<void> {
  const expected = parseLog(new TextDecoder().decode(bytes));
  for (const sizes of chunkSizes) {
    const actual = await parseBytes(bytes, sizes);
    assert.deepStrictEqual(actual.reports, expected.reports, `${label} in chunks of ${sizes.slice(0, 3)}…`);
    assert.deepStrictEqual(actual.summary, expected.summary, `${label} in chunks of ${sizes.slice(0, 3)}…`);
  }
}

/** A report whose frames, test name and surroundings hold non-ASCII text, as the race detector would print it. */
const UNICODE_REPORT = [
  '=== RUN  \u00a0TestÜber/fall_€\u3000',
  '  handler_test.go:3: served in 7µs',
  '==================',
  'WARNING: DATA RACE',
  'Write at 0x00c000012345 by goroutine 8:',
  '  example.com/grüße.TestÜber.func1()',
  '      /home/jürgen/grüße/über_test.go:16 +0x7b',
  '',
  'Previous read at 0x00c000012345 by goroutine 7:',
  '  example.com/grüße.(*Zähler).Lies()',
  '      /home/jürgen/grüße/zähler.go:9 +0x44',
  '',
  'Goroutine 8 (running) created at:',
  '  example.com/grüße.TestÜber()',
  '      /home/jürgen/grüße/über_test.go:14 +0x126',
  '==================',
  '    testing.go:1712: race detected during execution of test',
  '--- FAIL: TestÜber (0.00s)',
  '    --- FAIL: TestÜber/fall_€ (0.00s)',
  'FAIL\texample.com/grüße\t0.01s',
].join('\n') + '\n';

describe('race log read as bytes (parseRaceLog)', function () {
  this.timeout(300000);
  let runs: RaceRuns;

  before(async () => {
    runs = await raceRuns();
  });

  it('gives the text path\'s reports and summary for the real logs, whatever the chunk boundaries', async () => {
    for (const [name, run] of Object.entries({ json: runs.json, plain: runs.plain, program: runs.program, clean: runs.clean })) {
      await assertSameAsText(Buffer.from(run.log), [[1 << 20], [1], [4093, 17, 301]], name);
    }
  });

  it('decodes non-ASCII names, paths and white space exactly as the text path, split anywhere', async () => {
    const bytes = Buffer.from(UNICODE_REPORT + runs.program.log + UNICODE_REPORT.replace(/\n/g, '\r\n'));
    const expected = parseLog(new TextDecoder().decode(bytes));
    const first = expected.reports[0];
    assert.strictEqual(first.reportedUnder, 'TestÜber/fall_€', 'NBSP and ideographic space trimmed');
    assert.strictEqual(first.access?.frames[0].file, '/home/jürgen/grüße/über_test.go');
    assert.strictEqual(first.previous?.top?.function, 'example.com/grüße.(*Zähler).Lies');
    assert.deepStrictEqual(expected.summary.testsFailedByRace, [{ package: null, test: 'TestÜber/fall_€' }]);
    // Chunks of 1 and 2 bytes split every multi-byte character somewhere.
    await assertSameAsText(bytes, [[1], [2], [3, 5, 7], [1 << 20]], 'unicode');
  });

  it('turns invalid bytes into U+FFFD as one streaming TextDecoder would, also when a chunk splits them', async () => {
    const bad = Buffer.concat([
      Buffer.from('WARNING: DATA RACE\nRead at 0x01 by goroutine 1:\n  a.B\xe2\x82()\n', 'latin1'), // a cut-off € in a name
      Buffer.from('      /x/y.go:1 +0x1\n      /x/z', 'latin1'),
      Buffer.from([0xff, 0xc3]), // invalid, then the start of a two-byte character the log ends in
    ]);
    await assertSameAsText(bad, [[1], [5], [1 << 20]], 'invalid');
    const { reports } = await parseBytes(bad, [1]);
    assert.ok(reports[0].raw.endsWith('/x/z\ufffd\ufffd'), JSON.stringify(reports[0].raw));
    assert.strictEqual(reports[0].incomplete, true);
  });

  it('drops a BOM at the start of the stream only, also when it comes one byte per chunk', async () => {
    const log = Buffer.from(runs.program.log);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), log]);
    const plain = await parseBytes(log);
    assert.deepStrictEqual((await parseBytes(withBom, [1, 1, 1, 1 << 20])).reports, plain.reports);
    assert.deepStrictEqual((await parseBytes(withBom, [2, 1 << 20])).reports, plain.reports);
    // A BOM further on is text (U+FEFF), as TextDecoder leaves it.
    await assertSameAsText(Buffer.concat([log, Buffer.from([0xef, 0xbb, 0xbf]), log]), [[1], [1 << 20]], 'inner BOM');
  });

  it('reads text chunks too, rejoining a surrogate pair split between them', async () => {
    const text = UNICODE_REPORT.replace(/grüße/g, 'gr😀ße') + runs.program.log;
    const expected = parseLog(text);
    assert.strictEqual(expected.reports[0].access?.frames[0].function, 'example.com/gr😀ße.TestÜber.func1');
    for (const size of [1, 3, 4096]) {
      const reports: RaceReport[] = [];
      async function* chunks() {
        for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
      }
      const summary = await parseRaceLog(chunks(), (report) => reports.push(report));
      assert.deepStrictEqual(reports, expected.reports, `text in chunks of ${size}`);
      assert.deepStrictEqual(summary, expected.summary);
    }
  });

  it('reads CI timestamps, CRLF and -json events with non-ASCII output from bytes', async () => {
    const stamped = UNICODE_REPORT.split('\n').map((line, i) => `2025-03-04T05:06:07.${String(i).padStart(7, '0')}Z ${line}`).join('\r\n');
    await assertSameAsText(Buffer.from(stamped), [[1], [7], [1 << 20]], 'stamped');
    const events = UNICODE_REPORT.split(/(?<=\n)/).map((Output) => JSON.stringify({ Action: 'output', Package: 'example.com/grüße', Test: 'TestÜber', Output }) + '\n').join('');
    const eventLog = events + JSON.stringify({ Action: 'fail', Package: 'example.com/grüße' }) + '\n';
    const expected = parseLog(eventLog);
    assert.strictEqual(expected.reports.length, 1);
    assert.strictEqual(expected.reports[0].package, 'example.com/grüße');
    await assertSameAsText(Buffer.from(eventLog), [[1], [13], [1 << 20]], '-json');
  });
});
