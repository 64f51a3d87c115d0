// The checks of the proof, on the engine side: one per corpus × target (every struct the reference lays out must
// match) and fieldalignment parity. They run in worker threads (engineWorker.ts), a share of the targets each.

import type { Engine } from '../../core/src/engine';
import { targetKey } from '../../core/src/targets';
import { fieldOrder } from '../../core/src/analysis/analyzers/fieldOrder';
import { EngineSide, Mismatch, splitPos } from './compare';
import type { FieldAlignmentFinding, ReferenceRun } from './reference';

export interface CheckResult {
  name: string;
  passed: boolean;
  line: string;
  /** This check's part of test-artifacts/proof-report.md. */
  report: string[];
}

/** Compares every run of `runs` (one pass over their files); one check per run, in order. */
export function compareRuns(side: EngineSide, runs: ReferenceRun[]): CheckResult[] {
  const tallies = side.compareAll(runs.filter((r) => !r.error));
  return runs.map((run) => {
    const name = `${targetKey(run.target)} ${run.corpus.name}`;
    if (run.error) {
      return { name, passed: false, line: `${name}: the reference failed (see the report)`,
        report: [`## ${name}`, '', 'The reference failed:', '', '```', run.error, '```', ''] };
    }
    const tally = tallies.get(run)!;
    const line = `${name}: ${tally.matched}/${tally.compared} structs match gc`
      + (tally.mismatches.length ? `, ${tally.mismatches.length} differ` : '')
      + (run.verified ? `; reference sample: ${run.verified}` : '');
    return { name, passed: tally.mismatches.length === 0, line, report: [`## ${name}`, '', line, '', ...groupedMismatches(tally.mismatches), ''] };
  });
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
export function fieldAlignmentParity(engine: Engine, run: ReferenceRun): CheckResult {
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
  const report = ['## fieldalignment parity', '', line, '',
    ...missed.map((m) => `- \`${m.f.pos}\` ${m.f.name} ${m.f.size} → ${m.f.optimal}: ${m.why}`),
    ...generic.map((f) => `- left out, generic: \`${f.pos}\` ${f.name} ${f.size} → ${f.optimal}`), ''];
  return { name: 'fieldalignment parity', passed: missed.length === 0, line, report };
}
