// Builds and runs the Go reference (test/proof/reference) per corpus and target, in parallel, with a cache:
// a run's output is kept under .cache/proof keyed by everything it depends on (Go version, the reference's
// source, the corpus, the target), so a second `npm run proof` on the same machine skips the go/packages runs.

import { spawn, execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Corpus, repoRoot } from './corpora';

/** One struct as the reference lays it out (see test/proof/reference/main.go). */
export interface ReferenceEntry {
  kind: 'type' | 'literal' | 'instance';
  /** Absolute file, 1-based line and 1-based byte column. */
  pos: string;
  name?: string;
  size: number;
  align: number;
  offsets: number[];
  rejected?: string;
  pkg?: string;
  local?: boolean;
}

export interface FieldAlignmentFinding {
  pos: string;
  name: string;
  size: number;
  optimal: number;
}

export interface ReferenceRun {
  corpus: Corpus;
  target: Target;
  entries: ReferenceEntry[];
  /** fieldalignment's size findings (only for the run that asked for them). */
  fieldAlignment?: FieldAlignmentFinding[];
  /** The compiler's confirmation of the sampled layouts, as the reference printed it. */
  verified: string;
  /** Why the reference could not run (or the compiler rejected its sample): the run then fails as a whole. */
  error?: string;
  seconds: number;
  cached: boolean;
}

const referenceDir = () => path.join(repoRoot(), 'test', 'proof', 'reference');
const cacheDir = () => path.join(repoRoot(), '.cache', 'proof');

/** Builds the reference program once; returns the binary and a hash of its sources (part of every cache key). */
export function buildReference(): { binary: string; sourceHash: string } {
  const dir = referenceDir();
  const hash = crypto.createHash('sha256');
  // verify.go only re-asserts a sample, on every run, and tests are not in the binary: neither changes what a run lists.
  for (const name of fs.readdirSync(dir).sort()) {
    if (/\.(go|mod|sum)$/.test(name) && !/^verify(_test)?\.go$/.test(name)) hash.update(name).update(fs.readFileSync(path.join(dir, name)));
  }
  hash.update(execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }));
  const sourceHash = hash.digest('hex').slice(0, 16);
  fs.mkdirSync(cacheDir(), { recursive: true });
  const binary = path.join(cacheDir(), `reference-${sourceHash}-${crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'verify.go'))).digest('hex').slice(0, 8)}`);
  if (!fs.existsSync(binary)) {
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOFLAGS: '-mod=readonly' } });
  }
  return { binary, sourceHash };
}

export interface RunRequest {
  corpus: Corpus;
  target: Target;
  /** Compiler-checked sample size (0: none). */
  verify: number;
  fieldAlignment: boolean;
}

/** Runs every request, `parallel` at a time; cached results are reused unless `fresh`. */
export async function runReferences(requests: RunRequest[], parallel: number, fresh: boolean, log: (line: string) => void): Promise<ReferenceRun[]> {
  const { binary, sourceHash } = buildReference();
  const results: ReferenceRun[] = new Array(requests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const i = next++;
      const started = Date.now();
      results[i] = await runOne(binary, sourceHash, requests[i], fresh).catch((err: Error) => ({
        corpus: requests[i].corpus, target: requests[i].target, entries: [], verified: '', error: err.message, seconds: (Date.now() - started) / 1000, cached: false,
      }));
      const r = results[i];
      if (r.error) log(`reference ${r.target.goos}/${r.target.goarch} ${r.corpus.name} FAILED: ${r.error}`);
      else log(`reference ${r.target.goos}/${r.target.goarch} ${r.corpus.name}: ${r.entries.length} structs, ${r.seconds.toFixed(0)} s${r.cached ? ' (cached)' : ''}${r.verified ? `; ${r.verified}` : ''}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, requests.length) }, worker));
  return results;
}

async function runOne(binary: string, sourceHash: string, req: RunRequest, fresh: boolean): Promise<ReferenceRun> {
  const key = crypto.createHash('sha256')
    .update(JSON.stringify([sourceHash, req.corpus.patterns, req.corpus.roots, req.target, req.fieldAlignment, moduleFilesHash(req.corpus)]))
    .digest('hex').slice(0, 16);
  const base = path.join(cacheDir(), `${req.target.goos}-${req.target.goarch}-${key}`);
  const entriesFile = `${base}.jsonl`;
  const alignmentFile = `${base}.fieldalignment.json`;
  const started = Date.now();
  // The compiler check runs on every run, cached or not: it samples afresh each time.
  const useCache = !fresh && fs.existsSync(entriesFile);
  let verified = '';
  if (!useCache || req.verify > 0) {
    // A cached run only has its sample re-asserted (-from): nothing is loaded again.
    const args = [
      '-goos', req.target.goos, '-goarch', req.target.goarch, '-dir', req.corpus.dir, '-verify', String(req.verify),
      ...(useCache ? ['-from', entriesFile]
        : ['-include', req.corpus.roots.join(','), ...(req.fieldAlignment ? ['-fieldalignment', alignmentFile] : []), ...req.corpus.patterns]),
    ];
    const { stdout, stderr, code } = await spawnCollect(binary, args, req.corpus.dir);
    if (code !== 0) throw new Error(stderr.slice(-4000));
    verified = stderr.split('\n').find((l) => l.includes('confirmed by the compiler'))?.replace(/^reference \S+: /, '') ?? '';
    if (!useCache) fs.writeFileSync(entriesFile, stdout);
  }
  const entries = fs.readFileSync(entriesFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReferenceEntry);
  const fieldAlignment = req.fieldAlignment ? JSON.parse(fs.readFileSync(alignmentFile, 'utf8')) as FieldAlignmentFinding[] : undefined;
  return { corpus: req.corpus, target: req.target, entries, fieldAlignment, verified, seconds: (Date.now() - started) / 1000, cached: useCache };
}

/** go.mod and go.sum of the corpus module: a new pin must not reuse old results. */
function moduleFilesHash(corpus: Corpus): string {
  const hash = crypto.createHash('sha256');
  for (const name of ['go.mod', 'go.sum']) {
    const file = path.join(corpus.dir, name);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

function spawnCollect(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code }));
  });
}
