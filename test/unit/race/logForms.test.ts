// The same real logs in the shapes they take in practice: split into arbitrary chunks, CRLF line endings, CI
// timestamps, noise around them, cut off mid-report, -json events split or stripped of their Test field.
import * as assert from 'assert';
import { raceKey } from '../../../core/src/race/dedup';
import { marker, parseLog, Parsed, raceRuns, RaceRuns } from './fixtureRuns';

interface Event {
  Action: string;
  Package?: string;
  Test?: string;
  Output?: string;
}

function events(log: string): Event[] {
  return log.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Event);
}

function eventLog(list: Event[]): string {
  return list.map((e) => JSON.stringify(e) + '\n').join('');
}

/** Deterministic chunk sizes from 1 to 300 (a fixed-seed linear congruential generator). */
function varyingSizes(count: number): number[] {
  const sizes: number[] = [];
  let state = 12345;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    sizes.push(1 + (state % 300));
  }
  return sizes;
}

const NOISE = [
  'Run go test -race ./...',
  '',
  '==================',
  'not a report: the line above is a lone delimiter',
  '  example.com/fake.Looks()',
  '      /tmp/looks/like/a/frame.go:12 +0x1d',
  'Previous write at 0x00c000012345 by goroutine 3:',
  '{"Action": 7}',
  '{not json at all',
  'Found many data race(s)',
  'WARNING: DATA RACES ARE A BUG',
  'fatal error: all goroutines are asleep - deadlock!',
  '',
  'goroutine 1 [chan receive]:',
  'main.main()',
  '\t/tmp/deadlock/main.go:5 +0x1d',
  'x'.repeat(100000),
  'build finished',
].join('\n') + '\n';

