// Race runs with the real go: reports streamed from `go test -json -race`, flags and GORACE passed through, and
// cancel/timeout killing the whole process tree (go, the test binary, and a process the test started).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { goTestSelection } from '../../../core/src/gotest/testFunctions';
import { preflightRace, PreflightOk, realPlatformProbe } from '../../../core/src/race/preflight';
import { RaceRunHandlers, RaceRunRequest, RaceRunResult, startRaceRun } from '../../../core/src/race/runner';
import type { RaceReport } from '../../../core/src/race/types';
import { FIXTURE_DIR, marker } from './fixtureRuns';

const RUNNER_FIXTURE = path.join(FIXTURE_DIR, 'runner');

/** Same as fixtureRuns: a go.work or toolchain switch outside the fixture must not change what runs. */
const ISOLATED = { GOTOOLCHAIN: 'local', GOWORK: 'off' };

let preflight: PreflightOk;

function request(extra: Partial<RaceRunRequest> & Pick<RaceRunRequest, 'cwd' | 'packages'>): RaceRunRequest {
  return { goBinary: preflight.goBinary, env: { ...preflight.env, ...ISOLATED }, ...extra };
}

/** The fixture lines (file:line) the report's two accesses point at, sorted. */
function racingLines(report: RaceReport): string[] {
  return [report.access, report.previous].map((a) => (a?.top ? `${a.top.file}:${a.top.line}` : 'none')).sort();
}

const at = (name: string) => `${marker(name).file}:${marker(name).line}`;

