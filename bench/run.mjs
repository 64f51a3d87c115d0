// `npm run bench`: prints each figure beside its target and the ratio (figure / target; below 1 meets it).
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { fileURLToPath } from 'url';
import path from 'path';

const here = path.dirname(fileURLToPath(import.meta.url));

function runChild(script) {
  const result = spawnSync(process.execPath, [path.join(here, script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${script} failed with exit code ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

function row(name, value, unit, target) {
  const ratio = value / target;
  const verdict = ratio <= 1 ? 'meets target' : 'MISSES target';
  console.log(`${name.padEnd(44)} ${value.toFixed(1).padStart(9)} ${unit.padEnd(3)} target ${String(target).padStart(5)} ${unit.padEnd(3)} ratio ${ratio.toFixed(2)}  ${verdict}`);
  return ratio <= 1;
}

const results = [];
const goroot = runChild('gorootLayout.js');
console.log(`GOROOT/src (${goroot.goVersion}): ${goroot.files} files, ${goroot.structs} structs, ${goroot.unknown} with an unknown layout on some target`);
results.push(row('lay out all of GOROOT/src, 4 targets: time', goroot.totalMs / 1000, 's', 20));
results.push(row('lay out all of GOROOT/src, 4 targets: peak RSS', goroot.peakRssMb, 'MB', 600));
console.log(`  (of which parsing on worker threads: ${(goroot.parsedMs / 1000).toFixed(1)} s)`);

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

const trees = runChild('checkTrees.js');
for (const [name, tree] of Object.entries(trees)) {
  const label = name === 'goroot' ? 'GOROOT/src/...' : `golang.org/x/sys@${tree.version}/...`;
  console.log(`go-arch-lens check ${label}: ${tree.seconds.toFixed(1)} s, ${tree.findings} findings ${JSON.stringify(tree.byAnalyzer)}, no crash`);
}

process.exitCode = results.every(Boolean) ? 0 : 1;
