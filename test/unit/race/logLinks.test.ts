// The race-log link matcher (core/src/race/logLinks.ts) against the regular expressions it replaced, which gave the
// right links but took quadratic time on hostile lines: same locations on real logs and on many random short lines.
import * as assert from 'assert';
import { logLocations, MAX_LINK_LINE, type LogLocation } from '../../../core/src/race/logLinks';
import { raceRuns, RaceRuns } from './fixtureRuns';

// The client's patterns before the matcher moved to core (client/src/race/logDocuments.ts).
const FRAME_LINE = /^(?:\d{4}-\d\d-\d\dT\S+ ?)?\s+((?:[A-Za-z]:)?[\\/].*?\.go):(\d+)(?: \+0x[0-9a-fA-F]+)?\s*$/d;
const EMBEDDED_LOCATION = /(?<=^|[\s"]|\\t)((?:[A-Za-z]:)?[\\/][^\s"*?<>|:]*?\.go):(\d+)\b/dg;

function previousLocations(text: string): LogLocation[] {
  if (!text.includes('.go:')) return [];
  const frame = FRAME_LINE.exec(text);
  if (frame) return [{ file: frame[1], line: Number(frame[2]), start: frame.indices![1][0], end: frame.indices![2][1] }];
  const json = text.startsWith('{');
  return [...text.matchAll(EMBEDDED_LOCATION)].map((m) => ({
    file: json ? m[1].replace(/\\\\/g, '\\') : m[1], line: Number(m[2]), start: m.indices![1][0], end: m.indices![2][1],
  }));
}

/** Every line of the log in the forms the grammar and the links must handle: as is, with CI timestamps, Windows paths. */
function variants(log: string): string[] {
  const lines = log.split('\n');
  const stamped = lines.map((l, i) => `2025-03-04T05:06:07.${String(i).padStart(7, '0')}Z ${l}`);
  // Windows paths: a drive and backslashes (doubled inside -json strings).
  const windows = lines.map((l) => (l.startsWith('{')
    ? l.replace(/"\/|\\t\/|(?<=\\t)\//g, (m) => m.replace('/', 'C:\\\\')).replace(/(?<=C:\\\\[^"]*?)\//g, '\\\\')
    : l.replace(/(^|\s)\/(\S*\.go)/g, (_m, lead: string, rest: string) => `${lead}C:\\${rest.replace(/\//g, '\\')}`)));
  return [...lines, ...stamped, ...windows];
}

describe('race-log links (linear-time matcher)', function () {
  this.timeout(300000);
  let runs: RaceRuns;

  before(async () => {
    runs = await raceRuns();
  });

  it('gives the same links as the patterns it replaced on every line of real logs, in every form', () => {
    for (const log of [runs.plain.log, runs.json.log, runs.program.log]) {
      let linked = 0;
      for (const line of variants(log)) {
        const expected = previousLocations(line);
        assert.deepStrictEqual(logLocations(line), expected, line);
        linked += expected.length;
      }
      // Every schedule prints at least the fixtures' forced races, a few frames each, in three forms.
      assert.ok(linked >= 20, `${linked} links: the log must hold frames`);
    }
  });

  it('gives the same links as the patterns it replaced on 20,000 random short lines', () => {
    const pieces = ['/', '\\', '\\t', '\t', ' ', '"', ':', '.go', '.go:', '12', '7', 'a', 'C:', 'x_', '*', '{', '+0x1f', '2025-01-02T03:04:05Z '];
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 20000; i++) {
      let line = '';
      for (let k = random(14); k >= 0; k--) line += pieces[random(pieces.length)];
      assert.deepStrictEqual(logLocations(line), previousLocations(line), JSON.stringify(line));
    }
  });

  it('links a long hostile line in one pass and none of a line over the cap', () => {
    // Just under the cap: `\t/` repeated, then `x.go:1`. The old pattern tried a path from every `/` to the end.
    const underCap = '\\t/'.repeat(Math.floor((MAX_LINK_LINE - 10) / 3)) + 'x.go:1';
    assert.ok(underCap.length <= MAX_LINK_LINE);
    // A backslash starts a (Windows) path too, as it did for the old pattern: one link over the whole line.
    const summary = (l: { file: string; line: number; start: number; end: number }) => [l.start, l.end, l.line, l.file === underCap.slice(0, -2)];
    assert.deepStrictEqual(logLocations(underCap).map(summary), [[0, underCap.length, 1, true]]);
    const issueLine = '\\t/'.repeat(40000) + 'x.go:1';
    assert.ok(issueLine.length > MAX_LINK_LINE);
    assert.deepStrictEqual(logLocations(issueLine), []);
  });
});
