// The generated race debug configurations launched against a real `dlv dap` (the pinned version from
// scripts/setup-tools.mjs): for both debug types, dlv must accept the configuration exactly as the product builds
// it, stop at the fixture's breakpoint, show a local variable, and after `continue` report the data race.
import * as assert from 'assert';
import * as fs from 'fs';
import { GO_EXTENSION_DEBUG_TYPE, OWN_DEBUG_TYPE, raceDebugConfiguration, type RaceDebugType } from '../../../core/src/debug/launchConfig';
import { startDlvDap, type DlvDapServer } from '../../../core/src/debug/dlvServer';
import { findTestFunctions } from '../../../core/src/gotest/testFunctions';
import { DapClient, pinnedDlv, type DapMessage } from '../../support/dapClient';
import { HUNG_AFTER_MS } from '../../support/timeouts';
import { DEBUGRACE_DIR, DEBUGRACE_TEST_FILE, RACY_TEST, readDebugraceMarkers } from './debugFixture';

/**
 * The race build under dlv (-race plus -gcflags=all=-N -l) takes minutes on a busy 2-core machine: each wait for it
 * may take half of a test's time limit (timeouts.ts), and says what dlv printed when it does not come.
 */
const BUILD_AND_RUN_MS = HUNG_AFTER_MS / 2;

function racyTest() {
  const fn = findTestFunctions(fs.readFileSync(DEBUGRACE_TEST_FILE, 'utf8')).find((f) => f.name === RACY_TEST);
  if (!fn) throw new Error(`findTestFunctions did not find ${RACY_TEST}`);
  return fn;
}

interface Session {
  server: DlvDapServer;
  client: DapClient;
}

