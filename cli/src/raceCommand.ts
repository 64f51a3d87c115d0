import * as fs from 'fs';
import * as path from 'path';
import { RaceDeduplicator, unlistedText, type UnlistedRaces } from '../../core/src/race/dedup';
import { gorootSrcOf, isOwnCode } from '../../core/src/race/frames';
import { frameListsOf } from '../../core/src/race/reportParser';
import { parseRaceLog } from '../../core/src/race/stream';
import type { RaceAccess, RaceFrame, RaceGroup, RaceLogSummary } from '../../core/src/race/types';
import { parseArgs, UsageError } from './args';
import { EXIT } from './exitCodes';
import { StreamedArray, writeJson } from './jsonStream';
import { chunkSink, type Output } from './output';

export const RACE_USAGE = `usage: go-arch-lens race [--json] [log|-]
  Reads a Go race-detector log (go test -race, go test -race -json, go run -race, a CI log) from a file or stdin and
  prints each distinct race once with its number of occurrences and the test it belongs to.
  Exit status: 1 when races were found, 0 when none, 2 on bad usage, 3 when the log cannot be read.`;

/** `input` is the standard input, replaceable in tests. */
export async function runRace(argv: string[], io: Output, input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<number> {
  const args = parseArgs(argv, new Set(['json']), new Set());
  if (args.positional.length > 1) throw new UsageError('race reads one log');
  const source = args.positional[0] ?? '-';
  if (source === '-' && input.isTTY) throw new UsageError('no log given: pass a file, or pipe the log into standard input');
  const groups = new RaceDeduplicator();
  let summary: RaceLogSummary;
  try {
    const stream = source === '-' ? input : fs.createReadStream(source, { highWaterMark: 1 << 20 });
    summary = await parseRaceLog(stream as AsyncIterable<Buffer | string>, (report) => groups.add(report));
  } catch (err) {
    io.err(`go-arch-lens: cannot read ${source === '-' ? 'standard input' : source}: ${(err as Error).message}`);
    return EXIT.unreadable;
  }
  const found = groups.list();
  const unlisted = groups.unlisted();
  if (args.flags.has('json')) {
    const sink = chunkSink(io);
    await writeJson({
      reports: StreamedArray.of(found, toJson),
      ...(unlisted ? { unlisted: { reports: unlisted.reports, message: unlistedText(unlisted) } } : {}),
    }, sink.write);
    sink.end();
  } else {
    for (const g of found) io.out([...groupText(g), ''].join('\n'));
    io.out(summaryText(found, summary, unlisted));
  }
  return found.length > 0 || unlisted !== null || racesMentioned(summary) ? EXIT.found : EXIT.ok;
}

/** The log says races happened even when no report text survived (e.g. a log cut before the first report). */
function racesMentioned(summary: RaceLogSummary): boolean {
  return (summary.foundByPrograms ?? 0) > 0 || summary.testsFailedByRace.length > 0 || summary.racesOutsideTests.length > 0;
}

function toJson(group: RaceGroup) {
  return { ...group.report, occurrences: group.occurrences, tests: group.tests, ...(group.moreTests > 0 ? { moreTests: group.moreTests } : {}) };
}

/** Paths under the working directory are shortened; terminals (VS Code's included) link `file:line`. */
function where(frame: RaceFrame): string {
  const relative = path.isAbsolute(frame.file) ? path.relative(process.cwd(), frame.file) : frame.file;
  const file = relative.startsWith('..') || relative === '' ? frame.file : relative;
  return `${file}:${frame.line}  ${frame.function}`;
}

function goroutineName(access: RaceAccess): string {
  return access.goroutine === 'main' ? 'main goroutine' : `goroutine ${access.goroutine}`;
}

/** The program's own frames; the runtime's, testing's and GOROOT's only when there is nothing else to show. */
function shownFrames(frames: RaceFrame[], gorootSrc: string | null): string[] {
  const own = frames.filter((f) => isOwnCode(f, gorootSrc));
  return (own.length > 0 ? own : frames.slice(0, 1)).map((f) => `    ${where(f)}`);
}

function accessText(label: string, access: RaceAccess, gorootSrc: string | null): string[] {
  const what = `${label}${access.atomic ? 'atomic ' : ''}${access.kind}`;
  return [`  ${what} by ${goroutineName(access)}${access.address ? ` at ${access.address}` : ''}`, ...shownFrames(access.frames, gorootSrc)];
}

function groupText(group: RaceGroup): string[] {
  const r = group.report;
  const times = group.occurrences === 1 ? '' : `, ${group.occurrences} times`;
  const test = r.test === null ? '' : ` in ${group.tests.join(', ')}${group.moreTests > 0 ? ` and ${group.moreTests} more test(s)` : ''}`;
  const lines = [`${r.kind === 'data race' ? 'DATA RACE' : r.message}${test}${r.package ? ` (${r.package})` : ''}${times}`];
  if (r.incomplete) lines.push(`  (incomplete: ${r.access === null ? 'the report names no access' : 'the log ends or breaks off inside this report'})`);
  if (r.reportedUnder !== null && r.test !== null && r.reportedUnder !== r.test) {
    lines.push(`  (go test printed it under ${r.reportedUnder})`);
  }
  const gorootSrc = gorootSrcOf(frameListsOf(r));
  if (r.access) lines.push(...accessText('', r.access, gorootSrc));
  if (r.previous) lines.push(...accessText('previous ', r.previous, gorootSrc));
  for (const g of r.goroutines) {
    lines.push(`  goroutine ${g.goroutine} (${g.state}) created at`, ...shownFrames(g.frames, gorootSrc));
  }
  return lines;
}

function summaryText(groups: RaceGroup[], summary: RaceLogSummary, unlisted: UnlistedRaces | null): string {
  const lines: string[] = [];
  if (groups.length === 0) {
    lines.push(racesMentioned(summary)
      ? 'the log says races were detected, but holds no race report text'
      : 'no data races found');
  } else {
    lines.push(`${summary.reports} report(s) of ${groups.length}${unlisted ? ' listed' : ''} distinct race(s)`);
  }
  if (unlisted) lines.push(unlistedText(unlisted));
  return lines.join('\n');
}
