// Runs the integration suite (out/test/integration/index.js) inside the extension host of a real VS Code served by
// code-server, driven by headless Chromium: the same `extensionTestsPath` contract @vscode/test-electron uses,
// passed as the workbench URL's payload. VS Code calls window.codeAutomationExit(code) when run() settles; the
// counts come from the JSON summary the suite writes.
//
// Usage: node test/e2e/run-code-server.mjs [--no-build] [--grep TEXT] [--untrusted]
//   builds the extension and the tests first unless --no-build; ends with `N passed, N failed`. --untrusted runs the
//   untrusted-workspace tests in Restricted Mode instead of the rest of the suite in a trusted window.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, remoteUri, startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { ensureCodeServer, repoRoot, run } from '../../scripts/setup-tools.mjs';

export const artifactsDir = path.join(repoRoot, 'test-artifacts');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const testsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
/** Must match PROGRESS_PREFIX in test/integration/index.ts. */
const MOCHA_PREFIX = '[mocha]';
/**
 * The describe title of test/integration/untrusted.test.ts (keep them equal): those tests run only in Restricted
 * Mode and every other test only in a trusted window, since each half asserts what the other forbids.
 */
export const UNTRUSTED_SUITE = 'in an untrusted workspace';

/** Absolute path of the first executable `name` on PATH, or undefined. */
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * For the untrusted run: a temp folder holding a `go` that appends its arguments to the file named by
 * GAL_FAKE_GO_MARKER and then runs the real go. Put first on code-server's PATH, it lets the untrusted tests see
 * directly whether the extension (or dlv) started any go process. Returns { env, remove() }.
 */
