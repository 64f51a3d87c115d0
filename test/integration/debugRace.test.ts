// "Debug Test with -race" in the real editor, through this extension's own debug type and the pinned real dlv:
// the command starts a session on the fixture's racy test, it stops at a breakpoint, a local variable is read
// over DAP, and after `continue` the race report arrives as output before the session ends. The expected lines
// and value come from the fixture's `debug:` comments.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEBUG_TEST_WITH_RACE_COMMAND } from '../../client/src/debug';
import { OWN_DEBUG_TYPE } from '../../core/src/debug/launchConfig';
import { pinnedDlv } from '../support/dapClient';
import { DEBUGRACE_TEST_FILE, RACY_TEST, readDebugraceMarkers } from '../unit/debug/debugFixture';
import { waitFor } from './fixture';

/** Building the test with -race under dlv, on a busy machine. */
const SESSION_MS = 240_000;

interface AdapterMessage {
  type: string;
  event?: string;
  body?: any;
}

/**
 * A source path from a DAP response as the extension sees it: a plain path in a desktop window, a
 * vscode-remote:// URI under code-server, which rewrites the adapter's paths for its remote workbench.
 */
function localPath(sourcePath: string): string {
  return /^[a-z][\w+.-]*:\/\//.test(sourcePath) ? vscode.Uri.parse(sourcePath).fsPath : sourcePath;
}

describe('debug a test with -race (own dlv debug type)', function () {
  this.timeout(SESSION_MS + 60_000);
  const settings = () => vscode.workspace.getConfiguration('goArchLens');
  const received: AdapterMessage[] = [];
  let tracker: vscode.Disposable;

  before(async () => {
    const dlv = await pinnedDlv();
    await settings().update('dlvPath', dlv, vscode.ConfigurationTarget.Global);
    // The own type even when the Go extension happens to be installed.
    await settings().update('debug.type', OWN_DEBUG_TYPE, vscode.ConfigurationTarget.Global);
    tracker = vscode.debug.registerDebugAdapterTrackerFactory(OWN_DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({ onDidSendMessage: (message: AdapterMessage) => void received.push(message) }),
    });
  });
  after(async () => {
    tracker.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await settings().update('dlvPath', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('debug.type', undefined, vscode.ConfigurationTarget.Global);
  });
  beforeEach(() => {
    received.length = 0;
  });

  const event = (name: string) => received.find((m) => m.type === 'event' && m.event === name);
  const output = () => received.filter((m) => m.event === 'output').map((m) => String(m.body?.output ?? '')).join('');

  it('stops at the breakpoint, reads a local variable, then shows the race report and ends', async () => {
    const markers = readDebugraceMarkers();
    const uri = vscode.Uri.file(DEBUGRACE_TEST_FILE);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(markers.breakpointLine - 1, 0)))]);
    let terminated = false;
    const onEnd = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.type === OWN_DEBUG_TYPE) terminated = true;
    });
    try {
      const started = await vscode.commands.executeCommand<boolean>(DEBUG_TEST_WITH_RACE_COMMAND, uri, RACY_TEST);
      assert.strictEqual(started, true, 'the command did not start a debug session');
      const session = vscode.debug.activeDebugSession;
      assert.ok(session && session.type === OWN_DEBUG_TYPE, `active session: ${session?.type}`);
      assert.strictEqual(session.configuration.buildFlags, '-race');
      assert.deepStrictEqual(session.configuration.args, ['-test.run', `^${RACY_TEST}$`]);

      const stopped = await waitFor('the stopped event', () => event('stopped'), SESSION_MS).catch((err: Error) => {
        throw new Error(`${err.message}; output so far: ${output().slice(-2000)}`);
      });
      assert.strictEqual(stopped.body.reason, 'breakpoint');
      const threadId = stopped.body.threadId as number;
      const trace = await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 });
      const top = trace.stackFrames[0];
      assert.strictEqual(top.line, markers.breakpointLine);
      assert.strictEqual(localPath(top.source.path), DEBUGRACE_TEST_FILE);
      const { scopes } = await session.customRequest('scopes', { frameId: top.id });
      const locals = scopes.find((s: { name: string }) => s.name === 'Locals');
      const { variables } = await session.customRequest('variables', { variablesReference: locals.variablesReference });
      const local = variables.find((v: { name: string }) => v.name === markers.local.name);
      assert.strictEqual(local?.value, markers.local.value, `locals: ${JSON.stringify(variables)}`);

      await session.customRequest('continue', { threadId });
      await waitFor('the terminated event', () => event('terminated'), SESSION_MS);
      const text = output();
      assert.match(text, /WARNING: DATA RACE/, text.slice(-2000));
      assert.match(text, new RegExp(`debugrace\\.go:${markers.raceWriteLine}\\b`), text.slice(-2000));
      assert.match(text, new RegExp(`debugrace\\.go:${markers.raceReadLine}\\b`), text.slice(-2000));
      await waitFor('the session to end', () => (terminated ? true : undefined), 30_000);
    } finally {
      onEnd.dispose();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    }
  });

  it('without arguments, debugs the test under the cursor of the active editor', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(DEBUGRACE_TEST_FILE));
    const editor = await vscode.window.showTextDocument(doc);
    // A line inside TestTallyCalm, the fixture's race-free test, so the session runs through and passes.
    const inside = doc.getText().split('\n').findIndex((line) => line.includes('func TestTallyCalm(')) + 1;
    assert.ok(inside > 0, 'no TestTallyCalm in the fixture');
    editor.selection = new vscode.Selection(inside, 1, inside, 1);
    let ended = false;
    const onEnd = vscode.debug.onDidTerminateDebugSession(() => (ended = true));
    try {
      const started = await vscode.commands.executeCommand<boolean>(DEBUG_TEST_WITH_RACE_COMMAND);
      assert.strictEqual(started, true);
      assert.deepStrictEqual(vscode.debug.activeDebugSession?.configuration.args, ['-test.run', '^TestTallyCalm$']);
      await waitFor('the session to end', () => (ended ? true : undefined), SESSION_MS);
      assert.match(output(), /^PASS\b/m, output().slice(-2000));
      assert.doesNotMatch(output(), /DATA RACE/);
    } finally {
      onEnd.dispose();
      if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    }
  });

  it('a goArchLens.dlvPath pointing nowhere keeps the session from starting', async () => {
    await settings().update('dlvPath', '/nonexistent/dlv', vscode.ConfigurationTarget.Global);
    try {
      const started = await vscode.commands.executeCommand<boolean>(DEBUG_TEST_WITH_RACE_COMMAND, vscode.Uri.file(DEBUGRACE_TEST_FILE), RACY_TEST);
      assert.strictEqual(started, false);
      assert.strictEqual(vscode.debug.activeDebugSession, undefined);
      assert.strictEqual(received.length, 0, 'no debug adapter may have run');
    } finally {
      await settings().update('dlvPath', await pinnedDlv(), vscode.ConfigurationTarget.Global);
    }
  });
});
