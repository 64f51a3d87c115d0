// Child process of bench/run.mjs: streams 1 GiB of distinct race reports through the race log parser and the
// deduplicator the way `go-arch-lens race` does, and prints one JSON line with throughput and memory. The log is
// generated on the fly, never written to disk: real output of the race fixtures (go test -race, plain and -json,
// and go run -race), repeated with every package path, file path and test name renamed per round, so that every
// round's races, packages and tests are new. Memory must stay flat all the same: the heap kept after a full
// collection at the end is compared with the one in the middle (run with --expose-gc); the RSS of each half is shown.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { RaceDeduplicator } = require('../out/core/src/race/dedup.js');
const { parseRaceLog } = require('../out/core/src/race/stream.js');
const { fixtureRaceSample, reportsIn } = require('./raceSample.js');

const LOG_BYTES = Number(process.env.RACE_DISTINCT_BENCH_MB || 1024) * 1024 * 1024;
const CHUNK_BYTES = 1 << 20;

/**
 * The sample with round `n`'s names: the module path (and so every package and function), the fixture folder (every
 * file) and every test, benchmark, fuzz target and example name.
 */
function renamed(sample, n) {
  return sample
    .replace(/racefixture\//g, `racefixture${n}/`)
    .replace(/\/fixtures\/race\//g, `/fixtures/race${n}/`)
    .replace(/\b(Test|Benchmark|Fuzz|Example)([A-Z][A-Za-z]*)?/g, (name) => `${name}R${n}`);
}

/** The log, 1 MiB at a time, generated as it is read; `spent.seconds` adds up the time generating took. */
async function* generatedLog(sample, total, spent) {
  let produced = 0;
  let round = 0;
  let pending = [];
  let pendingBytes = 0;
  while (produced < total) {
    const started = process.hrtime.bigint();
    const piece = Buffer.from(renamed(sample, round++));
    spent.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes < CHUNK_BYTES) continue;
    const chunk = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    produced += chunk.length;
    yield chunk;
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

/** The heap still in use after a full collection: what the parser and the deduplicator keep, without garbage. */
function retainedMb() {
  global.gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/**
 * Passes the chunks on, keeping the highest RSS seen while reading each half of the log in `halves`, and the
 * retained heap at the middle and at the end in `retained` (the RSS moves with when the collector runs; the heap
 * kept after a full collection does not).
 */
async function* sampleRss(chunks, totalBytes, halves, counted, retained) {
  for await (const chunk of chunks) {
    yield chunk;
    const wasFirstHalf = counted.bytes * 2 <= totalBytes;
    counted.bytes += chunk.length;
    const half = counted.bytes * 2 <= totalBytes ? 0 : 1;
    halves[half] = Math.max(halves[half], process.memoryUsage.rss());
    if (wasFirstHalf && half === 1) retained.middle = retainedMb();
  }
  retained.end = retainedMb();
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-race-distinct-'));
  try {
    const { sample, reports: perRound } = fixtureRaceSample(scratch, { json: true });
    if (reportsIn(renamed(sample, 1)) !== perRound) throw new Error('renaming changed what the sample holds');

    const baselineRssMb = process.memoryUsage().rss / (1024 * 1024);
    const groups = new RaceDeduplicator();
    const halves = [0, 0];
    const counted = { bytes: 0 };
    const retained = { middle: 0, end: 0 };
    const generating = { seconds: 0 };
    const started = process.hrtime.bigint();
    const summary = await parseRaceLog(sampleRss(generatedLog(sample, LOG_BYTES, generating), LOG_BYTES, halves, counted, retained), (report) => groups.add(report));
    // Parsing only: the time spent generating the log is left out.
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 - generating.seconds;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const [firstHalfRssMb, secondHalfRssMb] = halves.map((rss) => rss / (1024 * 1024));
    const rounds = Math.round(summary.reports / perRound);
    if (summary.reports % perRound !== 0) throw new Error(`parsed ${summary.reports} reports, not a multiple of ${perRound}`);
    const unlisted = groups.unlisted();
    const listed = groups.list().length;
    const mb = counted.bytes / (1024 * 1024);
    console.log(JSON.stringify({
      mb, seconds, generatingSeconds: generating.seconds, mbPerSecond: mb / seconds, peakRssMb, baselineRssMb, firstHalfRssMb, secondHalfRssMb,
      rssGrowthMb: secondHalfRssMb - firstHalfRssMb, retainedMiddleMb: retained.middle, retainedEndMb: retained.end,
      retainedGrowthMb: retained.end - retained.middle, reports: summary.reports, rounds, listed,
      unlistedReports: unlisted ? unlisted.reports : 0, listedFailedTests: summary.testsFailedByRace.length,
      moreFailedTests: summary.moreTestsFailedByRace,
    }));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
