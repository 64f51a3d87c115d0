// Child process of bench/run.mjs: the race-log link matcher (core/src/race/logLinks.ts, what the editor runs on every
// line of a `*.racelog` document) on hostile lines, the case that blocked the extension host for 15 s with the
// backtracking pattern it replaced. Prints one JSON line of timings in milliseconds (the median of 11 runs each).
const { logLocations, MAX_LINK_LINE } = require('../out/core/src/race/logLinks.js');

// The pattern the matcher replaced, timed on a line ten times shorter than the issue's to show the quadratic cost.
const OLD_EMBEDDED_LOCATION = /(?<=^|[\s"]|\\t)((?:[A-Za-z]:)?[\\/][^\s"*?<>|:]*?\.go):(\d+)\b/dg;

/** The median of 11 timed runs after one untimed (compiled by then): a loaded machine stretches single runs. */
function medianMs(run) {
  run();
  const times = [];
  for (let i = 0; i < 11; i++) {
    const started = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[5];
}

const repeatTo = (unit, length, tail) => unit.repeat(Math.floor((length - tail.length) / unit.length)) + tail;
// The issue's line: 120 KB of `\t/` (two characters and a slash) with a `.go:` in it, so that it is scanned at all.
const issueLine = 'x.go:1 ' + repeatTo('\\t/', 120 * 1024, '');
// As long as the cap lets through, in the forms that made the old pattern try a path from every slash.
// A `.go:` first and no location after it: the old pattern then tried a path from every slash to the end of the line.
const hostile = (unit, length) => 'x.go:1 ' + repeatTo(unit, length - 7, '');
const atCap = {
  'tab-slash': hostile('\\t/', MAX_LINK_LINE),
  'quote-slash': hostile('"/', MAX_LINK_LINE),
  'drive letters': hostile('"C:\\', MAX_LINK_LINE),
};
const oldLine = hostile('\\t/', 12 * 1024);

const result = {
  maxLinkLine: MAX_LINK_LINE,
  issueLineMs: medianMs(() => logLocations(issueLine)),
  atCapMs: Object.fromEntries(Object.entries(atCap).map(([name, line]) => [name, medianMs(() => logLocations(line))])),
  oldPatternOn12KbMs: medianMs(() => [...oldLine.matchAll(OLD_EMBEDDED_LOCATION)]),
};
console.log(JSON.stringify(result));
