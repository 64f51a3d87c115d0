// `npm run example` (scripts/open-example.mjs) as a user runs it: the launcher must build, serve VS Code on
// examples/, print the workbench URL, show the example folders in the Explorer, and stop everything on Ctrl-C
// (a signal to its whole process group), leaving its port closed.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, launchChromium } from '../../scripts/code-server.mjs';
import { ensureCodeServer, repoRoot } from '../../scripts/setup-tools.mjs';

const examplesDir = path.join(repoRoot, 'examples');
const EXAMPLE_FOLDERS = ['atomics', 'layout', 'racy', 'syscalls'];
const URL_LINE = /(http:\/\/127\.0\.0\.1:(\d+)\/\?folder=\S+)/;

/** Resolves with the first printed workbench URL; rejects when the launcher exits first or prints none in time. */
function waitForUrl(child, output, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no workbench URL within ${timeoutMs / 1000} s:\n${output()}`)), timeoutMs);
    const onData = () => {
      const match = output().match(URL_LINE);
      if (match) finish(undefined, { url: match[1], port: Number(match[2]) });
    };
    const onClose = (code, signal) => finish(new Error(`the launcher exited (${signal ?? code}) before printing a URL:\n${output()}`));
    function finish(err, value) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('close', onClose);
      if (err) reject(err);
      else resolve(value);
    }
    child.stdout.on('data', onData);
    child.once('close', onClose);
  });
}

/** True when something accepts connections on 127.0.0.1:port. */
function portAcceptsConnections(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run example (scripts/open-example.mjs)', function () {
  let launcher;
  let browser;
  const lines = [];
  const output = () => lines.join('');

  before(async function () {
    this.timeout(300_000);
    await ensureCodeServer();
    // A port of its own, so a server already on the default 8080 (a user's `npm run example`) is left alone.
    const requestedPort = await freePort();
    // detached: its own process group, which the test signals the way Ctrl-C in a terminal does.
    launcher = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'open-example.mjs'), '--port', String(requestedPort)], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout.on('data', (chunk) => lines.push(String(chunk)));
    launcher.stderr.on('data', (chunk) => lines.push(String(chunk)));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    // Only when a test failed before the Ctrl-C test: the launcher's SIGINT handler ends code-server too.
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      try {
        process.kill(-launcher.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
  });

  let served;

  it('prints a workbench URL on examples/ that code-server answers with 200', async function () {
    this.timeout(300_000);
    served = await waitForUrl(launcher, output, 280_000);
    assert.equal(new URL(served.url).searchParams.get('folder'), examplesDir);
    const response = await fetch(served.url);
    assert.equal(response.status, 200, `GET ${served.url}`);
  });

  it('shows the example folders in the Explorer', async function () {
    this.timeout(120_000);
    assert.ok(served, 'no URL was printed');
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(served.url);
    const shown = await page.waitForFunction(
      (wanted) => {
        const names = [...document.querySelectorAll('.explorer-folders-view .monaco-list-row .label-name')]
          .map((label) => label.textContent.trim());
        return wanted.every((name) => names.includes(name)) && names;
      },
      EXAMPLE_FOLDERS,
      { timeout: 60_000 },
    );
    const names = await shown.jsonValue();
    for (const folder of EXAMPLE_FOLDERS) assert.ok(names.includes(folder), `Explorer rows: ${names.join(', ')}`);
  });

  it('stops code-server on Ctrl-C and frees its port', async function () {
    this.timeout(60_000);
    assert.ok(served, 'no URL was printed');
    assert.ok(await portAcceptsConnections(served.port), `nothing listens on ${served.port} before Ctrl-C`);
    const closed = new Promise((resolve) => {
      if (launcher.exitCode !== null || launcher.signalCode !== null) resolve();
      else launcher.once('close', resolve);
    });
    process.kill(-launcher.pid, 'SIGINT');
    await closed;
    // The server's own process group gets SIGKILL from the launcher; give the kernel a moment to release the port.
    const deadline = Date.now() + 15_000;
    while ((await portAcceptsConnections(served.port)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(await portAcceptsConnections(served.port), false, `port ${served.port} still open after Ctrl-C`);
    assert.match(output(), /code-server stopped/);
  });
});
