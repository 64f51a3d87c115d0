// `npm run bench`: prints each figure beside its target and the ratio (figure / target, or target / figure for a
// throughput; below 1 meets it).
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { fileURLToPath } from 'url';
import path from 'path';
import os from 'os';

const here = path.dirname(fileURLToPath(import.meta.url));

function runChild(script, nodeFlags = []) {
  const result = spawnSync(process.execPath, [...nodeFlags, path.join(here, script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${script} failed with exit code ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/** `higherIsBetter` (throughput): the ratio is target / figure instead, so that below 1 still meets the target. */
function row(name, value, unit, target, higherIsBetter = false) {
  const ratio = higherIsBetter ? target / value : value / target;
  const verdict = ratio <= 1 ? 'meets target' : 'MISSES target';
  const bound = higherIsBetter ? '≥' : ' ';
  console.log(`${name.padEnd(44)} ${value.toFixed(1).padStart(9)} ${unit.padEnd(4)} target${bound}${String(target).padStart(5)} ${unit.padEnd(4)} ratio ${ratio.toFixed(2)}  ${verdict}`);
  return ratio <= 1;
}

// `node bench/run.mjs race` (or goroot, latency, bigfile, check, build, race-distinct, links, view): only the jobs named; all of them without arguments.
const only = process.argv.slice(2);
const wanted = (job) => only.length === 0 || only.includes(job);

const results = [];
if (wanted('goroot')) {
  const goroot = runChild('gorootLayout.js');
  console.log(`GOROOT/src (${goroot.goVersion}): ${goroot.files} files, ${goroot.structs} structs; unknown on some target: ${goroot.unknown.inPackages} in std/cmd packages, ${goroot.unknown.inIgnoredFolders} in folders the go command never builds (testdata/, _*/: invalid type-checker inputs, GOPATH-only imports, modules not downloaded)`);
  results.push(row('lay out all of GOROOT/src, 4 targets: time', goroot.totalMs / 1000, 's', 20));
  results.push(row('lay out all of GOROOT/src, 4 targets: peak RSS', goroot.peakRssMb, 'MB', 600));
  console.log(`  (of which parsing on worker threads: ${(goroot.parsedMs / 1000).toFixed(1)} s; CPU time, user+system, all threads: ${(goroot.cpuMs / 1000).toFixed(1)} s; load average ${goroot.loadAverage.toFixed(1)} on ${os.availableParallelism?.() ?? os.cpus().length} CPUs)`);
  // The same answer from go/packages + types.SizesFor("gc"), one target after another (the proof job's reference).
  const reference = runChild('goPackagesReference.js');
  const perTarget = Object.entries(reference.perTarget).map(([t, r]) => `${t} ${r.seconds.toFixed(0)} s`).join(', ');
  console.log(`go/packages + types.SizesFor("gc") on GOROOT/src (std, cmd, tests), 4 targets: ${reference.seconds.toFixed(1)} s (${perTarget})`);
  results.push(row('GOROOT layout time / go/packages reference time', goroot.totalMs / 1000 / reference.seconds, 'x', 0.5));
}

if (wanted('firsthints')) {
  const first = runChild('firstHints.js');
  console.log(`cold language server → first inlay hints of the visible lines, ${first.file} (${first.lines} lines), median of 5 fresh servers (${first.hints} hints; ${first.medianFromSpawnMs.toFixed(0)} ms counting the server's start)`);
  results.push(row('first hints from a cold server, ztypes_linux.go', first.medianMs, 'ms', 500));
  const cpu = first.medianCpuMs === null ? 'not measured here' : `${first.medianCpuMs.toFixed(0)} ms`;
  console.log(`  (server CPU time, user+system, didOpen → hints: ${cpu}; load average ${first.loadAverage.toFixed(1)} on ${os.availableParallelism?.() ?? os.cpus().length} CPUs)`);
}

if (wanted('latency')) {
  if (existsSync(path.join(here, '../dist/server.js'))) {
    const latency = runChild('hintLatency.js');
    console.log(`edit → inlay hints over LSP, ${latency.lines}-line file, ${latency.edits} one-character edits, ${latency.viewport.hints} hints for a 60-line viewport`);
    results.push(row('edit-to-hints latency p50 (viewport)', latency.viewport.p50, 'ms', 20));
    results.push(row('edit-to-hints latency p95 (viewport)', latency.viewport.p95, 'ms', 20));
    console.log(`  (whole-file requests, ${latency.wholeFile.hints} hints: p50 ${latency.wholeFile.p50.toFixed(1)} ms, p95 ${latency.wholeFile.p95.toFixed(1)} ms)`);
  } else {
    console.log('dist/server.js missing: run npm run build first');
    results.push(false);
  }
}

if (wanted('bigfile')) {
  // Issue 11, "Depth and size": a generated 7 MB buffer of 40,000 structs and one over the 8 MiB cap (needs dist/).
  const big = runChild('bigFile.js');
  for (const [label, r] of [['7 MB file', big.huge], ['over-cap file', big.overCap]]) {
    console.log(`${label}: ${r.mb.toFixed(1)} MB, ${r.structs} structs; first hints (${r.firstHints}) of a 60-line viewport, then one-character edits + the viewport's hints (${r.hints}); max ${r.max.toFixed(0)} ms`);
    console.log(`  server CPU (user+sys): first hints ${r.firstHintsCpuMs.toFixed(0)} ms, ${r.cpuPerEditMs.toFixed(0)} ms per keystroke, ${(r.totalCpuMs / 1000).toFixed(1)} s in all; keystrokes after a 400 ms pause (debounced work done): p50 ${r.pausedP50.toFixed(0)} ms, max ${r.pausedMax.toFixed(0)} ms`);
  }
  results.push(row('7 MB / 40k structs: didOpen → first hints', big.huge.firstHintsMs / 1000, 's', 3));
  results.push(row('7 MB / 40k structs: keystroke → hints p50', big.huge.p50, 'ms', 50));
  results.push(row('7 MB / 40k structs: keystroke → hints p95', big.huge.p95, 'ms', 50));
  results.push(row('7 MB / 40k structs: keystroke after a pause → hints, max', big.huge.pausedMax, 'ms', 50));
  const typed = big.huge.typing;
  console.log(`7 MB file, a struct typed on screen a character at a time (${typed.keystrokes} keystrokes, broken text until its closing bracket): max ${typed.max.toFixed(0)} ms, server CPU ${typed.cpuPerKeystrokeMs.toFixed(0)} ms per keystroke, ${typed.typedHints} hints on it; then ${typed.afterCpuMs.toFixed(0)} ms CPU per keystroke`);
  results.push(row('7 MB / 40k structs: typing a struct (syntax errors on screen) → hints p50', typed.p50, 'ms', 50));
  results.push(row('7 MB / 40k structs: typing a struct (syntax errors on screen) → hints p95', typed.p95, 'ms', 50));
  results.push(row('7 MB / 40k structs: keystroke after the typed struct → hints p95', typed.afterP95, 'ms', 50));
  results.push(row('7 MB / 40k structs: server peak RSS', big.huge.peakRssMb, 'MB', 600));
  results.push(row('over-cap file: keystroke → hints p50', big.overCap.p50, 'ms', 50));
  results.push(row('over-cap file: keystroke → hints p95', big.overCap.p95, 'ms', 50));
  results.push(row('over-cap file: server peak RSS', big.overCap.peakRssMb, 'MB', 600));
  console.log(`  (load average ${big.loadAverage.toFixed(1)} on 2 CPUs)`);
}

if (wanted('check')) {
  const trees = runChild('checkTrees.js');
  for (const [name, tree] of Object.entries(trees)) {
    const label = name === 'goroot' ? 'GOROOT/src/...' : `golang.org/x/sys@${tree.version}/...`;
    console.log(`go-arch-lens check ${label}: ${tree.seconds.toFixed(1)} s, ${tree.findings} findings ${JSON.stringify(tree.byAnalyzer)}, no crash`);
  }
}

if (wanted('race')) {
  // Needs the compiled tests' output (npx tsc -p .), like the unit tests.
  const race = runChild('raceThroughput.js');
  console.log(`race log of ${race.mb.toFixed(0)} MB: ${race.reports} reports (${race.distinct} distinct races) between CI noise, streamed in 1 MiB chunks`);
  results.push(row('parse a race log: throughput', race.mbPerSecond, 'MB/s', 100, true));
  results.push(row('parse a race log: peak RSS', race.peakRssMb, 'MB', 200));
  // Flat memory: what the second half of the log adds to the RSS of the first, allowing for GC noise.
  results.push(row('parse a race log: RSS growth, 2nd half vs 1st', Math.max(race.rssGrowthMb, 0), 'MB', 16));
  console.log(`  (RSS before parsing ${race.baselineRssMb.toFixed(0)} MB, highest in the 1st half ${race.firstHalfRssMb.toFixed(0)} MB, in the 2nd ${race.secondHalfRssMb.toFixed(0)} MB)`);
}

if (wanted('build')) {
  // Needs the compiled core (npx tsc -p .).
  const build = runChild('buildCheck.js');
  console.log(`build check per target (core/src/build: go list -e -export per target, in parallel on ${build.cpus} CPUs; host ${build.host})`);
  for (const s of [build.bbolt, build.xsys]) {
    const vetOne = s.vet[0].ms / 1000;
    console.log(`${s.spec} ${s.pattern}: plain go vet one target after another: ${(s.vetTotalMs / 1000).toFixed(1)} s ` +
      `(${s.vet.map((v) => `${v.target} ${(v.ms / 1000).toFixed(1)} s`).join(', ')}); our check, one target: ${(s.oneTargetMs / 1000).toFixed(1)} s`);
    results.push(row(`${s.name}: first verdict, 4 targets (vs 1.5× go vet, 1)`, s.firstMs / 1000, 's', +(1.5 * vetOne).toFixed(1)));
    console.log(`  (4 targets vs our own one-target check: ${(s.firstMs / s.oneTargetMs).toFixed(2)}×; ${s.findings} findings: ${s.statuses.join(', ')})`);
    if (s.name === 'bbolt') results.push(row(`${s.name}: re-check after a one-line edit, 4 targets`, s.recheckMs / 1000, 's', 2));
    else console.log(`  re-check after a one-line edit, 4 targets: ${(s.recheckMs / 1000).toFixed(1)} s`);
    console.log(`  CPU time of go and the compilers: one target ${(s.oneTargetCpuMs / 1000).toFixed(2)} s, first verdict ${(s.firstCpuMs / 1000).toFixed(2)} s, ` +
      `re-check ${(s.recheckCpuMs / 1000).toFixed(2)} s (wall times above under a load average of ${s.loadAverage.toFixed(1)} on ${build.cpus} CPUs)`);
    for (const [mode, ms] of Object.entries(s.modes ?? {})) console.log(`  one target (linux/arm64) after an edit, ${mode}: ${(ms / 1000).toFixed(2)} s`);
  }
}

if (wanted('race-distinct')) {
  // Needs the compiled tests' output (npx tsc -p .), like the unit tests.
  const distinct = runChild('raceDistinct.js', ['--expose-gc']);
  console.log(`race log of ${distinct.mb.toFixed(0)} MB generated on the fly, every round's races, packages and tests new: ${distinct.reports} reports in ${distinct.rounds} rounds; ${distinct.listed} races listed, ${distinct.unlistedReports} reports of further races counted only; ${distinct.listedFailedTests} failed tests listed, ${distinct.moreFailedTests} counted only`);
  results.push(row('distinct races: throughput (parsing only)', distinct.mbPerSecond, 'MB/s', 10, true));
  results.push(row('distinct races: peak RSS', distinct.peakRssMb, 'MB', 200));
  results.push(row('distinct races: kept heap growth, end vs middle', Math.max(distinct.retainedGrowthMb, 0), 'MB', 4));
  console.log(`  (heap kept after a full collection: ${distinct.retainedMiddleMb.toFixed(1)} MB in the middle, ${distinct.retainedEndMb.toFixed(1)} MB at the end; RSS before parsing ${distinct.baselineRssMb.toFixed(0)} MB, highest in the 1st half ${distinct.firstHalfRssMb.toFixed(0)} MB, in the 2nd ${distinct.secondHalfRssMb.toFixed(0)} MB)`);
}

if (wanted('links')) {
  // Needs the compiled core (npx tsc -p .).
  const links = runChild('logLinks.js');
  results.push(row('race-log links: the 120 KB `\\t/` line (over the cap)', links.issueLineMs, 'ms', 10));
  const [worst, worstMs] = Object.entries(links.atCapMs).sort((a, b) => b[1] - a[1])[0];
  results.push(row(`race-log links: hostile ${links.maxLinkLine / 1024} KiB line (${worst})`, worstMs, 'ms', 10));
  console.log(`  (each form at the cap: ${Object.entries(links.atCapMs).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')}; the replaced pattern on a 12 KB line: ${links.oldPatternOn12KbMs.toFixed(0)} ms, quadratic)`);
}

if (wanted('view')) {
  // Needs dist/ and the compiled tests (npm run bench builds both); starts code-server, about a minute.
  const view = runChild('layoutView.mjs');
  const cpuText = (cpu) => (cpu
    ? `${cpu.total.toFixed(0)} ms (browser ${cpu.browser?.toFixed(0)}, extension host ${cpu.extensionHost?.toFixed(0)}, language server ${cpu.languageServer?.toFixed(0)}, code-server and launcher ${cpu.codeServerAndLauncher?.toFixed(0)})`
    : 'not measured (needs Linux /proc)');
  console.log(`Show Memory Layout → drawn view, ${view.fields}-field struct on ${view.targets} targets, in code-server (${view.redraw.runs} commands with the panel open, ${view.firstOpen.runs} on a new panel); ${view.elements} elements, ${(view.pageModelBytes / 1024).toFixed(0)} KB posted to the page; load average ${view.loadAverage.toFixed(1)} on ${view.cpus} CPUs`);
  results.push(row('command → drawn layout view p50 (panel open)', view.redraw.p50, 'ms', 150));
  results.push(row('command → drawn layout view p95 (panel open)', view.redraw.p95, 'ms', 150));
  console.log(`  (of which, p50: server answer ${view.redraw.requestP50.toFixed(0)} ms, model to the page ${view.redraw.transitP50.toFixed(0)} ms, page building its elements ${view.redraw.renderP50.toFixed(0)} ms, the frame's style, layout and paint ${view.redraw.frameP50.toFixed(0)} ms)`);
  console.log(`  (CPU per draw, all processes of the run: ${cpuText(view.redraw.cpu)})`);
  console.log(`  (with both reorder goals shown, 42 rows: p50 ${view.reorderRedraw.p50.toFixed(0)} ms, p95 ${view.reorderRedraw.p95.toFixed(0)} ms; CPU per draw ${cpuText(view.reorderRedraw.cpu)})`);
  console.log(`  (on a new panel, page load included: p50 ${view.firstOpen.p50.toFixed(0)} ms, max ${view.firstOpen.max.toFixed(0)} ms)`);
}

process.exitCode = results.every(Boolean) ? 0 : 1;
