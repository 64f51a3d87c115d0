// How long a test may take before it counts as hung, for every mocha run (unit, compiler, lsp, e2e). The suites run on
// busy machines: CI runners, and here 2 cores shared with other jobs at load averages of 30–40, where work that
// takes seconds on an idle machine takes 20 to 50 times longer (the LSP deep-nesting test took 589 s at load 28-42).
// A test's time limit only guards against hangs; speed is checked by `npm run bench`, never by a test. So:
// - `mochaHooks` (loaded for every mocha run by .mocharc.json) raises the limit of every test and every hook to at
//   least HUNG_AFTER_MS before the run starts; limits set higher (or 0, none) stay;
// - waits inside tests (child processes, server messages, debug adapter events) wait for their condition or for
//   the thing they wait on to end, bounded by the test's limit or by HUNG_AFTER_MS, never by a guess of how long
//   the work takes.
// One hung test fails after 20 minutes: `bash .ci/run` takes about 27 minutes on 2 idle cores (10 for the suites, 17
// for the proof job), so up to three hangs still fail inside the 90 minutes a CI run may take. Unit, compiler and lsp tests never set a shorter limit inside a test
// (that would undo this after the fact); only e2e's code-server steps keep their own.
import type { Context, Runnable, Suite } from 'mocha';

export const HUNG_AFTER_MS = 20 * 60_000;

const HOOK_KINDS = ['beforeAll', 'beforeEach', 'afterAll', 'afterEach'] as const;

/** Mocha's Suite#getHooks (in mocha since 7, left out of its type declarations). */
type WithHooks = Suite & { getHooks(kind: (typeof HOOK_KINDS)[number]): Runnable[] };

/** Raises the limit of each test and hook below `suite` (hooks and tests take their suite's limit when declared). */
function raiseLimits(suite: Suite): void {
  for (const runnable of [...suite.tests, ...HOOK_KINDS.flatMap((kind) => (suite as WithHooks).getHooks(kind))]) {
    const limit = runnable.timeout();
    // 0 means no limit at all; keep it.
    if (limit !== 0 && limit < HUNG_AFTER_MS) runnable.timeout(HUNG_AFTER_MS);
  }
  for (const child of suite.suites) raiseLimits(child);
}

export const mochaHooks = {
  beforeAll(this: Context): void {
    // `this.test` is this root hook; its parent is the root suite, every spec file's suites below it.
    const root = this.test?.parent;
    if (root) raiseLimits(root);
  },
};
