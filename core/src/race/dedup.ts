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
  // A report cut off before its first access (a header, then the closing line) has nothing to tell it by.
  if (report.access === null && report.previous === null) return 'no access named';
  const access = locationKey(report.access);
  const previous = locationKey(report.previous);
  return access <= previous ? `${access} | ${previous}` : `${previous} | ${access}`;
}

/** How much a deduplicator keeps; past it, reports are counted, not kept (see RaceDeduplicator.unlisted). */
export interface DedupLimits {
  /** Distinct races kept with their details. */
  groups: number;
  /** Characters of report text (`raw`) kept over all groups: a few huge reports must not fill memory either. */
  rawChars: number;
  /** Test names listed per race. */
  testsPerGroup: number;
}

/**
 * Enough for any real run (a test suite with thousands of distinct races is already beyond reading), and small
 * enough that memory stays flat however many distinct races a log holds: about 60 MB at most.
 */
export const DEFAULT_DEDUP_LIMITS: DedupLimits = { groups: 1000, rawChars: 4 << 20, testsPerGroup: 100 };

/** Reports of races not listed because the limits were reached. */
export interface UnlistedRaces {
  /** Reports (repeats included) of races that were not kept. */
  reports: number;
  /** The limits in force, for the message that says so. */
  limits: DedupLimits;
}

/**
 * Counts occurrences per race. Memory grows with the number of distinct races up to `limits`, then stays flat:
 * reports of races seen before are still counted in their group; reports of further races are only counted
 * (unlisted().reports).
 */
export class RaceDeduplicator {
  private readonly groups = new Map<string, RaceGroup>();
  private rawChars = 0;
  private unlistedReports = 0;

  constructor(private readonly limits: DedupLimits = DEFAULT_DEDUP_LIMITS) {}

  /** The report's group, or undefined when the race is new and the limits are reached. */
  add(report: RaceReport): RaceGroup | undefined {
    let group = this.groups.get(report.key);
    if (!group) {
      if (this.groups.size >= this.limits.groups || this.rawChars + report.raw.length > this.limits.rawChars) {
        this.unlistedReports++;
        return undefined;
      }
      group = { report, occurrences: 0, tests: [], moreTests: 0 };
      this.rawChars += report.raw.length;
      this.groups.set(report.key, group);
    } else if (group.report.incomplete && !report.incomplete) {
      this.rawChars += report.raw.length - group.report.raw.length;
      group.report = report;
    }
    group.occurrences++;
    if (report.test !== null && !group.tests.includes(report.test)) {
      if (group.tests.length < this.limits.testsPerGroup) group.tests.push(report.test);
      else group.moreTests++;
    }
    return group;
  }

  /** Groups in order of first appearance. */
  list(): RaceGroup[] {
    return [...this.groups.values()];
  }

  /** Reports of races left out by the limits; null when every race is listed. */
  unlisted(): UnlistedRaces | null {
    return this.unlistedReports === 0 ? null : { reports: this.unlistedReports, limits: this.limits };
  }
}

/** One sentence for a UI or the CLI, e.g. `1,234 report(s) of further races are counted, not listed: …`. */
export function unlistedText(unlisted: UnlistedRaces): string {
  return `${unlisted.reports} more report(s) of races not listed: only the first ${unlisted.limits.groups} distinct races `
    + `(and ${unlisted.limits.rawChars >> 20} MiB of report text) are kept, so that memory stays flat`;
}
