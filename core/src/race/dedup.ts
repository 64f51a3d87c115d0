// One race shows up many times: in every `-count` repeat (when the detector's own suppression is off), in every CI
// run pasted into one log, on every goroutine that hits it. Addresses and goroutine numbers change between
// occurrences; the code locations of the two conflicting accesses do not.
import type { RaceAccess, RaceGroup, RaceReport } from './types';

function locationKey(access: RaceAccess | null): string {
  const frame = access ? access.top ?? access.frames[0] : undefined;
  return frame ? `${frame.function} ${frame.file}:${frame.line}` : '?';
}

/**
 * Identity of a race: the top frames (first own-code frame, else the innermost) of the access and of the previous
 * access, in either order, since which of the two goroutines comes second varies from run to run.
 */
export function raceKey(report: Pick<RaceReport, 'kind' | 'message' | 'access' | 'previous'>): string {
  if (report.kind === 'concurrent map access') return `${report.message} | ${locationKey(report.access)}`;
  const access = locationKey(report.access);
  const previous = locationKey(report.previous);
  return access <= previous ? `${access} | ${previous}` : `${previous} | ${access}`;
}

/** Counts occurrences per race; memory grows with the number of distinct races, not with the log. */
export class RaceDeduplicator {
  private readonly groups = new Map<string, RaceGroup>();

  add(report: RaceReport): RaceGroup {
    let group = this.groups.get(report.key);
    if (!group) {
      group = { report, occurrences: 0, tests: [] };
      this.groups.set(report.key, group);
    } else if (group.report.incomplete && !report.incomplete) {
      group.report = report;
    }
    group.occurrences++;
    if (report.test !== null && !group.tests.includes(report.test)) group.tests.push(report.test);
    return group;
  }

  /** Groups in order of first appearance. */
  list(): RaceGroup[] {
    return [...this.groups.values()];
  }
}
