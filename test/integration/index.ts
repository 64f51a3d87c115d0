// Entry point VS Code loads as `extensionTestsPath` (the contract @vscode/test-electron uses, which code-server
// honours too): runs every test/integration/*.test.js with mocha inside the real extension host. Progress goes to
// the console (the page console under code-server), counts to a JSON summary the launcher reads.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha = require('mocha');
import SummaryReporter = require('../e2e/summaryReporter');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** GAL_INTEGRATION_RESULTS from the launcher, else a fixed file under test-artifacts/. */
export function resultsFile(): string {
  return process.env.GAL_INTEGRATION_RESULTS ?? path.join(repoRoot, 'test-artifacts', 'integration-results.json');
}

/** Marks mocha's lines among everything else the workbench logs to the page console, for the launcher to pick out. */
export const PROGRESS_PREFIX = '[mocha]';

function prefixMochaOutput(): void {
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => {
    for (const line of util.format(...data).split('\n')) console.log(`${PROGRESS_PREFIX} ${line}`);
  };
}

/**
 * The titles to run: GAL_INTEGRATION_GREP (a regular expression over full test titles) narrows the run, e.g. for an
 * installed .vsix; GAL_INTEGRATION_EXCLUDE drops titles it matches, e.g. the untrusted-workspace tests from a
 * trusted run. Mocha takes a single pattern, so the exclusion becomes a lookahead in front of the grep.
 */
export function titleFilter(grep: string | undefined, exclude: string | undefined): RegExp | undefined {
  if (!exclude) return grep ? new RegExp(grep) : undefined;
  return new RegExp(`^(?!.*(?:${exclude}))(?:.*(?:${grep ?? ''}))`);
}

export function run(): Promise<void> {
  prefixMochaOutput();
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // Waits inside the tests poll with their own, shorter deadlines; this only catches a test that hangs.
    timeout: 120_000,
    reporter: SummaryReporter,
    reporterOptions: { summaryFile: resultsFile() },
  });
  const filter = titleFilter(process.env.GAL_INTEGRATION_GREP, process.env.GAL_INTEGRATION_EXCLUDE);
  if (filter) mocha.grep(filter);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
