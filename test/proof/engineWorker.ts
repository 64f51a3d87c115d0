// A worker thread of the proof's engine side: lays out, with its own engine, every struct the reference runs of
// its share of the targets list, and posts the checks back (see proof.ts). Targets are split between workers so
// that the engine side uses both cores of a CI machine; each worker parses the corpus files once for its targets.

import { parentPort, workerData } from 'worker_threads';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { compareRuns, fieldAlignmentParity, type CheckResult } from './checks';
import { EngineSide, splitPos } from './compare';
import type { ReferenceRun } from './reference';

export interface EngineJob {
  goroot: string;
  gomodcache: string;
  targets: Target[];
  runs: ReferenceRun[];
}

export type EngineJobResult = { checks: CheckResult[] } | { error: string };

async function run(job: EngineJob): Promise<CheckResult[]> {
  const engine = await Engine.create({ goroot: job.goroot, gomodcache: job.gomodcache });
  const side = new EngineSide(engine, job.targets);
  await side.preload([...new Set(job.runs.flatMap((r) => r.entries.map((e) => splitPos(e.pos).file)))]);
  const checks = compareRuns(side, job.runs);
  const alignmentRun = job.runs.find((r) => r.fieldAlignment);
  if (alignmentRun) checks.push(fieldAlignmentParity(engine, alignmentRun));
  return checks;
}

run(workerData as EngineJob).then(
  (checks) => parentPort!.postMessage({ checks } satisfies EngineJobResult),
  (err: Error) => parentPort!.postMessage({ error: err.stack ?? err.message } satisfies EngineJobResult),
);
