// Race logs that are real but awkward (colours kept by CI, subtests without -v) or hostile (odd -json fields, empty
// reports, endlessly many distinct races): the parser and `go-arch-lens race` must read them right, with flat memory.
import * as assert from 'assert';
import { RaceDeduplicator } from '../../../core/src/race/dedup';
import type { RaceReport } from '../../../core/src/race/types';
import { runCli } from '../../support/cliRun';
import { logFolder, parseLog, raceRuns, RaceRuns } from './fixtureRuns';

/** Colours every line as CI logs keep them: a bold cyan prefix, red for lines of reports, a reset at the end. */
function coloured(log: string): string {
  return log.split('\n').map((line, i) => {
    if (line === '') return line;
    const colour = /DATA RACE|^=+$|^(Previous )?(read|write|Read|Write)/.test(line) ? '\x1b[31;1m' : '\x1b[36m';
    return `${i % 3 === 0 ? '\x1b]0;title\x07' : ''}${colour}${line}\x1b[0m\x1b[K`;
  }).join('\n');
}

/** A report text with the racing functions and files of `reports`' first one renamed to make race `n` distinct. */
function distinctRace(template: string, n: number): string {
  return template.replace(/racefixture\/basic/g, `racefixture/basic${n}`).replace(/\/basic\//g, `/basic${n}/`);
}

describe('hostile and awkward race logs', function () {
  this.timeout(300000);
  let runs: RaceRuns;
  const logs = logFolder('gal-race-hostile-');
  const write = logs.write;

  before(async () => {
    runs = await raceRuns();
  });

  it('reads logs with ANSI colour codes as without them, whatever the chunk boundaries (escapes split included)', () => {
    for (const log of [runs.plain.log, runs.json.log, runs.program.log]) {
      const expected = parseLog(log);
      assert.ok(expected.reports.length > 0);
      for (const sizes of [[coloured(log).length], [7, 3, 11, 2], [4096, 1]]) {
        const got = parseLog(coloured(log), sizes);
        assert.deepStrictEqual(got.reports, expected.reports, `chunks ${sizes.join(',')}`);
        assert.deepStrictEqual(got.summary, expected.summary);
      }
    }
  });

  it('go-arch-lens race finds the races of a coloured log and exits 1 (it found none and exited 0)', async () => {
    const expected = parseLog(runs.plain.log);
    const { code, out } = await runCli(['race', write('coloured.log', coloured(runs.plain.log))]);
    assert.strictEqual(code, 1, out);
    assert.ok(out.trimEnd().endsWith(`${expected.reports.length} report(s) of ${expected.groups.length} distinct race(s)`), out.slice(-300));
    assert.doesNotMatch(out, /\x1b/);
  });

  it('a -json event whose Test or Package is not a string puts no number into the output', async () => {
    const odd = runs.json.log.replace(/"Test":"TestWriteWrite"/g, '"Test":123').replace(/"Package":"racefixture\/counter"/g, '"Package":456');
    assert.notStrictEqual(odd, runs.json.log);
    const parsed = parseLog(odd);
    for (const r of parsed.reports) {
      for (const value of [r.test, r.reportedUnder, r.package]) assert.ok(value === null || typeof value === 'string', JSON.stringify(value));
    }
    const writeWrite = parsed.reports.find((r) => r.raw.includes('TestWriteWrite.func1'))!;
    assert.deepStrictEqual([writeWrite.test, writeWrite.testSource, writeWrite.reportedUnder], ['TestWriteWrite', 'stack', null]);
    const { code, out } = await runCli(['race', '--json', write('odd.json', odd)]);
    assert.strictEqual(code, 1);
    for (const r of JSON.parse(out).reports as { test: unknown; reportedUnder: unknown; package: unknown; tests: unknown[] }[]) {
      for (const value of [r.test, r.reportedUnder, r.package, ...r.tests]) assert.ok(value === null || typeof value === 'string', JSON.stringify(value));
    }
  });

  it('a report header followed straight by its closing delimiter is incomplete, not a race `? | ?`', async () => {
    const log = '==================\nWARNING: DATA RACE\n==================\n';
    const [report] = parseLog(log).reports;
    assert.deepStrictEqual([report.incomplete, report.access, report.previous], [true, null, null]);
    const { code, out } = await runCli(['race', write('empty.log', log)]);
    assert.strictEqual(code, 1, 'the log does say a race happened');
    assert.match(out, /^DATA RACE\n {2}\(incomplete: the report names no access\)$/m);
    const json = JSON.parse((await runCli(['race', '--json', write('empty.log', log)])).out);
    assert.deepStrictEqual(json.reports.map((r: { key: string }) => r.key), ['no access named']);
  });

  it('without -v, a race in a subtest is attributed to the subtest its FAIL block names; with two raced subtests, to the test', () => {
    const subtest = parseLog(runs.plain.log).reports.find((r) => r.raw.includes('TestSubtest.func1'))!;
    assert.strictEqual(subtest.test, 'TestSubtest/inner');
    const body = subtest.raw + '\n';
    const block = (names: string[]) => '--- FAIL: TestSubtest (0.00s)\n'
      + names.map((n) => `    --- FAIL: TestSubtest/${n} (0.00s)\n        testing.go:1712: race detected during execution of test\n`).join('')
      + 'FAIL\nFAIL\tracefixture/basic\t0.01s\n';
    assert.strictEqual(parseLog(body + block(['inner'])).reports[0].test, 'TestSubtest/inner');
    assert.strictEqual(parseLog(body + block(['a', 'b'])).reports[0].test, 'TestSubtest', 'which subtest would be a guess');
    // A block of another test, and a log that ends before any block, leave the stack's test.
    assert.strictEqual(parseLog(body + '--- FAIL: TestOther (0.00s)\n    testing.go:1712: race detected during execution of test\nFAIL\n').reports[0].test, 'TestSubtest');
    assert.strictEqual(parseLog(body).reports[0].test, 'TestSubtest');
  });

  it('keeps the first races in detail and counts the rest past the limits, saying so', () => {
    const template = parseLog(runs.plain.log).reports.find((r) => r.raw.includes('TestWriteWrite.func1'))!;
    const reports = [0, 1, 2, 3, 1, 4].map((n) => parseLog(distinctRace(template.raw, n) + '\n').reports[0]);
    assert.strictEqual(new Set(reports.map((r) => r.key)).size, 5);
    const dedup = new RaceDeduplicator({ groups: 3, rawChars: 1 << 20, testsPerGroup: 100 });
    for (const r of reports) dedup.add(r);
    assert.deepStrictEqual(dedup.list().map((g) => [g.report.key, g.occurrences]), [[reports[0].key, 1], [reports[1].key, 2], [reports[2].key, 1]]);
    assert.deepStrictEqual(dedup.unlisted()?.reports, 2);
    const byText = new RaceDeduplicator({ groups: 100, rawChars: reports[0].raw.length + reports[1].raw.length, testsPerGroup: 100 });
    for (const r of reports) byText.add(r);
    assert.strictEqual(byText.list().length, 2, 'report text is bounded too');
    const byTests = new RaceDeduplicator({ groups: 100, rawChars: 1 << 20, testsPerGroup: 2 });
    for (const test of ['TestA', 'TestB', 'TestA', 'TestC', 'TestD']) byTests.add({ ...reports[0], test } as RaceReport);
    assert.deepStrictEqual([byTests.list()[0].tests, byTests.list()[0].moreTests, byTests.list()[0].occurrences], [['TestA', 'TestB'], 2, 5]);
  });

  it('go-arch-lens race on more distinct races and failed tests than it lists says how many it only counted', async () => {
    const template = parseLog(runs.plain.log).reports.find((r) => r.raw.includes('TestWriteWrite.func1'))!;
    const pieces: string[] = [];
    for (let n = 0; n < 1050; n++) {
      pieces.push(distinctRace(template.raw, n), `--- FAIL: TestWriteWrite${n} (0.00s)`, '    testing.go:1712: race detected during execution of test');
    }
    const file = write('many.log', pieces.join('\n') + '\n');
    const { code, out } = await runCli(['race', file]);
    assert.strictEqual(code, 1);
    assert.match(out, /^1050 report\(s\) of 1000 listed distinct race\(s\)\n50 more report\(s\) of races not listed: only the first 1000 distinct races \(and 4 MiB of report text\) are kept, so that memory stays flat$/m);
    const json = JSON.parse((await runCli(['race', '--json', file])).out) as { reports: unknown[]; unlisted: { reports: number } };
    assert.deepStrictEqual([json.reports.length, json.unlisted.reports], [1000, 50]);
    const summary = parseLog(pieces.join('\n') + '\n').summary;
    assert.deepStrictEqual([summary.testsFailedByRace.length, summary.moreTestsFailedByRace], [1050, 0]);
  });
});
