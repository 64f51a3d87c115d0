// What the race-log benches share: real output of the race fixtures (test/fixtures/race) captured with the real go,
// and a count of the race reports a text holds, so that each bench can check the log it builds.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { RaceLogParser } = require('../out/core/src/race/logParser.js');

const FIXTURE = path.join(__dirname, '../test/fixtures/race');

/** Runs go in the fixture module with stdout and stderr on one descriptor, as a terminal or CI log shows them. */
function captureGo(args, scratch) {
  const file = path.join(scratch, 'capture.log');
  const fd = fs.openSync(file, 'w');
  const result = spawnSync('go', args, {
    cwd: FIXTURE,
    env: { ...process.env, CGO_ENABLED: '1', GOTOOLCHAIN: 'local', GOWORK: 'off' },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  if (result.error) throw new Error(`cannot run go (the benchmark needs the go toolchain and gcc): ${result.error.message}`);
  return fs.readFileSync(file, 'utf8');
}

function reportsIn(text) {
  const parser = new RaceLogParser(() => {});
  parser.write(text);
  return parser.end().reports;
}

/**
 * The fixtures' race output: `go test -race` in plain text (and, with `json`, once more with -json), then
 * `go run -race`. Returns the text and the number of race reports in it (at least 10, or it throws).
 */
function fixtureRaceSample(scratch, { json = false } = {}) {
  const goTest = (...flags) => ['test', '-race', ...flags, '-count=1', '-bench=.', '-benchtime=1x', './...'];
  const forms = json ? [goTest(), goTest('-json')] : [goTest()];
  forms.push(['run', '-race', './cmd/racemain']);
  const sample = forms.map((args) => captureGo(args, scratch)).join('');
  const reports = reportsIn(sample);
  if (reports < 10) throw new Error(`expected the fixtures to print at least 10 race reports, got ${reports}`);
  return { sample, reports };
}

module.exports = { fixtureRaceSample, reportsIn };