describe('race log forms', function () {
  this.timeout(300000);
  let runs: RaceRuns;
  let logs: Record<'json' | 'plain' | 'program', string>;
  let parsed: Record<'json' | 'plain' | 'program', Parsed>;

  before(async () => {
    runs = await raceRuns();
    logs = { json: runs.json.log, plain: runs.plain.log, program: runs.program.log };
    parsed = { json: parseLog(logs.json), plain: parseLog(logs.plain), program: parseLog(logs.program) };
  });

  it('gives the same reports whatever the chunk boundaries', () => {
    for (const [name, log] of Object.entries(logs)) {
      const whole = parsed[name as keyof typeof parsed];
      assert.ok(whole.reports.length >= 3, name);
      for (const sizes of [[1], [4096], varyingSizes(997)]) {
        const chunked = parseLog(log, sizes);
        assert.deepStrictEqual(chunked.reports, whole.reports, `${name} in chunks of ${sizes.slice(0, 3)}…`);
        assert.deepStrictEqual(chunked.summary, whole.summary);
      }
    }
  });

  it('reads CRLF line endings, also when a chunk ends between CR and LF', () => {
    for (const [name, log] of Object.entries(logs)) {
      const whole = parsed[name as keyof typeof parsed];
      const crlf = log.replace(/\n/g, '\r\n');
      assert.deepStrictEqual(parseLog(crlf).reports, whole.reports, name);
      assert.deepStrictEqual(parseLog(crlf, [1]).reports, whole.reports, name);
    }
  });

  it('removes CI timestamps in front of every line', () => {
    for (const [name, log] of Object.entries(logs)) {
      const stamped = log.split('\n').map((line, i) => (line === '' && i > 0 ? line : `2025-03-04T05:06:07.${String(i).padStart(7, '0')}Z ${line}`)).join('\n');
      assert.deepStrictEqual(parseLog(stamped).reports, parsed[name as keyof typeof parsed].reports, name);
    }
  });

  it('ignores noise around the reports', () => {
    for (const [name, log] of Object.entries(logs)) {
      const noisy = parseLog(NOISE + log + NOISE, varyingSizes(50));
      assert.deepStrictEqual(noisy.reports, parsed[name as keyof typeof parsed].reports, name);
      assert.deepStrictEqual(noisy.summary, parsed[name as keyof typeof parsed].summary, name);
    }
  });

  it('marks a report cut in the middle of a frame line incomplete and does not parse the cut line', () => {
    const log = logs.program;
    const second = log.indexOf('WARNING: DATA RACE', log.indexOf('WARNING: DATA RACE') + 1);
    const previous = log.indexOf('\nPrevious ', second);
    const fileLine = log.indexOf('\n      /', previous) + 1;
    const cutAt = log.indexOf(' +0x', fileLine) - 1; // inside the line number
    const cut = parseLog(log.slice(0, cutAt));
    const full = parsed.program.reports;
    assert.deepStrictEqual(cut.reports[0], full[0]);
    assert.strictEqual(cut.reports.length, 2);
    const partial = cut.reports[1];
    assert.strictEqual(partial.incomplete, true);
    assert.deepStrictEqual(partial.access, full[1].access);
    assert.ok(partial.previous, 'the previous access header was read');
    assert.deepStrictEqual(partial.previous.frames, [], 'the frame whose line was cut is left out');
    assert.deepStrictEqual(partial.goroutines, []);
    assert.strictEqual(partial.key, raceKey(partial));
    assert.ok(partial.raw.endsWith(log.slice(fileLine, cutAt)), 'the cut line stays in the raw text');
    assert.strictEqual(cut.summary.foundByPrograms, null);
  });

  it('marks a report cut right after its first line incomplete', () => {
    const log = logs.program;
    const cut = parseLog(log.slice(0, log.indexOf('WARNING: DATA RACE') + 'WARNING: DATA RACE\n'.length));
    assert.strictEqual(cut.reports.length, 1);
    assert.deepStrictEqual([cut.reports[0].incomplete, cut.reports[0].access, cut.reports[0].previous], [true, null, null]);
  });

  it('marks a report incomplete when the next report starts before it closes (spliced logs)', () => {
    const log = logs.program;
    const second = log.indexOf('WARNING: DATA RACE', log.indexOf('WARNING: DATA RACE') + 1);
    const third = log.indexOf('WARNING: DATA RACE', second + 1);
    const spliceFrom = log.indexOf('\nPrevious ', second) + 1;
    const spliced = parseLog(log.slice(0, spliceFrom) + log.slice(third));
    const full = parsed.program.reports;
    assert.deepStrictEqual(spliced.reports.map((r) => r.incomplete), [false, true, false]);
    assert.deepStrictEqual(spliced.reports[1].access, full[1].access);
    assert.strictEqual(spliced.reports[1].previous, null);
    assert.deepStrictEqual(spliced.reports[2].access, full[2].access);
    assert.strictEqual(spliced.summary.foundByPrograms, 3);
  });

  it('marks a -json report incomplete when the log stops in the middle of an event', () => {
    const log = logs.json;
    const frame = log.indexOf(`basic_test.go:${marker('leak.a').line} +0x`);
    const cut = parseLog(log.slice(0, frame));
    const leak = cut.reports[cut.reports.length - 1];
    assert.strictEqual(leak.incomplete, true);
    assert.strictEqual(leak.package, 'racefixture/basic');
    assert.strictEqual(leak.reportedUnder, 'TestVictim');
    const before = parsed.json.reports.slice(0, cut.reports.length - 1);
    assert.deepStrictEqual(cut.reports.slice(0, -1), before);
  });

  it('rebuilds -json output lines split across events', () => {
    const split = events(logs.json).flatMap((e) => {
      if (e.Action !== 'output' || !e.Output || e.Output.length < 3) return [e];
      const a = Math.floor(e.Output.length / 3);
      const b = Math.floor((2 * e.Output.length) / 3);
      return [e.Output.slice(0, a), e.Output.slice(a, b), e.Output.slice(b)].map((Output) => ({ ...e, Output }));
    });
    assert.deepStrictEqual(parseLog(eventLog(split)).reports, parsed.json.reports);
  });

  it('keeps packages apart when their events interleave', () => {
    const list = events(logs.json);
    const basic = list.filter((e) => e.Package === 'racefixture/basic');
    const counter = list.filter((e) => e.Package === 'racefixture/counter');
    const mixed: Event[] = [];
    for (let i = 0; i < Math.max(basic.length, counter.length); i++) mixed.push(...[basic[i], counter[i]].filter(Boolean));
    const expected = parsed.json.reports.filter((r) => r.package === 'racefixture/basic' || r.package === 'racefixture/counter');
    const byKey = (list2: typeof expected) => [...list2].sort((x, y) => x.key.localeCompare(y.key));
    assert.deepStrictEqual(byKey(parseLog(eventLog(mixed)).reports), byKey(expected));
  });

  it('attributes by the stack when -json events carry no Test field', () => {
    const stripped = events(logs.json).map((e) => {
      const { Test, ...rest } = e;
      return e.Action === 'output' ? rest : { ...rest, Test };
    });
    const reports = parseLog(eventLog(stripped)).reports;
    assert.strictEqual(reports.length, parsed.json.reports.length);
    reports.forEach((r, i) => {
      const original = parsed.json.reports[i];
      assert.strictEqual(r.reportedUnder, null);
      // Without go test's name the subtest part is unknown: the stack only names the top-level function.
      assert.strictEqual(r.test, original.test!.split('/')[0]);
      assert.strictEqual(r.testSource, 'stack');
      assert.deepStrictEqual([r.access, r.previous, r.goroutines, r.package, r.key], [original.access, original.previous, original.goroutines, original.package, original.key]);
    });
  });

  it('counts the same races across two runs in one log, whichever access comes first', () => {
    const twice = parseLog(logs.program + logs.program);
    assert.deepStrictEqual(twice.groups.map((g) => g.occurrences), [2, 2, 2]);
    assert.strictEqual(twice.summary.foundByPrograms, 6);
    for (const report of parsed.program.reports) {
      assert.strictEqual(raceKey({ ...report, access: report.previous, previous: report.access }), report.key);
    }
  });

  // Seen in real runs with duplicate suppression off: the runtime's fatal error and the detector's reports come from
  // different goroutines and land inside each other (the fixture's log no longer shows it: it is built here).
  it('separates a fatal map error from a race report printed in the middle of it', () => {
    const reports = parsed.plain.reports;
    const fatal = reports.find((r) => r.kind === 'concurrent map access')!;
    const race = reports.find((r) => r.kind === 'data race' && r.package === 'racefixture/mapfatal')!;
    const [fatalLine, ...traceback] = fatal.raw.split('\n');
    const raceLines = race.raw.split('\n');
    const raceInsideFatal = [fatalLine, ...raceLines, ...traceback, 'FAIL'].join('\n') + '\n';
    assert.deepStrictEqual(parseLog(raceInsideFatal).reports, [race, fatal]);
    const middle = Math.floor(raceLines.length / 2);
    const fatalInsideRace = [...raceLines.slice(0, middle), fatalLine, ...raceLines.slice(middle), ...traceback].join('\n') + '\n';
    assert.deepStrictEqual(parseLog(fatalInsideRace).reports, [race, fatal]);
    // Cut before the traceback: both reports still come out, the fatal one incomplete.
    const cut = parseLog([fatalLine, ...raceLines.slice(0, middle)].join('\n') + '\n').reports;
    assert.deepStrictEqual(cut.map((r) => [r.kind, r.incomplete]), [['data race', true], ['concurrent map access', true]]);
  });

  it('reads on after a 3 MB line without a newline', () => {
    const huge = 'y'.repeat(3 * (1 << 20));
    const result = parseLog(huge + '\n' + logs.program, [65536]);
    assert.deepStrictEqual(result.reports, parsed.program.reports);
  });
});
