// Runs the same integration suite in desktop VS Code through @vscode/test-electron, for machines that have one:
// VSCODE_EXECUTABLE names an installed VS Code (or VSCodium) binary, else test-electron tries to download one.
// On Linux without a display, run it under xvfb-run. These machines cannot download VS Code; the code-server
// launcher (run-code-server.mjs) covers the suite here. Only the trusted half runs here: test-electron always starts
// VS Code with --disable-workspace-trust, so the untrusted-workspace tests need run-code-server.mjs --untrusted.
//
// Usage: node test/e2e/run-electron.mjs [--no-build]   ends with `N passed, N failed`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../scripts/setup-tools.mjs';
import { artifactsDir, buildAll, countsOf, fixtureWorkspace, UNTRUSTED_SUITE } from './run-code-server.mjs';

const testsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');

async function vscodeExecutable(downloadAndUnzipVSCode) {
  if (process.env.VSCODE_EXECUTABLE) {
    if (!fs.existsSync(process.env.VSCODE_EXECUTABLE)) throw new Error(`VSCODE_EXECUTABLE=${process.env.VSCODE_EXECUTABLE} does not exist`);
    return process.env.VSCODE_EXECUTABLE;
  }
  try {
    return await downloadAndUnzipVSCode({ version: 'stable', timeout: 60_000 });
  } catch (err) {
    throw new Error(`no desktop VS Code: VSCODE_EXECUTABLE is unset and downloading one failed (${err.message})`);
  }
}

/** Resolves to { exitCode, summary, error } like runIntegrationSuite in run-code-server.mjs. */
export async function runElectronSuite() {
  if (!fs.existsSync(testsPath)) throw new Error(`${path.relative(repoRoot, testsPath)} is missing: run tsc -p . first`);
  const { downloadAndUnzipVSCode, runTests, TestRunFailedError } = await import('@vscode/test-electron');
  const resultsFile = path.join(artifactsDir, 'electron-results.json');
  fs.rmSync(resultsFile, { force: true });
  let exitCode;
  let error;
  try {
    exitCode = await runTests({
      vscodeExecutablePath: await vscodeExecutable(downloadAndUnzipVSCode),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      // test-electron adds temp user-data and extensions folders itself.
      launchArgs: [fixtureWorkspace, '--disable-extensions'],
      extensionTestsEnv: { GAL_INTEGRATION_RESULTS: resultsFile, GAL_EXPECTED_EXTENSION_PATH: repoRoot, GAL_INTEGRATION_EXCLUDE: UNTRUSTED_SUITE },
    });
  } catch (err) {
    if (err instanceof TestRunFailedError) exitCode = err.code;
    else error = err.message;
  }
  let summary;
  try {
    summary = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    error ??= `the suite wrote no results to ${resultsFile}`;
  }
  return { exitCode, summary, error };
}

async function main() {
  if (!process.argv.includes('--no-build')) await buildAll();
  const result = await runElectronSuite();
  if (result.error) console.error(`electron launcher: ${result.error}`);
  const { passed, failed } = countsOf(result);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`electron launcher could not run: ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
}
