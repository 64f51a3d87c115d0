// Parses real `go test -race` output of the fixture module and checks every field against the fixture sources.
import * as assert from 'assert';
import { gorootSrcOf, isOwnCode } from '../../../core/src/race/frames';
import type { GoroutineId, RaceAccess, RaceGroup, RaceReport } from '../../../core/src/race/types';
import { marker, parseLog, Parsed, raceRuns, RaceRuns } from './fixtureRuns';

interface Side {
  /** Marker of the racing line. */
  at: string;
  kind: 'read' | 'write' | 'either';
  /** Function of the racing frame, after `racefixture/`. */
  fn: string;
  /** The access runs on the program's main goroutine (TestMain, examples), which has no creation block. */
  main?: boolean;
  /** Marker and function of the `go` statement that started the goroutine making the access. */
  go?: { at: string; fn: string };
}

interface Race {
  name: string;
  pkg: string;
  /** Attribution from the stack frames (refined with go test's subtest name). */
  test: string;
  /** The test go test -json printed the report under. */
  under: string | null;
  sides: [Side, Side];
  /** Reports in the plain run, where the detector's duplicate suppression is off and -count=2 repeats tests. */
  plainOccurrences: number;
}

const RACES: Race[] = [
  {
    name: 'write/write between two goroutines', pkg: 'basic', test: 'TestWriteWrite', under: 'TestWriteWrite', plainOccurrences: 2,
    sides: [
      { at: 'ww.a', kind: 'write', fn: 'basic.TestWriteWrite.func1', go: { at: 'ww.a.go', fn: 'basic.TestWriteWrite' } },
      { at: 'ww.b', kind: 'write', fn: 'basic.TestWriteWrite.func2', go: { at: 'ww.b.go', fn: 'basic.TestWriteWrite' } },
    ],
  },
  {
    name: 'read/write between a goroutine and the test', pkg: 'basic', test: 'TestReadWrite', under: 'TestReadWrite', plainOccurrences: 2,
    sides: [
      { at: 'rw.write', kind: 'write', fn: 'basic.TestReadWrite.func1', go: { at: 'rw.go', fn: 'basic.TestReadWrite' } },
      { at: 'rw.read', kind: 'read', fn: 'basic.TestReadWrite' },
    ],
  },
  {
    name: 'a goroutine created by another goroutine', pkg: 'basic', test: 'TestNested', under: 'TestNested', plainOccurrences: 2,
    sides: [
      { at: 'nested.inner', kind: 'write', fn: 'basic.TestNested.func1.1', go: { at: 'nested.inner.go', fn: 'basic.TestNested.func1' } },
      { at: 'nested.test', kind: 'write', fn: 'basic.TestNested' },
    ],
  },
  {
    name: 'a subtest', pkg: 'basic', test: 'TestSubtest/inner', under: 'TestSubtest/inner', plainOccurrences: 2,
    sides: [
      { at: 'sub.goroutine', kind: 'write', fn: 'basic.TestSubtest.func1.1', go: { at: 'sub.go', fn: 'basic.TestSubtest.func1' } },
      { at: 'sub.closure', kind: 'write', fn: 'basic.TestSubtest.func1', go: { at: 'sub.run', fn: 'basic.TestSubtest' } },
    ],
  },
  {
    name: 'goroutines leaked by one test, reported under the next (golang/go#58634)', pkg: 'basic', test: 'TestLeaky', under: 'TestVictim', plainOccurrences: 2,
    sides: [
      { at: 'leak.a', kind: 'write', fn: 'basic.TestLeaky.func1', go: { at: 'leak.a.go', fn: 'basic.TestLeaky' } },
      { at: 'leak.b', kind: 'write', fn: 'basic.TestLeaky.func2', go: { at: 'leak.b.go', fn: 'basic.TestLeaky' } },
    ],
  },
  {
    name: 'library code, in a package whose tests otherwise pass', pkg: 'counter', test: 'TestCounter', under: 'TestCounter', plainOccurrences: 2,
    sides: [
      { at: 'counter.inc', kind: 'write', fn: 'counter.(*Counter).Inc', go: { at: 'counter.go', fn: 'counter_test.TestCounter' } },
      { at: 'counter.hits', kind: 'read', fn: 'counter.(*Counter).Hits' },
    ],
  },
  {
    name: 'a benchmark', pkg: 'benchrace', test: 'BenchmarkRace', under: 'BenchmarkRace', plainOccurrences: 1,
    sides: [
      { at: 'bench.goroutine', kind: 'write', fn: 'benchrace.BenchmarkRace.func1', go: { at: 'bench.go', fn: 'benchrace.BenchmarkRace' } },
      { at: 'bench.body', kind: 'write', fn: 'benchrace.BenchmarkRace' },
    ],
  },
  {
    // TestMain runs once per test binary, so -count=2 does not repeat it.
    name: 'TestMain, outside any test', pkg: 'mainrace', test: 'TestMain', under: null, plainOccurrences: 1,
    sides: [
      { at: 'main.goroutine', kind: 'write', fn: 'mainrace.TestMain.func1', go: { at: 'main.go', fn: 'mainrace.TestMain' } },
      { at: 'main.body', kind: 'write', fn: 'mainrace.TestMain', main: true },
    ],
  },
  {
    name: 'a fuzz target run on its seed corpus', pkg: 'fuzzex', test: 'FuzzRace/seed#0', under: 'FuzzRace/seed#0', plainOccurrences: 2,
    sides: [
      { at: 'fuzz.goroutine', kind: 'write', fn: 'fuzzex.FuzzRace.func1.1', go: { at: 'fuzz.go', fn: 'fuzzex.FuzzRace.func1' } },
      { at: 'fuzz.target', kind: 'write', fn: 'fuzzex.FuzzRace.func1', go: { at: 'fuzz.call', fn: 'fuzzex.FuzzRace' } },
    ],
  },
  {
    // Examples run on the main goroutine, once whatever -count says.
    name: 'an example', pkg: 'fuzzex', test: 'Example', under: 'Example', plainOccurrences: 1,
    sides: [
      { at: 'example.goroutine', kind: 'write', fn: 'fuzzex.Example.func1', go: { at: 'example.go', fn: 'fuzzex.Example' } },
      { at: 'example.body', kind: 'write', fn: 'fuzzex.Example', main: true },
    ],
  },
];

