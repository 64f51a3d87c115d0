// Child process of bench/run.mjs: streams a 200 MB race log through the race log parser the way `go-arch-lens race`
// does (file stream, 1 MiB chunks, deduplication) and prints one JSON line with throughput and memory. The reports
// in the log are real: the race fixtures are run with the real go now, and their output is repeated between noise
// lines. Runs in its own process so that peak RSS is this job's alone. Memory must not grow with the log: the RSS
// reached while reading the second half of the log is compared with the RSS reached during the first half.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { RaceDeduplicator } = require('../out/core/src/race/dedup.js');
const { parseRaceLog } = require('../out/core/src/race/stream.js');
const { fixtureRaceSample } = require('./raceSample.js');

const LOG_BYTES = Number(process.env.RACE_BENCH_MB || 200) * 1024 * 1024;

/** Lines a CI log has between race reports: test progress, test logs, package results. */
function noise(round) {
  const lines = [];
  for (let i = 0; i < 200; i++) {
    lines.push(`=== RUN   TestHandler${i}/case_${round % 97}`);
    lines.push(`    handler_test.go:${40 + (i % 300)}: request ${round * 200 + i} served in ${(i * 7) % 1000}µs with status 200 OK`);
    lines.push(`--- PASS: TestHandler${i} (0.0${i % 10}s)`);
  }
  lines.push(`ok  \texample.com/service/handler${round % 13}\t0.${String(round % 1000).padStart(3, '0')}s`);
  return lines.join('\n') + '\n';
}

/** Writes the log in pieces so that generating it does not raise the peak memory this benchmark measures. */
function writeLog(file, sample) {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let rounds = 0;
  while (bytes < LOG_BYTES) {
    const piece = noise(rounds) + sample;
    fs.writeSync(fd, piece);
    bytes += Buffer.byteLength(piece);
    rounds++;
  }
  fs.closeSync(fd);
  return { bytes, rounds };
}

/** Passes the chunks on, keeping the highest RSS seen while reading each half of the log in `halves`. */
async function* sampleRss(chunks, totalBytes, halves) {
  let read = 0;
  for await (const chunk of chunks) {
    yield chunk;
    read += chunk.length;
    const half = read * 2 <= totalBytes ? 0 : 1;
    halves[half] = Math.max(halves[half], process.memoryUsage.rss());
  }
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-race-bench-'));
  try {
    const { sample, reports: perSample } = fixtureRaceSample(scratch);
    const file = path.join(scratch, 'race.log');
    const { bytes, rounds } = writeLog(file, sample);

    const baselineRssMb = process.memoryUsage().rss / (1024 * 1024);
    const groups = new RaceDeduplicator();
    const started = process.hrtime.bigint();
    const halves = [0, 0];
    const summary = await parseRaceLog(sampleRss(fs.createReadStream(file, { highWaterMark: 1 << 20 }), bytes, halves), (report) => groups.add(report));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const [firstHalfRssMb, secondHalfRssMb] = halves.map((rss) => rss / (1024 * 1024));

    if (summary.reports !== perSample * rounds) {
      throw new Error(`parsed ${summary.reports} reports, expected ${perSample} × ${rounds}`);
    }
    const mb = bytes / (1024 * 1024);
    console.log(JSON.stringify({
      mb, seconds, mbPerSecond: mb / seconds, peakRssMb, baselineRssMb, rssDeltaMb: peakRssMb - baselineRssMb,
      firstHalfRssMb, secondHalfRssMb, rssGrowthMb: secondHalfRssMb - firstHalfRssMb,
      reports: summary.reports, distinct: groups.list().length,
    }));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
