// `npm test`: builds, type-checks, then runs every suite and sums their counts into a final line
// `N passed, N failed` (the last line printed). Node suites (out/test/unit, compiler, lsp) run under mocha; the
// integration suite runs inside a real VS Code (code-server + Chromium), trusted and then again in Restricted Mode
// for the untrusted-workspace tests, then the UI checks, the .vsix test and the `npm run example` test.
// A step or suite that cannot run counts as a failure, never as a silent skip. Exit code 1 when anything failed.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureAllTools, repoRoot, run } from './setup-tools.mjs';

const artifactsDir = path.join(repoRoot, 'test-artifacts');
const mochaBin = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
const reporter = path.join(repoRoot, 'out', 'test', 'e2e', 'summaryReporter.js');
const NODE_SUITES = ['unit', 'compiler', 'lsp'];

/** One line per suite or step for the closing table. */
const results = [];

function record(name, passed, failed, seconds, note = '') {
  results.push({ name, passed, failed, seconds, note });
}

function banner(text) {
  console.log(`\n=== ${text} ===`);
}

async function timed(fn) {
  const started = Date.now();
  const value = await fn();
  return { value, seconds: (Date.now() - started) / 1000 };
}

/** A build step: prints its output only when it fails; a failure counts once. */
async function step(name, command, args) {
  banner(name);
  const started = Date.now();
  try {
    await run(command, args, { cwd: repoRoot });
    console.log(`ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (err) {
    console.log(err.message);
    record(name, 0, 1, (Date.now() - started) / 1000, 'step failed');
    return false;
  }
}

/** Runs mocha in a child process with output shown live; counts come from the summary reporter's file. */
function runMocha(name, specs) {
  const summaryFile = path.join(artifactsDir, `${name.replace(/\W+/g, '-')}-results.json`);
  fs.rmSync(summaryFile, { force: true });
  const args = [mochaBin, '--reporter', reporter, '--reporter-option', `summaryFile=${summaryFile}`, ...specs];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', (err) => resolve({ passed: 0, failed: 1, note: `mocha could not start: ${err.message}` }));
    child.on('close', (code, signal) => {
      let summary;
      try {
        summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
      } catch {
        resolve({ passed: 0, failed: 1, note: `mocha ended (${signal ?? code}) without a summary` });
        return;
      }
      // A crash after some tests ran (non-zero exit, no failure counted) is still a failure.
      const crashed = code !== 0 && summary.failures === 0;
      // A skipped (pending) test did not run: it counts as a failure, never as a silent skip.
      const notes = [crashed ? `mocha exited ${signal ?? code}` : '', summary.pending > 0 ? `${summary.pending} skipped` : ''].filter(Boolean);
      resolve({ passed: summary.passes, failed: summary.failures + summary.pending + (crashed ? 1 : 0), note: notes.join(', ') });
    });
  });
}

function hasCompiledTests(dir) {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { recursive: true }).some((file) => String(file).endsWith('.test.js'));
}

async function nodeSuites() {
  for (const suite of NODE_SUITES) {
    const dir = path.join(repoRoot, 'out', 'test', suite);
    if (!hasCompiledTests(dir)) {
      // A suite that compiled to nothing (a tsconfig or path mistake) would otherwise pass unnoticed.
      console.log(`\nFAILED: no compiled tests in out/test/${suite}`);
      record(`test/${suite}`, 0, 1, 0, 'no compiled tests');
      continue;
    }
    banner(`mocha: test/${suite}`);
    // No --timeout: every test and hook gets the one hang bound of test/support/timeouts.ts (.mocharc.json); speed
    // is measured by the benchmarks, not here.
    const { value, seconds } = await timed(() => runMocha(suite, [`out/test/${suite}/**/*.test.js`]));
    record(`test/${suite}`, value.passed, value.failed, seconds, value.note);
  }
}

/**
 * The proof job (test/proof): every struct of GOROOT/src and of the pinned modules, all 14 GOARCHes, engine vs
 * go/types' gc sizes with a compiler-checked sample per run, plus fieldalignment parity. Each corpus × target is one
 * check; its closing line counts. `npm test -- --proof` runs it (CI does, through .ci/run), `npm run proof` alone;
 * plain `npm test` leaves it out because it fetches about 2 GB of modules and costs tens of CPU-minutes (README, Proof).
 */
async function proofJob() {
  banner('proof: engine vs go/packages + types.SizesFor("gc") on GOROOT/src and pinned modules, 14 GOARCHes');
  const { value, seconds } = await timed(() => new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'out', 'test', 'proof', 'proof.js')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + String(chunk)).slice(-4096);
    });
    child.on('error', (err) => resolve({ passed: 0, failed: 1, note: `could not start: ${err.message}` }));
    child.on('close', (code) => {
      const m = /^(\d+) passed, (\d+) failed$/.exec(tail.trim().split('\n').pop() ?? '');
      resolve(m ? { passed: Number(m[1]), failed: Number(m[2]), note: '' } : { passed: 0, failed: 1, note: `ended (${code}) without a count` });
    });
  }));
  record('proof (test/proof)', value.passed, value.failed, seconds, value.note);
}

async function editorSuites() {
  banner('tools for the editor tests (code-server, vsce, Chromium)');
  try {
    const { seconds } = await timed(() => ensureAllTools());
    console.log(`ready (${seconds.toFixed(1)} s)`);
  } catch (err) {
    console.log(err.message);
    record('editor tools', 0, 1, 0, 'the editor suites cannot run without them');
    return;
  }

  const { runIntegrationSuite, countsOf } = await import('../test/e2e/run-code-server.mjs');
  await integrationRun('integration suite in code-server (real VS Code extension host)', 'integration (code-server)',
    () => runIntegrationSuite());
  await integrationRun('integration suite in an untrusted workspace (code-server, Restricted Mode)',
    'integration (untrusted workspace)', () => runIntegrationSuite({ trust: 'restricted' }));

  await electronSuite(countsOf);

  banner('UI checks and .vsix (Playwright + code-server)');
  const e2e = await timed(() => runMocha('e2e', ['test/e2e/ui.test.mjs', 'test/e2e/vsix.test.mjs', 'test/e2e/example.test.mjs']));
  record('UI + .vsix', e2e.value.passed, e2e.value.failed, e2e.seconds, e2e.value.note);
}

/** One launcher run of the integration suite, recorded under `name`; a launcher that throws counts as a failure. */
async function integrationRun(title, name, launch) {
  banner(title);
  const { countsOf } = await import('../test/e2e/run-code-server.mjs');
  const outcome = await timed(async () => {
    try {
      return await launch();
    } catch (err) {
      return { error: err.message };
    }
  });
  if (outcome.value.error) console.log(`code-server launcher: ${outcome.value.error}`);
  for (const failure of outcome.value.summary?.failed ?? []) console.log(`FAILED ${failure.title}\n${failure.error}`);
  const counts = countsOf(outcome.value);
  record(name, counts.passed, counts.failed, outcome.seconds, outcome.value.error ? 'launcher failed' : '');
}

/** Desktop VS Code only where one exists (VSCODE_EXECUTABLE); these machines have none, and say so. */
async function electronSuite(countsOf) {
  if (!process.env.VSCODE_EXECUTABLE) {
    console.log('\n(desktop VS Code launcher not run: VSCODE_EXECUTABLE is unset and no VS Code can be downloaded here;'
      + ' the code-server run above is the same suite)');
    return;
  }
  banner(`integration suite in desktop VS Code (${process.env.VSCODE_EXECUTABLE})`);
  const { runElectronSuite } = await import('../test/e2e/run-electron.mjs');
  const electron = await timed(async () => {
    try {
      return await runElectronSuite();
    } catch (err) {
      return { error: err.message };
    }
  });
  if (electron.value.error) console.log(`electron launcher: ${electron.value.error}`);
  const counts = countsOf(electron.value);
  record('integration (desktop VS Code)', counts.passed, counts.failed, electron.seconds, electron.value.error ? 'launcher failed' : '');
}

function printTable() {
  banner('summary');
  for (const r of results) {
    const note = r.note ? `  (${r.note})` : '';
    console.log(`${r.name.padEnd(34)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(0).padStart(4)} s${note}`);
  }
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(artifactsDir, { recursive: true });
  const built = await step('build (npm run build)', 'npm', ['run', 'build']);
  const compiled = await step('compile tests (tsc -p .)', process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
  if (compiled) await nodeSuites();
  if (compiled && process.argv.includes('--proof')) await proofJob();
  if (built && compiled) await editorSuites();
  printTable();
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`total time ${((Date.now() - started) / 1000 / 60).toFixed(1)} min`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(`test-all crashed: ${err.stack ?? err}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
