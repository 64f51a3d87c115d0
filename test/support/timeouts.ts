// How long a test may take before it counts as hung, for every node suite (unit, compiler, lsp). The suites run on
// busy machines: CI runners, and here 2 cores shared with other jobs at load averages of 30–40, where work that
// takes seconds on an idle machine takes 20 to 50 times longer. A test's time limit only guards against hangs;
// speed is checked by `npm run bench`, never by a test. So:
// - `mochaHooks` (loaded for every mocha run by .mocharc.json) raises each test's limit to at least HUNG_AFTER_MS;
//   suites that set a longer one keep it;
// - waits inside tests (child processes, server messages, debug adapter events) wait for their condition or for
//   the thing they wait on to end, bounded by the test's limit or by HUNG_AFTER_MS, never by a guess of how long
//   the work takes.
import type { Context } from 'mocha';

export const HUNG_AFTER_MS = 20 * 60_000;

export const mochaHooks = {
  beforeEach(this: Context): void {
    const test = this.currentTest;
    // 0 means no limit at all; keep it.
    if (test && test.timeout() !== 0 && test.timeout() < HUNG_AFTER_MS) test.timeout(HUNG_AFTER_MS);
  },
};
