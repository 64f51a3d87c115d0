// `npm run proof`: the engine against go/types' gc sizes on every struct of GOROOT/src and of pinned real
// modules, for all 14 GOARCHes, plus fieldalignment parity on GOROOT/src. See README "Proof".
//
//   node out/test/proof/proof.js [--fresh] [--targets amd64,386] [--corpus goroot|modules] [--verify N] [--parallel N]
//
// Writes test-artifacts/proof-report.md (every mismatch grouped by cause) and prints one line per check and a
// closing `N passed, N failed` line; exit status 1 when anything disagrees. A check is one corpus on one target
// (every struct the reference lays out must match), plus the fieldalignment parity check.

import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Target } from '../../core/src/api';
import { targetKey } from '../../core/src/targets';
import { realGoEnv } from '../support/goModule';
import type { CheckResult } from './checks';
import { corpora, downloadModules, PROOF_TARGETS, repoRoot } from './corpora';
import type { EngineJob, EngineJobResult } from './engineWorker';
import { ReferenceRun, runReferences } from './reference';

interface Options {
  fresh: boolean;
  goarches?: string[];
  corpus?: string;
  verify: number;
  parallel: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { fresh: false, verify: 24, parallel: 2 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--fresh') o.fresh = true;
    else if (a === '--targets') o.goarches = argv[++i].split(',');
    else if (a === '--corpus') o.corpus = argv[++i];
    else if (a === '--verify') o.verify = Number(argv[++i]);
    else if (a === '--parallel') o.parallel = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const { goroot, gomodcache } = realGoEnv();
  const modules = options.corpus === 'goroot' ? new Map<string, string>() : downloadModules();
  const moduleDirs = modules instanceof Map ? modules : new Map<string, string>();
  const chosen = corpora(goroot, moduleDirs)
    .filter((c) => !options.corpus || c.name.toLowerCase().startsWith(options.corpus === 'goroot' ? 'goroot' : 'pinned'))
    .filter((c) => modules instanceof Map || c.name.startsWith('GOROOT'));
  const targets = PROOF_TARGETS.filter((t) => !options.goarches || options.goarches.includes(t.goarch));
  const requests = chosen.flatMap((corpus) => targets.map((target) => ({
    corpus, target, verify: options.verify,
    fieldAlignment: corpus.name.startsWith('GOROOT') && target.goarch === 'amd64',
  })));
  const runs = await runReferences(requests, options.parallel, options.fresh, (l) => console.log(l));
  const referenceSeconds = (Date.now() - started) / 1000;

  const engineStarted = Date.now();
  const checks: CheckResult[] = [];
  if (!(modules instanceof Map)) checks.push({ name: 'pinned modules', passed: false, line: `pinned modules: ${modules.error}`, report: [] });
  checks.push(...await engineChecks(runs, targets, options.parallel, goroot, gomodcache));
  const report = checks.flatMap((c) => c.report);
  const engineSeconds = (Date.now() - engineStarted) / 1000;

  const artifacts = path.join(repoRoot(), 'test-artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, 'proof-report.md'), report.join('\n') + '\n');
  for (const c of checks) console.log(`${c.passed ? 'ok  ' : 'FAIL'} ${c.line}`);
  console.log(`proof: reference ${referenceSeconds.toFixed(0)} s, engine ${engineSeconds.toFixed(0)} s, total ${((Date.now() - started) / 1000).toFixed(0)} s; report in test-artifacts/proof-report.md`);
  const failed = checks.filter((c) => !c.passed).length;
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

/**
 * The engine side in `parallel` worker threads, each with a share of the targets (round robin, so that 64- and
 * 32-bit targets mix); checks come back in the order of the runs, fieldalignment parity last.
 */
async function engineChecks(runs: ReferenceRun[], targets: Target[], parallel: number, goroot: string, gomodcache: string): Promise<CheckResult[]> {
  const shares = Array.from({ length: Math.max(1, Math.min(parallel, targets.length)) }, (_, i) => targets.filter((_, k) => k % parallel === i));
  const results = await Promise.all(shares.map((share) => new Promise<CheckResult[]>((resolve, reject) => {
    const keys = new Set(share.map(targetKey));
    const job: EngineJob = { goroot, gomodcache, targets: share, runs: runs.filter((r) => keys.has(targetKey(r.target))) };
    const worker = new Worker(path.join(__dirname, 'engineWorker.js'), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.once('message', (result: EngineJobResult) => ('error' in result ? reject(new Error(result.error)) : resolve(result.checks)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`an engine worker exited (${code}) without a result`)));
  })));
  const byName = new Map(results.flat().map((c) => [c.name, c]));
  const ordered = runs.map((r) => byName.get(`${targetKey(r.target)} ${r.corpus.name}`)!);
  const parity = byName.get('fieldalignment parity');
  return parity ? [...ordered, parity] : ordered;
}

/** Heap of one engine worker: the corpus' file models and one file's layouts for its targets at a time. */
const WORKER_HEAP_MB = 3072;

main().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
