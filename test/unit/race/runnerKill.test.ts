// A race run must not outlive the process that started it (the extension host), even when that process is killed
// with SIGKILL and none of its handlers run: go test, the test binary and what the test started must all end.
import * as assert from 'assert';
import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { preflightRace, realPlatformProbe } from '../../../core/src/race/preflight';
import type { RaceRunRequest } from '../../../core/src/race/runner';
import { killListed, markedAfter, markedProcesses } from '../../support/markedProcesses';
import { FIXTURE_DIR } from './fixtureRuns';

/** The compiled runner, loaded by the parent process the test kills. */
const RUNNER_JS = path.join(__dirname, '../../../core/src/race/runner.js');

/** Starts the race run given as JSON and keeps running while it does; nothing in it handles signals. */
const PARENT_SCRIPT = 'require(process.argv[1]).startRaceRun(JSON.parse(process.argv[2]));';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

(process.platform === 'linux' ? describe : describe.skip)('race runs do not outlive the process that started them', function () {
  this.timeout(300000);

  it('kills go test, the test binary and its child when that process is killed with SIGKILL', async () => {
    const checked = await preflightRace(realPlatformProbe(), { mode: 'native', cwd: FIXTURE_DIR });
    assert.ok(checked.ok, `this machine must pass the race preflight: ${JSON.stringify(checked)}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-runner-kill-'));
    const pidFile = path.join(dir, 'pids');
    const request: RaceRunRequest = {
      cwd: path.join(FIXTURE_DIR, 'runner'), packages: ['./hang'], selection: ['-run', '^TestRaceThenBlock$'],
      goBinary: checked.goBinary, env: { ...checked.env, GOTOOLCHAIN: 'local', GOWORK: 'off', GAL_RACE_PIDFILE: pidFile },
    };
    const value = randomUUID();
    const marker = `GAL_RACE_KILL_TEST=${value}`;
    const parent = spawn(process.execPath, ['-e', PARENT_SCRIPT, RUNNER_JS, JSON.stringify(request)], {
      env: { ...process.env, GAL_RACE_KILL_TEST: value }, stdio: 'ignore',
    });
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    try {
      // The test binary writes the file once it runs and has started its sleeping child; both then block for an hour.
      for (const end = Date.now() + 240000; !fs.existsSync(pidFile) && parent.exitCode === null && Date.now() < end;) await sleep(50);
      assert.ok(fs.existsSync(pidFile), 'the fixture test started and wrote its pids');
      const pids = fs.readFileSync(pidFile, 'utf8').match(/\d+/g)!;
      const running = markedProcesses(marker, parent.pid).map((p) => p.split(' ')[0]);
      assert.ok(pids.every((pid) => running.includes(pid)), `test binary and its child run before the kill: ${running}`);
      parent.kill('SIGKILL');
      await exited;
      const left = await markedAfter(marker, 10000);
      killListed(left);
      assert.deepStrictEqual(left, []);
    } finally {
      parent.kill('SIGKILL');
      killListed(markedProcesses(marker));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