function sidesOf(report: RaceReport): RaceAccess[] {
  return [report.access, report.previous].filter((a): a is RaceAccess => a !== null);
}

function atMarker(access: RaceAccess, name: string): boolean {
  const m = marker(name);
  return access.top !== null && access.top.file === m.file && access.top.line === m.line;
}

/** The group whose two accesses are at the race's two markers, in either order. */
function groupOf(groups: RaceGroup[], race: Race): RaceGroup {
  const found = groups.filter((g) => {
    const [a, b] = sidesOf(g.report);
    return a && b && g.report.kind === 'data race'
      && ((atMarker(a, race.sides[0].at) && atMarker(b, race.sides[1].at)) || (atMarker(a, race.sides[1].at) && atMarker(b, race.sides[0].at)));
  });
  assert.strictEqual(found.length, 1, `${race.name}: ${found.length} groups at ${race.sides[0].at}/${race.sides[1].at}`);
  return found[0];
}

function checkSide(report: RaceReport, access: RaceAccess, side: Side): void {
  const m = marker(side.at);
  if (side.kind !== 'either') assert.strictEqual(access.kind, side.kind, side.at);
  assert.strictEqual(access.atomic, false);
  assert.match(access.address ?? '', /^0x[0-9a-f]{8,16}$/);
  // These accesses are the innermost frame: the racing statement itself.
  assert.deepStrictEqual(access.top, access.frames[0]);
  assert.deepStrictEqual({ ...access.frames[0], offset: 0 }, { function: `racefixture/${side.fn}`, file: m.file, line: m.line, offset: 0 });
  // Every frame, as printed: `function()` then `file:line +0xoffset`.
  for (const frame of access.frames) {
    assert.ok(frame.function !== '' && frame.offset !== null, JSON.stringify(frame));
    assert.ok(report.raw.includes(`  ${frame.function}()\n      ${frame.file}:${frame.line} +0x${frame.offset.toString(16)}\n`), JSON.stringify(frame));
  }
  const header = `${access.kind === 'read' ? 'ead' : 'rite'} at ${access.address} by ${access.goroutine === 'main' ? 'main goroutine' : `goroutine ${access.goroutine}`}:\n`;
  assert.ok(report.raw.includes(header), header);
  if (side.main) {
    assert.strictEqual(access.goroutine, 'main');
    return;
  }
  assert.strictEqual(typeof access.goroutine, 'number');
  const origin = report.goroutines.find((g) => g.goroutine === access.goroutine);
  assert.ok(origin, `creation block of goroutine ${access.goroutine} (${side.at})`);
  assert.ok(report.raw.includes(`\nGoroutine ${origin.goroutine} (${origin.state}) created at:\n`));
  assert.ok(origin.frames.length > 0);
  for (const frame of origin.frames) {
    assert.ok(report.raw.includes(`  ${frame.function}()\n      ${frame.file}:${frame.line} +0x${frame.offset!.toString(16)}\n`), JSON.stringify(frame));
  }
  if (side.go) {
    const goStatement = marker(side.go.at);
    const own = origin.frames.find((f) => f.file === goStatement.file);
    assert.deepStrictEqual(own && { function: own.function, line: own.line }, { function: `racefixture/${side.go.fn}`, line: goStatement.line }, side.go.at);
  }
}

