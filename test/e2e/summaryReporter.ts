// A mocha reporter that prints like `spec` for people and also writes a JSON summary for the launcher that started
// the run (scripts/test-all.mjs, or the code-server launcher reading what the extension host wrote), so counts never
// have to be scraped from human-readable output.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');

interface SuiteSummary {
  passes: number;
  failures: number;
  pending: number;
  passed: string[];
  failed: { title: string; error: string }[];
  durationMs: number;
}

/** Where the summary goes: the `summaryFile` reporter option, else GAL_MOCHA_SUMMARY; neither means none. */
function summaryFileFrom(options: Mocha.MochaOptions): string | undefined {
  const reporterOptions = (options.reporterOptions ?? {}) as { summaryFile?: string };
  return reporterOptions.summaryFile ?? process.env.GAL_MOCHA_SUMMARY;
}

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const summaryFile = summaryFileFrom(options);
    const started = Date.now();
    const summary: SuiteSummary = { passes: 0, failures: 0, pending: 0, passed: [], failed: [], durationMs: 0 };
    runner.on('pass', (test) => {
      summary.passes++;
      summary.passed.push(test.fullTitle());
    });
    // Hook failures arrive here too: a failing `before` counts as one failure, never as silence.
    runner.on('fail', (test, err: Error) => {
      summary.failures++;
      summary.failed.push({ title: test.fullTitle(), error: err?.stack ?? String(err) });
    });
    runner.on('pending', () => summary.pending++);
    runner.once('end', () => {
      summary.durationMs = Date.now() - started;
      if (!summaryFile) return;
      fs.mkdirSync(path.dirname(summaryFile), { recursive: true });
      fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
    });
  }
}

export = SummaryReporter;
