// The extension in Restricted Mode, in the real editor: layouts still show (standard-library types from the built-in
// table, the language server started without asking `go` for GOROOT), while race runs and race debugging start no
// go or dlv process: the commands refuse, and VS Code holds a launch configuration back until trust is granted. The
// launcher puts a recording go first on PATH for this run, so the tests see directly that no go process started.
// Only the launcher's untrusted run (run-code-server.mjs --untrusted) runs
// these tests, and every other run leaves them out; the first test fails loudly when the window is trusted after all.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GoArchLensApi } from '../../client/src/extension';
import { DEBUG_TEST_WITH_RACE_COMMAND } from '../../client/src/debug';
import { RUN_TEST_COMMAND } from '../../client/src/race/codeLens';
import { RUN_PACKAGE_COMMAND } from '../../client/src/race/runCommands';
import { OWN_DEBUG_TYPE } from '../../core/src/debug/launchConfig';
import { pinnedDlv } from '../support/dapClient';
import { DEBUGRACE_DIR, DEBUGRACE_TEST_FILE, RACY_TEST } from '../unit/debug/debugFixture';
import { bytesIn, distinctSizes, EXTENSION_ID, openShapes, setTargets, SIZES, sorted, waitFor, waitForSizeHint, workspaceDir } from './fixture';

const racyDir = path.join(workspaceDir, 'racy');
const racyTestFile = path.join(racyDir, 'racy_test.go');

/**
 * A struct around a standard-library type, typed into an untitled editor. Sizes from the go compiler
 * (unsafe.Sizeof, checked for linux/amd64, arm64, 386, arm): time.Time is 24 B on 64-bit and 20 B on 32-bit, plus
 * the bool rounded up to the struct's alignment.
 */
const STAMP_SOURCE = 'package stamp\n\nimport "time"\n\ntype Stamp struct {\n\tat time.Time\n\tok bool\n}\n';
const STAMP_SIZES = [24, 32];
/** How long an unanswered launch may take to (not) start a session. */
const UNANSWERED_MS = 15_000;