/** Alive and not a zombie (an orphan whose exit nobody has collected yet is gone for our purpose). */
function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function readPids(file: string): { binary: number; sleeper: number } | null {
  if (!fs.existsSync(file)) return null;
  const pids = Object.fromEntries(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(' ')));
  return { binary: Number(pids.binary), sleeper: Number(pids.sleeper) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the fixture that races, starts a sleeping child and blocks; `stop` ends it once its pids are written and
 * `awaited` holds. go test relays the test's output through a pipe, so output and reports can lag the pid file:
 * what the test needs to have seen before the stop is waited for, not assumed. Resolves with null pids when the run
 * ended (its time limit) before the fixture got that far.
 */
async function runBlocking(
  stop: (run: { cancel(): void }) => void,
  timeoutMs?: number,
  test = 'TestRaceThenBlock',
  awaited: (seen: { output: string; reports: RaceReport[] }) => boolean = ({ reports }) => reports.length >= 1,
): Promise<{ result: RaceRunResult; pids: { binary: number; sleeper: number } | null; reportsBeforeStop: number; stopToDoneMs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-runner-'));
  const pidFile = path.join(dir, 'pids');
  try {
    const seen: RaceReport[] = [];
    let output = '';
    const run = startRaceRun(
      { ...request({ cwd: RUNNER_FIXTURE, packages: ['./hang'], selection: ['-run', `^${test}$`], timeoutMs }), env: { ...preflight.env, ...ISOLATED, GAL_RACE_PIDFILE: pidFile } },
      { onReport: (r) => seen.push(r), onOutput: (text) => { output += text; } },
    );
    let pids = readPids(pidFile);
    let finished = false;
    void run.done.then(() => { finished = true; });
    while (pids === null && !finished) {
      await sleep(50);
      pids = readPids(pidFile);
    }
    while (pids !== null && !awaited({ output, reports: seen }) && !finished) await sleep(50);
    if (finished && timeoutMs !== undefined && (pids === null || !awaited({ output, reports: seen }))) {
      return { result: await run.done, pids: null, reportsBeforeStop: seen.length, stopToDoneMs: 0 };
    }
    assert.ok(pids, 'the fixture test started and wrote its pids');
    assert.ok(awaited({ output, reports: seen }), `the run ended before the awaited output:\n${output}`);
    assert.ok(processAlive(pids.binary) && processAlive(pids.sleeper), 'test binary and its child run before the stop');
    const reportsBeforeStop = seen.length;
    const stoppedAt = Date.now();
    stop(run);
    const result = await run.done;
    return { result, pids, reportsBeforeStop, stopToDoneMs: Date.now() - stoppedAt };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function assertKeptRaceOfBlockingTest(result: RaceRunResult): void {
  assert.strictEqual(result.reports.length, 1, result.reports.map((r) => r.raw).join('\n'));
  const report = result.reports[0];
  assert.strictEqual(report.test, 'TestRaceThenBlock');
  assert.strictEqual(report.incomplete, false);
  assert.deepStrictEqual(racingLines(report), [at('runner.hang.a'), at('runner.hang.b')].sort());
}

describe('race runner (real go test -json -race)', function () {
  this.timeout(240000);

  before(async () => {
    const checked = await preflightRace(realPlatformProbe(), { mode: 'native', cwd: FIXTURE_DIR });
    assert.ok(checked.ok, `this machine must pass the race preflight: ${JSON.stringify(checked)}`);
    preflight = checked;
  });

  it('streams the reports of a selected racy test with its source lines, and plain output', async () => {
    const reports: RaceReport[] = [];
    let output = '';
    const handlers: RaceRunHandlers = { onReport: (r) => reports.push(r), onOutput: (t) => { output += t; } };
    const selection = goTestSelection({ name: 'TestWriteWrite', kind: 'test' });
    const result = await startRaceRun(request({ cwd: FIXTURE_DIR, packages: ['./basic'], selection }), handlers).done;
    assert.deepStrictEqual(result.args, ['test', '-json', '-race', '-run', '^TestWriteWrite$', './basic']);
    assert.strictEqual(result.outcome, 'go test exited 1');
    assert.deepStrictEqual([result.exitCode, result.signal, result.cancelled, result.timedOut], [1, null, false, false]);
    assert.strictEqual(result.reports.length, 1);
    assert.deepStrictEqual(reports, result.reports);
    const report = result.reports[0];
    assert.deepStrictEqual([report.test, report.package, report.incomplete], ['TestWriteWrite', 'racefixture/basic', false]);
    assert.deepStrictEqual(racingLines(report), [at('ww.a'), at('ww.b')].sort());
    assert.deepStrictEqual(result.summary.testsFailedByRace, [{ package: 'racefixture/basic', test: 'TestWriteWrite' }]);
    // The output channel gets what go test would print without -json, not the events.
    assert.match(output, /^=== RUN {3}TestWriteWrite$/m);
    assert.match(output, /^WARNING: DATA RACE$/m);
    assert.match(output, /^--- FAIL: TestWriteWrite/m);
    assert.match(output, /^FAIL\tracefixture\/basic\t/m);
    assert.doesNotMatch(output, /"Action"/);
  });

  it('passes user flags and GORACE through: -count=2 repeats a race only with suppression off', async () => {
    const base = { cwd: FIXTURE_DIR, packages: ['./basic'], selection: ['-run', '^TestWriteWrite$'], flags: ['-count=2'] };
    const suppressed = await startRaceRun(request(base)).done;
    assert.deepStrictEqual(suppressed.args, ['test', '-json', '-race', '-run', '^TestWriteWrite$', '-count=2', './basic']);
    assert.strictEqual(suppressed.reports.length, 1, 'the detector suppresses the repeat of the same race by default');
    const repeated = await startRaceRun(request({ ...base, gorace: 'suppress_equal_stacks=0 suppress_equal_addresses=0' })).done;
    assert.strictEqual(repeated.reports.length, 2);
  });

  it('passes GORACE=halt_on_error=1: the binary stops at the first report, before testing fails the test', async () => {
    const result = await startRaceRun(request({
      cwd: FIXTURE_DIR, packages: ['./basic'], selection: ['-run', '^TestWriteWrite$'], gorace: 'halt_on_error=1',
    })).done;
    assert.strictEqual(result.reports.length, 1);
    assert.deepStrictEqual(result.summary.testsFailedByRace, []);
    assert.strictEqual(result.outcome, 'go test exited 1');
  });

  it('cancel kills go, the test binary and its child, keeping the reports read so far', async () => {
    const { result, pids, reportsBeforeStop, stopToDoneMs } = await runBlocking((run) => run.cancel());
    assert.strictEqual(reportsBeforeStop, 1, 'the race was reported before the cancel');
    assert.deepStrictEqual([result.cancelled, result.timedOut], [true, false]);
    assert.strictEqual(result.outcome, 'cancelled: the process tree was killed');
    assert.strictEqual(result.exitCode, null);
    assert.strictEqual(result.signal, 'SIGTERM');
    assertKeptRaceOfBlockingTest(result);
    assert.ok(pids);
    assert.strictEqual(processAlive(pids.binary), false, `test binary ${pids.binary} is gone`);
    assert.strictEqual(processAlive(pids.sleeper), false, `the test's child ${pids.sleeper} is gone`);
    console.log(`      (cancel to done: ${stopToDoneMs} ms)`);
  });

  it('timeoutMs kills the tree the same way and says it timed out', async () => {
    // The limit must leave time for the build (cached by the test before) and the race before the test sleeps for
    // an hour. On a machine too loaded for that, the limit ends the run first: then it is tried again with a longer
    // limit, so that what is checked does not depend on how fast the machine is.
    const limits = [20_000, 60_000, 180_000, 600_000];
    for (const timeoutMs of limits) {
      const started = Date.now();
      const { result, pids } = await runBlocking(() => undefined, timeoutMs);
      assert.ok(Date.now() - started >= timeoutMs, 'not killed before the timeout');
      assert.deepStrictEqual([result.cancelled, result.timedOut], [false, true]);
      if (pids === null) {
        console.log(`      (the race had not been relayed after ${timeoutMs} ms: trying a longer limit)`);
        continue;
      }
      assert.strictEqual(result.outcome, `timed out after ${timeoutMs} ms: the process tree was killed`);
      assertKeptRaceOfBlockingTest(result);
      assert.strictEqual(processAlive(pids.binary), false);
      assert.strictEqual(processAlive(pids.sleeper), false);
      return;
    }
    assert.fail(`the fixture never got to its race within ${limits[limits.length - 1] / 1000} s`);
  });

  it('keeps a report the kill cut off, marked incomplete', async () => {
    // The frame line the fixture prints before it blocks, and its line number, read from the fixture itself.
    const frame = /\/(hang_test\.go):(\d+) \+0x44/.exec(fs.readFileSync(path.join(RUNNER_FIXTURE, 'hang', 'hang_test.go'), 'utf8'));
    assert.ok(frame, 'the fixture prints a frame line');
    const { result } = await runBlocking((run) => run.cancel(), undefined, 'TestHalfReport', ({ output }) => output.includes(`${frame[1]}:${frame[2]} +0x44`));
    assert.strictEqual(result.outcome, 'cancelled: the process tree was killed');
    assert.strictEqual(result.reports.length, 1);
    const report = result.reports[0];
    assert.deepStrictEqual([report.incomplete, report.previous, report.access?.kind], [true, null, 'write']);
    assert.strictEqual(report.access?.top?.line, Number(frame[2]));
  });

  it('survives handlers that throw and says so in the outcome', async () => {
    const result = await startRaceRun(
      request({ cwd: FIXTURE_DIR, packages: ['./basic'], selection: ['-run', '^TestWriteWrite$'] }),
      { onReport: () => { throw new Error('boom in onReport'); }, onOutput: () => { throw new Error('boom in onOutput'); } },
    ).done;
    assert.strictEqual(result.reports.length, 1);
    assert.match(result.outcome, /^go test exited 1 \(a handler threw: boom in on(Report|Output)\)$/);
  });

  it('ignores cancel once the run is over', async () => {
    const run = startRaceRun(request({ cwd: FIXTURE_DIR, packages: ['./basic'], selection: ['-run', '^TestClean$'] }));
    const result = await run.done;
    run.cancel();
    assert.deepStrictEqual([result.outcome, result.cancelled, result.reports.length], ['go test exited 0', false, 0]);
    assert.strictEqual((await run.done).cancelled, false);
  });

  it('resolves with a clear outcome when the go binary or the folder is missing', async () => {
    const noGo = await startRaceRun({ ...request({ cwd: FIXTURE_DIR, packages: ['./...'] }), goBinary: '/nonexistent/bin/go' }).done;
    assert.strictEqual(noGo.outcome, 'cannot run go test: /nonexistent/bin/go was not found (is Go installed and on PATH?)');
    assert.deepStrictEqual([noGo.exitCode, noGo.reports.length, noGo.cancelled], [null, 0, false]);
    const noDir = await startRaceRun(request({ cwd: path.join(FIXTURE_DIR, 'no-such-dir'), packages: ['./...'] })).done;
    assert.match(noDir.outcome, /^cannot run go test: the folder .*no-such-dir does not exist$/);
  });

  it('shows build errors from go test in the output and the outcome', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-runner-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module broken\n\ngo 1.22\n');
      fs.writeFileSync(path.join(dir, 'broken_test.go'), 'package broken\n\nfunc TestX(t *testing.T) { undefinedThing() }\n');
      let output = '';
      const result = await startRaceRun(request({ cwd: dir, packages: ['.'] }), { onOutput: (t) => { output += t; } }).done;
      assert.strictEqual(result.outcome, 'go test exited 1');
      assert.match(output, /broken_test\.go:3:\d+: undefined: testing/);
      assert.match(output, /FAIL\tbroken \[build failed\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