/** Checks the accesses of a report against the race's markers, whichever of the two the detector saw first. */
function checkAccesses(report: RaceReport, race: Race): void {
  assert.ok(report.access && report.previous, race.name);
  const [first, second] = atMarker(report.access, race.sides[0].at) ? race.sides : [race.sides[1], race.sides[0]];
  checkSide(report, report.access, first);
  checkSide(report, report.previous, second);
  assert.strictEqual(report.access.address, report.previous.address, 'both accesses touch the same memory');
  assert.ok([report.access.kind, report.previous.kind].includes('write'), 'a race needs a write');
  // Each goroutine block belongs to one of the two accesses.
  const ids = new Set<GoroutineId>([report.access.goroutine, report.previous.goroutine]);
  for (const origin of report.goroutines) assert.ok(ids.has(origin.goroutine), `goroutine ${origin.goroutine}`);
}

describe('race reports of real go test -race runs', function () {
  this.timeout(300000);
  let runs: RaceRuns;
  let json: Parsed;
  let plain: Parsed;

  before(async () => {
    runs = await raceRuns();
    json = parseLog(runs.json.log);
    plain = parseLog(runs.plain.log);
  });

  it('go test exits 1 and the logs hold the reports', () => {
    assert.strictEqual(runs.json.exitCode, 1, runs.json.log.slice(-2000));
    assert.strictEqual(runs.plain.exitCode, 1, runs.plain.log.slice(-2000));
    assert.match(runs.json.log, /^\{"/);
    assert.doesNotMatch(runs.plain.log, /^\{"/m);
  });

  describe('go test -race -json -count=2', () => {
    for (const race of RACES) {
      it(`a race in ${race.name}`, () => {
        const group = groupOf(json.groups, race);
        const report = group.report;
        checkAccesses(report, race);
        assert.strictEqual(report.kind, 'data race');
        assert.strictEqual(report.message, 'DATA RACE');
        assert.strictEqual(report.test, race.test);
        assert.strictEqual(report.testSource, 'stack');
        assert.strictEqual(report.reportedUnder, race.under);
        assert.strictEqual(report.package, `racefixture/${race.pkg}`);
        assert.strictEqual(report.incomplete, false);
        const rawLines = report.raw.split('\n');
        assert.match(rawLines[0], /^={18}$/);
        assert.strictEqual(rawLines[1], 'WARNING: DATA RACE');
        assert.match(rawLines[rawLines.length - 1], /^={18}$/);
        // The detector reports a pair of stacks once per process, so the -count=2 repeat prints nothing again.
        assert.strictEqual(group.occurrences, 1);
        assert.deepStrictEqual(group.tests, [race.test]);
      });
    }

    it('attributes by stack frames, not by the test go test printed the report under', () => {
      const leak = groupOf(json.groups, RACES.find((r) => r.test === 'TestLeaky')!).report;
      assert.strictEqual(leak.test, 'TestLeaky');
      assert.strictEqual(leak.reportedUnder, 'TestVictim');
      assert.ok(json.summary.testsFailedByRace.some((t) => t.test === 'TestVictim' && t.package === 'racefixture/basic'));
      assert.ok(!json.summary.testsFailedByRace.some((t) => t.test === 'TestLeaky'), 'go test does not fail TestLeaky');
    });

    it('reads the lines that say which tests and packages the races failed', () => {
      const failed = json.summary.testsFailedByRace.map((t) => `${t.package} ${t.test}`).sort();
      assert.deepStrictEqual(failed, [
        'racefixture/basic TestNested', 'racefixture/basic TestReadWrite', 'racefixture/basic TestSubtest/inner',
        'racefixture/basic TestVictim', 'racefixture/basic TestWriteWrite', 'racefixture/benchrace BenchmarkRace',
        'racefixture/counter TestCounter', 'racefixture/fuzzex FuzzRace/seed#0',
      ]);
      assert.deepStrictEqual(json.summary.racesOutsideTests, ['racefixture/mainrace']);
      assert.strictEqual(json.summary.foundByPrograms, null);
      assert.strictEqual(json.summary.reports, json.reports.length);
    });

    it('concurrent map writes: race reports first, then the runtime\'s fatal error', () => {
      // The fixture forces its reports (see map_test.go): the race between two single writes, then the one between
      // the looping writers' first writes, each printed whole before the loop starts; with the default duplicate
      // suppression the loop prints no more, and the fatal error comes out whole. Only what every schedule shows is
      // checked all the same (which goroutine the runtime catches, for one).
      const write = marker('map.write');
      const raceGo = marker('map.race.go');
      const mapReports = json.reports.filter((r) => r.package === 'racefixture/mapfatal');
      const fatalAt = mapReports.findIndex((r) => r.kind === 'concurrent map access');
      assert.ok(fatalAt > 0, `race reports before the fatal error: ${mapReports.map((r) => r.kind).join(', ')}`);
      assert.strictEqual(fatalAt, mapReports.length - 1, 'nothing runs after the fatal error');
      const first = mapReports[0];
      assert.strictEqual(first.incomplete, false);
      assert.deepStrictEqual(first.goroutines.map((g) => [g.frames[0].function, g.frames[0].line]),
        first.goroutines.map(() => ['racefixture/mapfatal.TestConcurrentMapWrites', raceGo.line]));
      // The map header write inside the runtime: the own-code frame is its caller.
      assert.match(first.access!.frames[0].function, /^runtime\.mapassign/);
      for (const race of mapReports.slice(0, fatalAt)) {
        assert.strictEqual(race.kind, 'data race');
        assert.strictEqual(race.test, 'TestConcurrentMapWrites');
        for (const access of sidesOf(race)) {
          assert.strictEqual(access.kind, 'write');
          assert.deepStrictEqual([access.top?.function, access.top?.file, access.top?.line], ['racefixture/mapfatal.put', write.file, write.line]);
        }
      }
      const fatal = mapReports[fatalAt];
      assert.strictEqual(fatal.message, 'concurrent map writes');
      assert.strictEqual(fatal.previous, null);
      assert.strictEqual(fatal.incomplete, false);
      assert.strictEqual(fatal.test, 'TestConcurrentMapWrites');
      assert.strictEqual(fatal.reportedUnder, 'TestConcurrentMapWrites');
      const access = fatal.access!;
      assert.deepStrictEqual([access.kind, access.address, access.atomic], ['write', null, false]);
      assert.strictEqual(typeof access.goroutine, 'number');
      assert.match(access.frames[0].function, /\.fatal$/);
      assert.deepStrictEqual([access.top?.function, access.top?.file, access.top?.line], ['racefixture/mapfatal.put', write.file, write.line]);
      // Created by the looping writers' go statement; by the single writers' in the rare schedule where those two
      // writes overlap.
      const goLines = [marker('map.go').line, raceGo.line];
      assert.strictEqual(fatal.goroutines.length, 1);
      const [origin] = fatal.goroutines;
      assert.strictEqual(origin.goroutine, access.goroutine);
      assert.deepStrictEqual([origin.frames[0].function, origin.frames[0].file], ['racefixture/mapfatal.TestConcurrentMapWrites', write.file]);
      assert.ok(goLines.includes(origin.frames[0].line), `created at line ${origin.frames[0].line}, not ${goLines.join(' or ')}`);
      assert.match(fatal.raw, /^fatal error: concurrent map writes\n\ngoroutine \d+ \[running\]:\n/);
    });

    it('finds nothing in the race-free package', () => {
      const clean = parseLog(runs.clean.log);
      assert.strictEqual(runs.clean.exitCode, 0, runs.clean.log);
      assert.deepStrictEqual(clean.reports, []);
      assert.deepStrictEqual(clean.summary, { reports: 0, foundByPrograms: null, testsFailedByRace: [], moreTestsFailedByRace: 0, racesOutsideTests: [] });
    });

    it('keeps only own-code frames as top frames', () => {
      // A report cut off before its first own frame (by the map fixture's fatal error) has none to keep.
      for (const report of json.reports.filter((r) => !r.incomplete)) {
        const goroot = gorootSrcOf([report.access?.frames ?? [], report.previous?.frames ?? []]);
        for (const access of sidesOf(report)) {
          assert.ok(access.top && isOwnCode(access.top, goroot) && access.top.file.startsWith(marker('ww.a').file.split('/basic/')[0]));
        }
      }
    });
  });

  describe('go test -race -count=2 (plain text, duplicate suppression off)', () => {
    for (const race of RACES) {
      it(`counts repeats of the race in ${race.name}`, () => {
        const group = groupOf(plain.groups, race);
        checkAccesses(group.report, race);
        assert.strictEqual(group.occurrences, race.plainOccurrences);
        // Without -v there are no `=== RUN` lines: the stack names the test, and the `--- FAIL:` block that follows
        // the report names the subtest that detected it (as the -json run's Test field does).
        assert.strictEqual(group.report.test, race.test);
        assert.strictEqual(group.report.reportedUnder, null);
        assert.strictEqual(group.report.package, `racefixture/${race.pkg}`);
        const all = plain.reports.filter((r) => r.key === group.report.key);
        assert.strictEqual(all.length, race.plainOccurrences);
        assert.ok(all.every((r) => !r.incomplete));
      });
    }

    it('groups the same races as the -json run', () => {
      // Complete races are compared: a report cut off (a killed run; the map fixture's loop no longer prints any,
      // see map_test.go) has only the part of a key that was printed.
      const keys = (p: Parsed) => p.groups.filter((g) => !g.report.incomplete).map((g) => g.report.key).sort();
      assert.deepStrictEqual(keys(plain), keys(json));
    });

    it('attributes go test\'s failure lines to the test before them', () => {
      const failed = new Set(plain.summary.testsFailedByRace.map((t) => t.test));
      for (const test of ['TestWriteWrite', 'TestVictim', 'TestSubtest/inner', 'BenchmarkRace', 'FuzzRace/seed#0']) assert.ok(failed.has(test), test);
      assert.deepStrictEqual(plain.summary.racesOutsideTests, [null]);
    });
  });
});
