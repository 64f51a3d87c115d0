// `go-arch-lens race` on the real logs: text and JSON output, stdin, exit codes.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { runCli } from '../../support/cliRun';
import { logFolder, marker, parseLog, raceRuns, RaceRuns } from './fixtureRuns';

const CLI = path.join(__dirname, '../../../cli/src/main.js');

/** The compiled CLI as a child process, with `input` on its standard input. */
function runWithStdin(args: string[], input: string) {
  return spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
}

describe('go-arch-lens race', function () {
  this.timeout(300000);
  let runs: RaceRuns;
  const logs = logFolder('gal-race-cli-');
  const write = logs.write;

  before(async () => {
    runs = await raceRuns();
  });

  it('prints each distinct race once, with its test, locations and count; exits 1', async () => {
    const file = write('json.log', runs.json.log);
    const expected = parseLog(runs.json.log);
    const { code, out } = await runCli(['race', file]);
    assert.strictEqual(code, 1);
    const leakA = marker('leak.a');
    assert.match(out, /^DATA RACE in TestLeaky \(racefixture\/basic\)\n {2}\(go test printed it under TestVictim\)$/m);
    assert.ok(out.includes(`    ${path.relative(process.cwd(), leakA.file)}:${leakA.line}  racefixture/basic.TestLeaky.func1\n`), out);
    assert.match(out, /^concurrent map writes in TestConcurrentMapWrites \(racefixture\/mapfatal\)$/m);
    assert.ok(out.trimEnd().endsWith(`${expected.reports.length} report(s) of ${expected.groups.length} distinct race(s)`));
    // Frames of the testing package and GOROOT are left out of the text form.
    assert.doesNotMatch(out, /testing\.tRunner/);
  });

  it('counts repeats and lists JSON reports with every field', async () => {
    const file = write('plain.log', runs.plain.log);
    const expected = parseLog(runs.plain.log);
    const { code, out } = await runCli(['race', '--json', file]);
    assert.strictEqual(code, 1);
    const json = JSON.parse(out) as { reports: Record<string, unknown>[] };
    assert.deepStrictEqual(json.reports, expected.groups.map((g) => ({ ...g.report, occurrences: g.occurrences, tests: g.tests })));
    const writeWrite = json.reports.find((r) => r.test === 'TestWriteWrite');
    assert.strictEqual(writeWrite?.occurrences, 2);
  });

  it('reads standard input, with or without -', () => {
    for (const args of [['race'], ['race', '-']]) {
      const result = runWithStdin(args, runs.program.log);
      assert.strictEqual(result.status, 1, result.stderr);
      assert.strictEqual(result.stderr, '');
      assert.match(result.stdout, /3 report\(s\) of 3 distinct race\(s\)\n$/);
      assert.match(result.stdout, /^ {2}(previous )?atomic write by goroutine \d+ at 0x[0-9a-f]+$/m);
    }
    const json = runWithStdin(['race', '--json'], runs.json.log);
    assert.strictEqual(json.status, 1);
    assert.strictEqual(JSON.parse(json.stdout).reports.length, parseLog(runs.json.log).groups.length);
  });

  it('exits 0 on a log without races', async () => {
    const { code, out } = await runCli(['race', write('clean.log', runs.clean.log)]);
    assert.strictEqual(code, 0);
    assert.strictEqual(out, 'no data races found\n');
    const json = await runCli(['race', '--json', write('clean2.log', runs.clean.log)]);
    assert.deepStrictEqual([json.code, JSON.parse(json.out)], [0, { reports: [] }]);
  });

  it('marks a cut-off report incomplete', async () => {
    const log = runs.program.log;
    const { code, out } = await runCli(['race', write('cut.log', log.slice(0, log.indexOf('Previous ')))]);
    assert.strictEqual(code, 1);
    assert.match(out, /^DATA RACE.*\n {2}\(incomplete: the log ends or breaks off inside this report\)\n {2}(atomic )?write by goroutine \d+/m);
    assert.match(out, /\n1 report\(s\) of 1 distinct race\(s\)\n$/);
  });

  it('exits 1 when the log says races happened but no report survived', async () => {
    // The lines go test prints after TestCounter's last report, up to the next report.
    const log = runs.plain.log;
    const start = log.lastIndexOf('--- FAIL: TestCounter');
    const tail = log.slice(start, log.indexOf('==================', start));
    assert.match(tail, /race detected during execution of test/);
    const { code, out } = await runCli(['race', write('tail.log', tail)]);
    assert.strictEqual(code, 1, out);
    assert.match(out, /holds no race report text/);
  });

  it('exits 2 on bad usage, 3 on an unreadable log', async () => {
    const missing = await runCli(['race', path.join(logs.dir(), 'missing.log')]);
    assert.strictEqual(missing.code, 3);
    assert.match(missing.err, /cannot read .*missing\.log: ENOENT/);
    const directory = await runCli(['race', logs.dir()]);
    assert.strictEqual(directory.code, 3);
    assert.match(directory.err, /cannot read .*: EISDIR/);
    for (const argv of [['race', '--bogus'], ['race', 'a.log', 'b.log'], ['race', '--json=yes', 'a.log']]) {
      const result = await runCli(argv);
      assert.strictEqual(result.code, 2, argv.join(' '));
      assert.match(result.err, /usage: go-arch-lens race/);
    }
  });
});