/** The go runs logged by the launcher's recording go (goRecorder in test/e2e/run-code-server.mjs), one per line. */
function goRuns(): string[] {
  const log = process.env.GAL_FAKE_GO_MARKER;
  assert.ok(log, 'GAL_FAKE_GO_MARKER is unset: the launcher put no recording go on PATH');
  if (!fs.existsSync(log)) return [];
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

async function activeApi(): Promise<GoArchLensApi> {
  const extension = vscode.extensions.getExtension<GoArchLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this editor`);
  await openShapes();
  // "limited" untrusted-workspace support: VS Code activates the extension in Restricted Mode too.
  return extension.activate();
}

describe('in an untrusted workspace', function () {
  // The first activation starts the language server on a busy machine; nothing here builds Go code.
  this.timeout(180_000);
  const settings = () => vscode.workspace.getConfiguration('goArchLens');
  let api: GoArchLensApi;
  const sessions: vscode.DebugSession[] = [];
  let sessionWatch: vscode.Disposable;

  before(async () => {
    await setTargets(undefined);
    sessionWatch = vscode.debug.onDidStartDebugSession((session) => void sessions.push(session));
  });
  after(async () => {
    sessionWatch.dispose();
    await settings().update('dlvPath', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('debug.type', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('race.mode', undefined, vscode.ConfigurationTarget.Global);
  });

  it('is the window the launcher left untrusted (Restricted Mode)', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the workspace is trusted: the launcher did not open it in Restricted Mode');
  });

  it('activates and starts the language server without asking go for GOROOT or GOMODCACHE', async () => {
    api = await activeApi();
    await waitFor('the language client to run', () => (api.client.isRunning() ? true : undefined));
    // GOROOT and GOMODCACHE come only from running `go env`; the server is told it is untrusted.
    assert.deepStrictEqual(api.client.clientOptions.initializationOptions, { trusted: false });
    assert.deepStrictEqual(goRuns(), [], 'go ran while the extension activated');
  });

  it('has a go first on PATH that logs every run (what the no-go checks below rely on)', async () => {
    const before = goRuns();
    await new Promise<void>((resolve, reject) => execFile('go', ['env', 'GOVERSION'], (err) => (err ? reject(err) : resolve())));
    assert.deepStrictEqual(goRuns(), [...before, 'go env GOVERSION'], `go ran but was not logged; PATH=${process.env.PATH}`);
  });

  it('shows every struct size of shapes.go as inlay hints', async () => {
    const doc = (await openShapes()).document;
    for (const name of ['Mixed', 'Packed', 'Words'] as const) {
      const label = await waitForSizeHint(doc, name, (l) => bytesIn(l).length > 0, `the size hint after ${name}`);
      assert.deepStrictEqual(sorted(bytesIn(label)), distinctSizes(SIZES[name]), `size hint after ${name}: ${JSON.stringify(label)}`);
    }
  });

  it('sizes a struct holding a time.Time from the built-in standard-library table', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'go', content: STAMP_SOURCE });
    try {
      await vscode.window.showTextDocument(doc);
      const label = await waitForSizeHint(doc, 'Stamp', (l) => bytesIn(l).length > 0, 'the size hint after Stamp');
      assert.deepStrictEqual(sorted(bytesIn(label)), STAMP_SIZES, `size hint after Stamp: ${JSON.stringify(label)}`);
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('refuses to run a package with -race and runs no go test', async () => {
    // Native without a question, so only the trust check can stop the run before go test starts.
    await settings().update('race.mode', 'native', vscode.ConfigurationTarget.Global);
    const before = goRuns();
    const result = await vscode.commands.executeCommand(RUN_PACKAGE_COMMAND, vscode.Uri.file(racyDir));
    assert.strictEqual(result, undefined, `the run was not refused: ${JSON.stringify(result)?.slice(0, 500)}`);
    assert.deepStrictEqual(api.race.groups(), [], 'races were reported, so go test -race ran');
    assert.deepStrictEqual(goRuns(), before, 'a go process started');
  });

  it('refuses to run one test with -race and runs no go test', async () => {
    const before = goRuns();
    const result = await vscode.commands.executeCommand(RUN_TEST_COMMAND, vscode.Uri.file(racyTestFile), 'TestCounterRace');
    assert.strictEqual(result, undefined, `the run was not refused: ${JSON.stringify(result)?.slice(0, 500)}`);
    assert.deepStrictEqual(api.race.groups(), [], 'races were reported, so go test -race ran');
    assert.deepStrictEqual(goRuns(), before, 'a go process started');
  });

  it('refuses "Debug Test with -race" and starts no debug session', async () => {
    // A real dlv and the own debug type, so only the trust check can stop the session.
    await settings().update('dlvPath', await pinnedDlv(), vscode.ConfigurationTarget.Global);
    await settings().update('debug.type', OWN_DEBUG_TYPE, vscode.ConfigurationTarget.Global);
    const before = goRuns();
    const started = await vscode.commands.executeCommand<boolean>(DEBUG_TEST_WITH_RACE_COMMAND, vscode.Uri.file(DEBUGRACE_TEST_FILE), RACY_TEST);
    assert.strictEqual(started, false, 'the command reported a started session');
    assert.deepStrictEqual(sessions.map((s) => s.type), [], 'a debug session started');
    assert.deepStrictEqual(goRuns(), before, 'a go process (dlv builds with go) started');
  });

  // Last on purpose: VS Code asks for trust (a modal) before it resolves any launch configuration, and nobody
  // answers it here, so startDebugging stays pending and the dialog stays open until the window closes.
  it(`starts no ${OWN_DEBUG_TYPE} session from a launch configuration`, async () => {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(DEBUGRACE_DIR));
    const before = goRuns();
    const outcome = vscode.debug.startDebugging(folder, {
      type: OWN_DEBUG_TYPE, request: 'launch', name: 'untrusted race debug', mode: 'test', program: DEBUGRACE_DIR,
      buildFlags: '-race', args: ['-test.run', `^${RACY_TEST}$`],
    }).then((started) => ({ started }));
    // Long enough for a session to start if neither VS Code's gate nor the configuration provider stopped it.
    const pending = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), UNANSWERED_MS));
    const result = await Promise.race([outcome, pending]);
    assert.ok(result === 'pending' || result.started === false, `startDebugging resolved ${JSON.stringify(result)}`);
    assert.deepStrictEqual(sessions.map((s) => s.type), [], 'a debug session started');
    assert.strictEqual(vscode.debug.activeDebugSession, undefined);
    assert.deepStrictEqual(goRuns(), before, 'a go process started');
  });
});
