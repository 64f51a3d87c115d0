// The analyzers sysname and fieldtype predict compile errors from the syntax tree; the build check reports the same
// errors from the compiler. Where both speak about the same place, one finding remains: the compiler's, naming the
// targets it fails on, carrying the analyzer's advice and fixes.
import type { Finding } from '../analysis/finding';
import type { Range } from '../api';
import { BUILD_ANALYZER } from './buildCheck';

/** Analyzers whose findings are compile errors on some targets, which the build check reports too. */
export const COMPILE_ERROR_ANALYZERS = new Set(['sysname', 'fieldtype']);

/**
 * The build findings with the analyzer findings about the same compile errors folded in, followed by the analyzer
 * findings no build finding covers. An analyzer finding is folded into the build finding in the same file whose
 * range overlaps its own, else into one on the same line: the compiler points into the same statement elsewhere
 * than the analyzer (`msg.Iovlen = uint64(n)`: the analyzer marks the field, the compiler the value; in
 * `st.Nlink == n` the compiler marks `n`).
 */
export function mergeBuildAndAnalyzerFindings(build: Finding[], analyzed: Finding[]): Finding[] {
  const merged = build.map((b) => ({ ...b, fixes: b.fixes ? [...b.fixes] : undefined }));
  const kept: Finding[] = [];
  for (const finding of analyzed) {
    const candidates = COMPILE_ERROR_ANALYZERS.has(finding.analyzer)
      ? merged.filter((b) => b.analyzer === BUILD_ANALYZER && b.file === finding.file && b.range.start.line === finding.range.start.line)
      : [];
    const covering = candidates.find((b) => overlaps(b.range, finding.range)) ?? candidates[0];
    if (!covering) {
      kept.push(finding);
      continue;
    }
    covering.message += `\n${finding.message} (${finding.analyzer})`;
    if (finding.fixes?.length) covering.fixes = [...(covering.fixes ?? []), ...finding.fixes];
    if (finding.related?.length) covering.related = [...(covering.related ?? []), ...finding.related];
  }
  return [...merged, ...kept];
}

function overlaps(a: Range, b: Range): boolean {
  return before(a.start, b.end) && before(b.start, a.end);
}

/** Whether `p` comes strictly before `q`, or they touch at a zero-width range. */
function before(p: Range['start'], q: Range['start']): boolean {
  return p.line < q.line || (p.line === q.line && p.character < q.character);
}