function goRecorder() {
  const realGo = findOnPath('go');
  if (!realGo) throw new Error('go is not on PATH; the untrusted run needs the real go behind its recording wrapper');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-recording-go-'));
  const binDir = path.join(dir, 'bin');
  fs.mkdirSync(binDir);
  const quoted = `'${realGo.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(path.join(binDir, 'go'), `#!/bin/sh\nprintf '%s\\n' "go $*" >> "$GAL_FAKE_GO_MARKER"\nexec ${quoted} "$@"\n`, { mode: 0o755 });
  return {
    env: {
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      GAL_FAKE_GO_MARKER: path.join(dir, 'go-runs.log'),
      // Else the server replaces PATH with the one a login shell prints (VS Code's resolveShellEnv); VSCODE_CLI=1
      // is VS Code's own sign that the environment is already the one to use.
      VSCODE_CLI: '1',
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Builds dist/ (the extension) and out/ (the compiled tests), as a standalone run needs. */
export async function buildAll(log = console.log) {
  log('building the extension (npm run build) and the tests (tsc -p .)');
  await run('npm', ['run', 'build'], { cwd: repoRoot });
  await run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: repoRoot });
}

function readSummary(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs the suite once. Options:
 *   extensionPath  the extension folder to load as the development extension (default: this repository; the
 *                  .vsix test passes the folder code-server installed the package into)
 *   extensionsDir  code-server's extensions folder (default: an empty temp folder)
 *   grep           a regular expression: only tests whose full title matches run
 *   trust          'trusted' (default): workspace trust is off, so the fixture folder is trusted, and the
 *                  untrusted-workspace tests are left out; 'restricted': trust is on and the folder opens
 *                  untrusted (Restricted Mode), only the untrusted-workspace tests run, and a
 *                  go that logs its runs leads the server's PATH (goRecorder)
 *   name           names the results file and screenshots (default "integration", "integration-untrusted")
 *   timeoutMs      for the whole run (default 10 minutes)
 *   log            receives progress lines
 * Resolves to { exitCode, summary, error }: summary is the suite's JSON ({ passes, failures, passed, failed, … })
 * or undefined when the suite never wrote one; error says why the run could not finish.
 */
export async function runIntegrationSuite(options = {}) {
  const log = options.log ?? console.log;
  const restricted = options.trust === 'restricted';
  const name = options.name ?? (restricted ? 'integration-untrusted' : 'integration');
  if (!fs.existsSync(testsPath)) throw new Error(`${path.relative(repoRoot, testsPath)} is missing: run tsc -p . first`);
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'client.js'))) throw new Error('dist/client.js is missing: run npm run build first');
  await ensureCodeServer(log);
  fs.mkdirSync(artifactsDir, { recursive: true });
  const resultsFile = path.join(artifactsDir, `${name}-results.json`);
  fs.rmSync(resultsFile, { force: true });

  const extensionPath = options.extensionPath ?? repoRoot;
  // The suite checks the extension really runs from extensionPath, so a stray copy elsewhere cannot pass for it.
  // GAL_RUN_ROOT_PID: this process, the ancestor of every process of the run (browser, code-server, extension
  // host, language server), whose CPU time the benchmark tests add up.
  const env = { GAL_INTEGRATION_RESULTS: resultsFile, GAL_EXPECTED_EXTENSION_PATH: extensionPath, GAL_RUN_ROOT_PID: String(process.pid) };
  if (restricted) env.GAL_INTEGRATION_GREP = options.grep ? `${UNTRUSTED_SUITE}.*(?:${options.grep})` : UNTRUSTED_SUITE;
  else {
    if (options.grep) env.GAL_INTEGRATION_GREP = options.grep;
    env.GAL_INTEGRATION_EXCLUDE = UNTRUSTED_SUITE;
  }
  // Only the untrusted run records go processes: the trusted tests run go on purpose.
  const recorder = restricted ? goRecorder() : undefined;
  let server;
  try {
    server = await startCodeServer({ env: { ...env, ...recorder?.env }, extensionsDir: options.extensionsDir, workspaceTrust: restricted });
  } catch (err) {
    recorder?.remove();
    throw err;
  }
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Everything the page logs goes to a file; mocha's own lines (marked by the suite) are also shown as progress.
    const consoleLog = fs.createWriteStream(path.join(artifactsDir, `${name}-console.log`));
    page.on('console', (message) => {
      const text = message.text();
      consoleLog.write(`${message.type()}: ${text}\n`);
      const at = text.indexOf(MOCHA_PREFIX);
      if (at >= 0) log(`  ${text.slice(at + MOCHA_PREFIX.length + 1)}`);
    });
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    page.on('crash', () => reportExit(new Error('the browser page crashed')));

    // VS Code runs extensionTestsPath only in an extension development window, hence always a development path.
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server, extensionPath)],
      ['extensionTestsPath', remoteUri(server, testsPath)],
    ];
    const started = Date.now();
    await page.goto(workbenchUrl(server, fixtureWorkspace, payload));

    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve(new Error(`the suite did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    log(`${name}: extension host finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    consoleLog.end();
    const summary = readSummary(resultsFile);
    const consoleNote = `(page console: ${path.relative(repoRoot, consoleLog.path)})`;
    let error;
    if (outcome instanceof Error) error = `${outcome.message} ${consoleNote}`;
    else if (!summary) error = `the suite wrote no results to ${resultsFile} ${consoleNote}`;
    // A filter that matches nothing would otherwise pass as "0 passed, 0 failed".
    else if (summary.passes + summary.failures === 0) error = `no test matched the run's title filter ${consoleNote}`;
    if (error || outcome !== 0) {
      await page.screenshot({ path: path.join(artifactsDir, `${name}-end.png`) }).catch(() => {});
    }
    return { exitCode: outcome instanceof Error ? undefined : outcome, summary, error };
  } catch (err) {
    return { exitCode: undefined, summary: undefined, error: `${err.message}\ncode-server output:\n${server.output()}` };
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
    recorder?.remove();
  }
}

/**
 * `passed`/`failed` counts of one launcher run; a run that could not finish counts as one failure, and so does
 * each skipped (pending) test: nothing is skipped silently.
 */
export function countsOf(result) {
  const passed = result.summary?.passes ?? 0;
  let failed = (result.summary?.failures ?? 0) + (result.summary?.pending ?? 0);
  if (result.error || (result.exitCode !== 0 && failed === 0)) failed++;
  return { passed, failed };
}

async function main() {
  const args = process.argv.slice(2);
  const grepAt = args.indexOf('--grep');
  if (!args.includes('--no-build')) await buildAll();
  const trust = args.includes('--untrusted') ? 'restricted' : 'trusted';
  const result = await runIntegrationSuite({ grep: grepAt >= 0 ? args[grepAt + 1] : undefined, trust });
  if (result.error) console.error(`code-server launcher: ${result.error}`);
  for (const failure of result.summary?.failed ?? []) console.error(`FAILED ${failure.title}\n${failure.error}\n`);
  const { passed, failed } = countsOf(result);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`code-server launcher could not run: ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
}
