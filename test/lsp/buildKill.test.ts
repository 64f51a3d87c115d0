import * as assert from 'assert';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { DidSaveTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { deepSources } from '../support/deepSources';
import { realGoEnv, writeModule } from '../support/goModule';
import { killListed, markedAfter, markedProcesses } from '../support/markedProcesses';
import { LspTestClient, serverPerTest } from './lspClient';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';

(process.platform === 'linux' ? describe : describe.skip)('build checks do not outlive the server', function () {
  this.timeout(300000);
  const go = realGoEnv();
  const startServer = serverPerTest();

  /** A trusted server compiling a package that takes gc minutes and gigabytes (types nested 5,000 deep). */
  async function startSlowCheck(settings: Record<string, unknown> = {}): Promise<{ c: LspTestClient; marker: string; uri: string }> {
    const sources = deepSources(5000);
    const root = writeModule({ 'go.mod': GO_MOD, ...sources });
    const marker = `GAL_BUILD_KILL_TEST=${randomUUID()}`;
    const [name, value] = marker.split('=');
    const c = await startServer({
      settings: { targets: ['linux/amd64', 'linux/arm64'], ...settings },
      initializationOptions: { ...go, trusted: true },
      env: { ...process.env, [name]: value },
    });
    const uri = await c.open(path.join(root, 'anonymous.go'), sources['anonymous.go']);
    await c.waitFor('a compiler of the check to run', () => markedProcesses(marker, c.child.pid).some((p) => / \S*compile /.test(p)));
    return { c, marker, uri };
  }

  it('kills the check in flight when the file is saved again, then checks again', async () => {
    const { c, marker, uri } = await startSlowCheck();
    const pidsOf = (processes: string[]) => processes.map((p) => p.split(' ')[0]);
    const first = pidsOf(markedProcesses(marker, c.child.pid));
    await c.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
    // Killed, not finished: left alone this compile takes minutes (the other tests here bound a kill at 10 s too).
    const firstLeft = () => pidsOf(markedProcesses(marker, c.child.pid)).filter((pid) => first.includes(pid));
    const deadline = Date.now() + 10000;
    while (firstLeft().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepStrictEqual(firstLeft(), [], 'the first check is still running 10 s after the save');
    await c.waitFor('a compiler of the new check', () => markedProcesses(marker, c.child.pid)
      .some((p) => / \S*compile /.test(p) && !first.includes(p.split(' ')[0])));
    await c.stop();
    assert.deepStrictEqual(markedProcesses(marker, undefined), []);
  });

  it('kills go and its compilers before answering shutdown', async () => {
    const { c, marker } = await startSlowCheck();
    await c.stop();
    assert.deepStrictEqual(markedProcesses(marker, undefined), []);
  });

  it('kills them when the server is ended by a signal', async () => {
    const { c, marker } = await startSlowCheck();
    const exited = new Promise((resolve) => c.child.once('exit', resolve));
    c.child.kill('SIGTERM');
    await exited;
    // SIGKILL went to every group before the server exited; the kernel ends them as it gets to them.
    for (let left = markedProcesses(marker, undefined); left.length > 0; left = markedProcesses(marker, undefined)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('kills them when the server is killed with SIGKILL (no handler of its own runs)', async () => {
    const { c, marker } = await startSlowCheck();
    const exited = new Promise((resolve) => c.child.once('exit', resolve));
    c.child.kill('SIGKILL');
    await exited;
    const left = await markedAfter(marker, 10000);
    // A failing run must not leave 5 GB compiles behind for the next test.
    killListed(left);
    assert.deepStrictEqual(left, []);
  });

  it('stops a target at goArchLens.build.timeoutSeconds and says so', async () => {
    const { c, marker } = await startSlowCheck({ build: { timeoutSeconds: 1 } });
    const timedOut = /the compiler did not finish within 1 s/;
    await c.waitFor('the time bound message', () => c.shownMessages.some((m) => timedOut.test(m.message)));
    // The message names its target once: the targets it stops, after the problem, as for every problem.
    const shown = c.shownMessages.filter((m) => timedOut.test(m.message)).map((m) => m.message);
    for (const message of shown) assert.match(message, /^Go Arch Lens: the compiler did not finish within 1 s \(goArchLens\.build\.timeoutSeconds\) \(linux\/(amd64|arm64)(, linux\/(amd64|arm64))?\)$/);
    await c.waitFor('the checks to be killed', () => markedProcesses(marker, c.child.pid).length === 0);
  });
});
