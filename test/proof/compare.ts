// The engine side of the proof: lays out with the engine every struct the reference listed, for the same target,
// and sorts each disagreement into a cause. Positions are matched exactly: the engine's 0-based line and UTF-16
// column are turned into the reference's 1-based line and byte column.

import * as fs from 'fs';
import type { StructInfo, StructLayout, Target } from '../../core/src/api';
import type { Engine } from '../../core/src/engine';
import { targetKey } from '../../core/src/targets';
import type { ReferenceEntry, ReferenceRun } from './reference';

export type Verdict =
  /** Same size, alignment and every field offset. */
  | 'match'
  /** The engine shows numbers, and they differ. */
  | 'wrong'
  /** The engine shows the struct as unknown (with a reason) or gives no layout for it. */
  | 'unknown'
  /** gc rejects the type (too large); the engine must say so rather than show numbers. */
  | 'rejected-shown';

export interface Mismatch {
  verdict: Exclude<Verdict, 'match'>;
  /** A cause, sorted so that like problems group together (names and numbers taken out). */
  cause: string;
  target: string;
  entry: ReferenceEntry;
  detail: string;
}

export interface Tally {
  compared: number;
  matched: number;
  mismatches: Mismatch[];
}

const MISSING: Record<ReferenceEntry['kind'], string> = {
  type: 'struct for this declaration', literal: 'anonymous struct at this position', instance: 'generic instance at this position',
};

/** The engine's structs of one file for every target, indexed by the position keys the reference uses. */
interface FileIndex {
  byName: Map<string, StructInfo>;
  /** Anonymous structs, by the position of the `struct` keyword. */
  byBody: Map<string, StructInfo>;
  /** Generic instances (`Box[uint64]`) by the position of the generic type's name. */
  instances: Map<string, StructInfo>;
}

export class EngineSide {
  constructor(private readonly engine: Engine, private readonly targets: Target[]) {}

  async preload(files: string[]): Promise<void> {
    await this.engine.preload(files);
  }

  /**
   * Compares runs (of this side's targets) file by file: a file's structs are laid out for every target once,
   * judged against every run's entries there, and dropped, so memory holds one file's layouts at a time.
   */
  compareAll(runs: ReferenceRun[]): Map<ReferenceRun, Tally> {
    const tallies = new Map(runs.map((run) => [run, { compared: 0, matched: 0, mismatches: [] } as Tally]));
    const byFile = new Map<string, { run: ReferenceRun; entry: ReferenceEntry }[]>();
    for (const run of runs) {
      for (const entry of run.entries) {
        const { file } = splitPos(entry.pos);
        let list = byFile.get(file);
        if (!list) byFile.set(file, list = []);
        list.push({ run, entry });
      }
    }
    for (const [file, list] of byFile) {
      const index = this.indexOf(file);
      for (const { run, entry } of list) judgeEntry(index, run, entry, tallies.get(run)!);
    }
    return tallies;
  }

  private indexOf(file: string): FileIndex {
    const index: FileIndex = { byName: new Map(), byBody: new Map(), instances: new Map() };
    const lines = readLines(file);
    for (const info of this.engine.structsInFile(file, this.targets)) {
      index.byName.set(posKey(file, lines, info.nameRange.start), info);
    }
    for (const info of this.engine.literalStructsInFile(file, this.targets)) {
      index.byBody.set(posKey(file, lines, info.bodyRange.start), info);
    }
    for (const info of this.engine.instanceStructsInFile(file, this.targets)) {
      index.instances.set(posKey(file, lines, info.nameRange.start), info);
    }
    return index;
  }
}

function judgeEntry(index: FileIndex, run: ReferenceRun, entry: ReferenceEntry, tally: Tally): void {
  const target = targetKey(run.target);
  const info = entry.kind === 'type' ? index.byName.get(entry.pos)
    : entry.kind === 'literal' ? index.byBody.get(entry.pos) : index.instances.get(entry.pos);
  tally.compared++;
  if (!info) {
    tally.mismatches.push({ verdict: 'unknown', cause: `engine lists no ${MISSING[entry.kind]}`, target, entry, detail: '' });
    return;
  }
  const mismatch = judge(entry, info.layouts[target], target, info);
  if (mismatch) tally.mismatches.push(mismatch);
  else tally.matched++;
}

function judge(entry: ReferenceEntry, layout: StructLayout | undefined, target: string, info: StructInfo): Mismatch | undefined {
  const base = { target, entry };
  if (entry.rejected) {
    if (layout && layout.size === null && !layout.excluded) return undefined;
    return { ...base, verdict: 'rejected-shown', cause: `gc rejects the type (${entry.rejected}) but the engine shows a size`, detail: `engine size ${layout?.size}` };
  }
  if (!layout) return { ...base, verdict: 'unknown', cause: 'no layout for the target', detail: '' };
  if (layout.excluded) {
    return { ...base, verdict: 'unknown', cause: 'engine: file not built for the target (build constraints / toolchain tags)', detail: layout.unknown ?? '' };
  }
  if (layout.size === null) {
    return { ...base, verdict: 'unknown', cause: `engine unknown: ${normalizeReason(layout.unknown ?? '')}`, detail: layout.unknown ?? '' };
  }
  const offsets = layout.fields.map((f) => f.offset);
  const same = layout.size === entry.size && layout.align === entry.align && offsets.length === entry.offsets.length
    && offsets.every((o, i) => o === entry.offsets[i]);
  if (same) return undefined;
  const firstBad = offsets.findIndex((o, i) => o !== entry.offsets[i]);
  const fieldText = firstBad >= 0 ? describeField(info, firstBad) : '';
  return {
    ...base, verdict: 'wrong', cause: 'engine numbers differ from gc',
    detail: `engine ${layout.size}/${layout.align} vs gc ${entry.size}/${entry.align}`
      + (offsets.length !== entry.offsets.length ? `; ${offsets.length} fields vs ${entry.offsets.length}`
        : firstBad >= 0 ? `; first differing offset: field ${fieldText} engine @${offsets[firstBad]} vs gc @${entry.offsets[firstBad]}` : ''),
  };
}

function describeField(info: StructInfo, index: number): string {
  const f = info.fields[index];
  return f ? `${f.name} ${f.typeText}` : `#${index}`;
}

/** Takes names, numbers and quoted text out of an unknown-reason so that like causes group together. */
export function normalizeReason(reason: string): string {
  return reason
    .replace(/^(field \S+: )+/, '')
    .replace(/undefined: [\w.]+/g, 'undefined: X')
    .replace(/undefined constant [\w.]+/g, 'undefined constant X')
    .replace(/\b(type|generic type|invalid recursive type) [\w.]+/g, '$1 X')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

export function splitPos(pos: string): { file: string; line: number; column: number } {
  const m = /^(.*):(\d+):(\d+)$/.exec(pos);
  if (!m) throw new Error(`bad position ${pos}`);
  return { file: m[1], line: Number(m[2]), column: Number(m[3]) };
}

function readLines(file: string): string[] | undefined {
  try {
    return fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

/** `file:line:col` as go/token prints it (1-based line, 1-based byte column) for an engine position. */
function posKey(file: string, lines: string[] | undefined, p: { line: number; character: number }): string {
  const text = lines?.[p.line] ?? '';
  const prefix = text.slice(0, p.character);
  // eslint-disable-next-line no-control-regex
  const byteColumn = /^[\x00-\x7f]*$/.test(prefix) ? prefix.length : Buffer.byteLength(prefix, 'utf8');
  return `${file}:${p.line + 1}:${byteColumn + 1}`;
}
