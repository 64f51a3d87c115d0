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
import { Engine } from '../../core/src/engine';
import { targetKey } from '../../core/src/targets';
import { fieldOrder } from '../../core/src/analysis/analyzers/fieldOrder';
import { realGoEnv } from '../support/goModule';
import { corpora, downloadModules, PROOF_TARGETS, repoRoot } from './corpora';
import { EngineSide, Mismatch, splitPos, Tally } from './compare';
import { FieldAlignmentFinding, ReferenceRun, runReferences } from './reference';

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

interface CheckResult {
  name: string;
  passed: boolean;
  line: string;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const { goroot, gomodcache } = realGoEnv();
  const moduleDirs = options.corpus === 'goroot' ? new Map<string, string>() : downloadModules();
  const chosen = corpora(goroot, moduleDirs).filter((c) => !options.corpus || c.name.toLowerCase().startsWith(options.corpus === 'goroot' ? 'goroot' : 'pinned'));
  const targets = PROOF_TARGETS.filter((t) => !options.goarches || options.goarches.includes(t.goarch));
  const requests = chosen.flatMap((corpus) => targets.map((target) => ({
    corpus, target, verify: options.verify,
    fieldAlignment: corpus.name.startsWith('GOROOT') && target.goarch === 'amd64',
  })));
  const runs = await runReferences(requests, options.parallel, options.fresh, (l) => console.log(l));
  const referenceSeconds = (Date.now() - started) / 1000;

  const engineStarted = Date.now();
  const engine = await Engine.create({ goroot, gomodcache });
  const side = new EngineSide(engine, targets);
  const files = [...new Set(runs.flatMap((r) => r.entries.map((e) => splitPos(e.pos).file)))];
  await side.preload(files);
  const checks: CheckResult[] = [];
  const report: string[] = [];
  for (const run of runs) checks.push(compareRun(side, run, report));
  const alignmentRun = runs.find((r) => r.fieldAlignment);
  if (alignmentRun) checks.push(fieldAlignmentParity(engine, alignmentRun, report));
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

function compareRun(side: EngineSide, run: ReferenceRun, report: string[]): CheckResult {
  if (run.error) {
    const name = `${targetKey(run.target)} ${run.corpus.name}`;
    report.push(`## ${name}`, '', 'The reference failed:', '', '```', run.error, '```', '');
    return { name, passed: false, line: `${name}: the reference failed (see the report)` };
  }
  const tally: Tally = { compared: 0, matched: 0, mismatches: [] };
  side.compare(run, tally);
  const name = `${targetKey(run.target)} ${run.corpus.name}`;
  const line = `${name}: ${tally.matched}/${tally.compared} structs match gc`
    + (tally.mismatches.length ? `, ${tally.mismatches.length} differ` : '')
    + (run.verified ? `; reference sample: ${run.verified}` : '');
  report.push(`## ${name}`, '', line, '', ...groupedMismatches(tally.mismatches), '');
  return { name, passed: tally.mismatches.length === 0, line };
}

/** Mismatches grouped by cause, largest group first, with three examples each. */
export function groupedMismatches(mismatches: Mismatch[]): string[] {
  const groups = new Map<string, Mismatch[]>();
  for (const m of mismatches) groups.set(`${m.verdict}: ${m.cause}`, [...(groups.get(`${m.verdict}: ${m.cause}`) ?? []), m]);
  return [...groups].sort((a, b) => b[1].length - a[1].length).flatMap(([cause, list]) => [
    `- **${list.length}** ${cause}`,
    ...list.slice(0, 3).map((m) => `  - \`${m.entry.pos}\` ${m.entry.kind} ${m.entry.name ?? ''} ${m.detail}`),
  ]);
}

/**
 * Every struct fieldalignment reports as "could be smaller" on linux/amd64 must get a reorder suggestion from
 * the fieldorder analyzer, reaching the same optimal size.
 */
function fieldAlignmentParity(engine: Engine, run: ReferenceRun, report: string[]): CheckResult {
  const target = run.target;
  const findings = run.fieldAlignment!;
  const missed: { f: FieldAlignmentFinding; why: string }[] = [];
  // fieldalignment sizes a type parameter as an interface (go/types' size of its constraint), a layout no
  // instantiation has: such structs get no suggestion, by design, and are counted apart.
  const generic: FieldAlignmentFinding[] = [];
  const byFile = new Map<string, FieldAlignmentFinding[]>();
  for (const f of findings) {
    const { file } = splitPos(f.pos);
    byFile.set(file, [...(byFile.get(file) ?? []), f]);
  }
  for (const [file, list] of byFile) {
    const result = engine.analyzeFile(file, [target], [fieldOrder], target);
    const suggestions = 'error' in result ? [] : result;
    const genericLines = new Set(engine.structsInFile(file, [target]).filter((s) => s.generic && s.layouts[targetKey(target)].size === null)
      .map((s) => s.nameRange.start.line + 1));
    for (const f of list) {
      const { line } = splitPos(f.pos);
      const s = suggestions.find((x) => x.range.start.line + 1 === line);
      if (!s && genericLines.has(line)) {
        generic.push(f);
        continue;
      }
      if (!s) {
        missed.push({ f, why: 'no suggestion' });
        continue;
      }
      const sizes = /(\d+) → (\d+) B/.exec(s.message);
      if (!sizes || Number(sizes[1]) !== f.size || Number(sizes[2]) !== f.optimal) {
        missed.push({ f, why: `suggestion says "${s.message}"` });
      }
    }
  }
  const compared = findings.length - generic.length;
  const line = `fieldalignment parity (${targetKey(target)}, GOROOT/src): ${compared - missed.length}/${compared} "could be smaller" structs get a reorder to the same optimal size`
    + (generic.length ? `; ${generic.length} generic struct(s) whose layout depends on type arguments left out (fieldalignment sizes a type parameter as an interface)` : '');
  report.push('## fieldalignment parity', '', line, '',
    ...missed.map((m) => `- \`${m.f.pos}\` ${m.f.name} ${m.f.size} → ${m.f.optimal}: ${m.why}`),
    ...generic.map((f) => `- left out, generic: \`${f.pos}\` ${f.name} ${f.size} → ${f.optimal}`), '');
  return { name: 'fieldalignment parity', passed: missed.length === 0, line };
}

main().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
