// Starts and stops a real VS Code (code-server) and a Chromium page on it, for the launchers, the UI checks and
// `npm run example`. Every code-server gets its own process group, temp user-data, extensions and XDG folders,
// and a free 127.0.0.1 port, so parallel or leftover runs never share state.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromiumPath, codeServerBin, repoRoot, run } from './setup-tools.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
/** The folder name VS Code gives an installed copy of this extension. */
export const installedExtensionName = `${manifest.publisher}.${manifest.name}-${manifest.version}`;

/** Settings that keep the workbench quiet and deterministic: no tips, no recommendations, no update checks. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'editor.inlayHints.enabled': 'on',
  // The web workbench saves after a second by default; tests make unsaved edits to files of the repository.
  'files.autoSave': 'off',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/**
 * Restricted Mode for the folder that opens, without the modal that would ask whether to trust it: trust is on, the
 * folder has never been trusted, and the startup prompt is off. Only together with `workspaceTrust: true`, since
 * the --disable-workspace-trust flag overrides every setting.
 */
const restrictedModeSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `preferred` when nothing listens there, else any free port. */
export async function portPreferring(preferred) {
  return (await portIsFree(preferred)) ? preferred : freePort();
}

async function waitUntilHealthy(url, child, output, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.signalCode ?? child.exitCode}) before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

/** Kills of the servers still running; run when this process exits or is interrupted without calling stop(). */
const pendingCleanups = new Set();
let exitHandlersInstalled = false;

function cleanUpAll() {
  for (const cleanup of pendingCleanups) cleanup();
  pendingCleanups.clear();
}

/** Registers a kill for exit and for SIGINT/SIGTERM/SIGHUP (which end node without an 'exit' event). */
function rememberForCleanup(cleanup) {
  if (!exitHandlersInstalled) {
    exitHandlersInstalled = true;
    process.on('exit', cleanUpAll);
    for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
      process.once(signal, () => {
        cleanUpAll();
        process.exit(128 + number);
      });
    }
  }
  pendingCleanups.add(cleanup);
  return () => pendingCleanups.delete(cleanup);
}

/** A temp folder that `stop()` removes; named so leftovers are easy to recognise. */
function makeTempRoot() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gal-code-server-'));
}

/**
 * Makes `extensionsDir` hold this repository as an installed extension: a symlink VS Code accepts before its first
 * start, so a rebuild (npm run build) shows after a window reload.
 */
function linkExtensionInto(extensionsDir) {
  fs.symlinkSync(repoRoot, path.join(extensionsDir, installedExtensionName), 'dir');
}

/** Installs a .vsix into `extensionsDir` the way a user would, with code-server's own installer. */
export async function installVsix(vsix, extensionsDir) {
  const bin = codeServerBin();
  if (!fs.existsSync(bin)) throw new Error(`code-server is not installed (${bin}); run node scripts/setup-tools.mjs`);
  const tempRoot = makeTempRoot();
  try {
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(tempRoot, 'config'), XDG_DATA_HOME: path.join(tempRoot, 'data') };
    const args = ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(tempRoot, 'user-data')];
    return await run(bin, args, { env });
  } finally {
    fs.rmSync(tempRoot, { recursive: true, force: true });
  }
}

/**
 * Starts code-server and waits until it answers. Options: port (default: a free one), extensionsDir (default: a
 * temp folder, removed by stop()), withThisExtension (install this repository there as a linked extension), env (added to the server's environment, which the extension host inherits), settings (user
 * settings on top of the quiet defaults), workspaceTrust (true: workspace trust is on and the opened folder stays
 * untrusted, i.e. Restricted Mode; default: trust is off and every folder counts as trusted), log (a function
 * receiving server output lines, default: kept silently).
 * Returns { url, port, extensionsDir, stop(), output() }.
 */
export async function startCodeServer(options = {}) {
  const bin = codeServerBin();
  if (!fs.existsSync(bin)) throw new Error(`code-server is not installed (${bin}); run node scripts/setup-tools.mjs`);
  const tempRoot = makeTempRoot();
  const userDataDir = path.join(tempRoot, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(tempRoot, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (options.withThisExtension) linkExtensionInto(extensionsDir);
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...(options.workspaceTrust ? restrictedModeSettings : {}), ...options.settings }, null, 2),
  );
  const port = options.port ?? (await freePort());
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(tempRoot, 'config'),
    XDG_DATA_HOME: path.join(tempRoot, 'data'),
    ...options.env,
  };
  // detached: its own process group, so stop() can end the server and every extension host it spawned.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const lines = [];
  const onData = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 400) lines.shift();
      options.log?.(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const startError = new Promise((_, reject) => child.once('error', reject));
  startError.catch(() => {});
  const output = () => lines.join('\n');

  let stopped = false;
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const forget = rememberForCleanup(() => {
    killGroup('SIGKILL');
    fs.rmSync(tempRoot, { recursive: true, force: true });
  });

  async function stop() {
    if (stopped) return;
    stopped = true;
    forget();
    const exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('close', resolve);
    });
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // Extension hosts may outlive the server process briefly; the group kill reaches them too.
    killGroup('SIGKILL');
    fs.rmSync(tempRoot, { recursive: true, force: true });
  }

  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilHealthy(url, child, output, options.startTimeoutMs ?? 60_000), startError]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, extensionsDir, stop, output };
}

/** The workbench URL for a folder; with `payload`, VS Code's own query for dev/test extension locations. */
export function workbenchUrl(server, folder, payload) {
  const query = new URLSearchParams({ folder });
  if (payload) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query}`;
}

/** `vscode-remote://` URI for a path on the code-server machine, as the payload needs. */
export function remoteUri(server, absolutePath) {
  return `vscode-remote://127.0.0.1:${server.port}${absolutePath}`;
}

/** Launches Debian's Chromium headless through playwright-core with a fresh profile. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