async function launch(dlvPath: string, type: RaceDebugType): Promise<Session & { config: Record<string, unknown> }> {
  const config = raceDebugConfiguration({ type, packageDir: DEBUGRACE_DIR, test: racyTest() });
  // The own type resolves dlvPath into the configuration; the `go` type leaves that to the Go extension.
  const sent = type === OWN_DEBUG_TYPE ? { ...config, dlvPath } : config;
  const server = await startDlvDap({ dlvPath, cwd: DEBUGRACE_DIR });
  const client = await DapClient.connect(server.host, server.port);
  await client.request('initialize', { clientID: 'gal-test', adapterID: 'go', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  await client.request('launch', sent);
  return { server, client, config: sent };
}

async function end(session: Session | undefined): Promise<void> {
  if (!session) return;
  await session.client.request('disconnect', { terminateDebuggee: true }).catch(() => undefined);
  session.client.close();
  await session.server.stop();
}

function describeOutput(client: DapClient): string {
  return `\n--- debuggee output ---\n${client.outputText().slice(-3000)}`;
}

for (const type of [OWN_DEBUG_TYPE, GO_EXTENSION_DEBUG_TYPE] as RaceDebugType[]) {
  describe(`race debug session through a real dlv dap (configuration of type "${type}")`, function () {
    let dlvPath: string;
    let session: (Session & { config: Record<string, unknown> }) | undefined;
    before(async () => {
      dlvPath = await pinnedDlv(console.log);
    });
    afterEach(async () => {
      await end(session);
      session = undefined;
    });

    it('stops at the breakpoint, shows the local variable, then reports the data race and terminates', async () => {
      const markers = readDebugraceMarkers();
      session = await launch(dlvPath, type);
      const { client } = session;
      await client.waitForEvent('initialized', undefined, BUILD_AND_RUN_MS);
      const set = await client.request('setBreakpoints', { source: { path: DEBUGRACE_TEST_FILE }, breakpoints: [{ line: markers.breakpointLine }] });
      assert.strictEqual(set.body.breakpoints[0].verified, true, `breakpoint not verified: ${JSON.stringify(set.body)}`);
      await client.request('configurationDone');

      const stopped = await client.waitForEvent('stopped', undefined, BUILD_AND_RUN_MS).catch((err: Error) => {
        throw new Error(err.message + describeOutput(client));
      });
      assert.strictEqual(stopped.body.reason, 'breakpoint');
      const threadId = stopped.body.threadId as number;
      const trace = await client.request('stackTrace', { threadId, startFrame: 0, levels: 5 });
      const top = trace.body.stackFrames[0];
      assert.strictEqual(top.source.path, DEBUGRACE_TEST_FILE);
      assert.strictEqual(top.line, markers.breakpointLine);
      assert.match(top.name, new RegExp(`${RACY_TEST}$`));

      const scopes = await client.request('scopes', { frameId: top.id });
      const locals = scopes.body.scopes.find((s: { name: string }) => s.name === 'Locals');
      assert.ok(locals, `no Locals scope: ${JSON.stringify(scopes.body)}`);
      const variables = await client.request('variables', { variablesReference: locals.variablesReference });
      const local = variables.body.variables.find((v: { name: string }) => v.name === markers.local.name);
      assert.ok(local, `no local ${markers.local.name} among ${JSON.stringify(variables.body.variables.map((v: { name: string }) => v.name))}`);
      assert.strictEqual(local.value, markers.local.value);

      await client.request('continue', { threadId });
      await client.waitForEvent('terminated', undefined, BUILD_AND_RUN_MS);
      const output = client.outputText();
      assert.match(output, /WARNING: DATA RACE/, describeOutput(client));
      // The report names both racing accesses at the lines the fixture marks.
      assert.match(output, new RegExp(`debugrace\\.go:${markers.raceWriteLine}\\b`), describeOutput(client));
      assert.match(output, new RegExp(`debugrace\\.go:${markers.raceReadLine}\\b`), describeOutput(client));
      assert.match(output, new RegExp(`--- FAIL: ${RACY_TEST}`), describeOutput(client));
      const exited = client.events.find((m: DapMessage) => m.event === 'exited');
      if (exited) assert.notStrictEqual(exited.body.exitCode, 0, 'a test run with a data race must not exit 0');
    });
  });
}

describe('race debug session for the package tests through a real dlv dap', function () {
  let session: Session | undefined;
  afterEach(async () => {
    await end(session);
    session = undefined;
  });

  // Only the own type: both types send the same fields to dlv (checked above), and one race build is enough here.
  it('runs every test of the package without a breakpoint, reports the data race and terminates', async () => {
    const dlvPath = await pinnedDlv(console.log);
    const config = { ...raceDebugConfiguration({ type: OWN_DEBUG_TYPE, packageDir: DEBUGRACE_DIR }), dlvPath };
    assert.deepStrictEqual(config.args, [], 'the package configuration selects no test');
    const server = await startDlvDap({ dlvPath, cwd: DEBUGRACE_DIR });
    const client = await DapClient.connect(server.host, server.port);
    session = { server, client };
    await client.request('initialize', { clientID: 'gal-test', adapterID: 'go', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await client.request('launch', config);
    await client.waitForEvent('initialized', undefined, BUILD_AND_RUN_MS);
    await client.request('configurationDone');
    await client.waitForEvent('terminated', undefined, BUILD_AND_RUN_MS).catch((err: Error) => {
      throw new Error(err.message + describeOutput(client));
    });
    const output = client.outputText();
    const markers = readDebugraceMarkers();
    assert.match(output, /WARNING: DATA RACE/, describeOutput(client));
    assert.match(output, new RegExp(`debugrace\\.go:${markers.raceWriteLine}\\b`), describeOutput(client));
    assert.match(output, new RegExp(`--- FAIL: ${RACY_TEST}`), describeOutput(client));
    assert.ok(!client.events.some((m: DapMessage) => m.event === 'stopped'), 'no breakpoint was set, so nothing may stop');
  });
});

describe('race debug configurations dlv rejects', function () {
  // Long enough for the first-time dlv install (go install) should this test run alone.
  this.timeout(240_000);
  it('a launch with buildFlags of a type dlv does not take is refused, so the accepted launches above are a real check', async () => {
    const dlvPath = await pinnedDlv(console.log);
    const server = await startDlvDap({ dlvPath, cwd: DEBUGRACE_DIR });
    const client = await DapClient.connect(server.host, server.port);
    try {
      await client.request('initialize', { clientID: 'gal-test', adapterID: 'go', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const config = raceDebugConfiguration({ type: OWN_DEBUG_TYPE, packageDir: DEBUGRACE_DIR, test: racyTest() });
      await assert.rejects(client.request('launch', { ...config, buildFlags: 42 }), /buildFlags/);
    } finally {
      client.close();
      await server.stop();
    }
  });
});
