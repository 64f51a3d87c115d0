// Child process of bench/run.mjs: time from the Show Memory Layout command to the drawn view, for a 200-field struct
// on all 14 targets, in a real VS Code (code-server). The integration test "draws a 200-field struct…" runs the
// command (5 times on a fresh panel, 20 times with the panel open, 10 more with both reorder goals' rows shown) and
// records, per run, the time from the command to the page's frame with the picture painted (wall clock of both,
// reported by the page), and the CPU time all processes of the run spent per draw; this prints those figures.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { artifactsDir, runIntegrationSuite } from '../test/e2e/run-code-server.mjs';

const resultsFile = path.join(artifactsDir, 'layout-view-bench.json');

const { percentile: percentileOfSorted } = createRequire(import.meta.url)('./lspServer.js');
const percentile = (values, p) => percentileOfSorted([...values].sort((a, b) => a - b), p);

fs.rmSync(resultsFile, { force: true });
const result = await runIntegrationSuite({ grep: 'draws a 200-field struct', name: 'bench-layout-view', log: (line) => process.stderr.write(`${line}\n`) });
if (result.error || result.exitCode !== 0 || !fs.existsSync(resultsFile)) {
  throw new Error(`the layout view benchmark did not run: ${result.error ?? JSON.stringify(result.summary?.failed ?? result.exitCode)}`);
}
const timings = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
/** p50/p95/max of the whole time and p50 of its parts: the server's answer, the message to the page, the page building its elements, the frame drawing them. */
const summary = (runs) => ({
  runs: runs.length,
  p50: percentile(runs.map((r) => r.ms), 50),
  p95: percentile(runs.map((r) => r.ms), 95),
  max: Math.max(...runs.map((r) => r.ms)),
  requestP50: percentile(runs.map((r) => r.requestMs), 50),
  transitP50: percentile(runs.map((r) => r.transitMs), 50),
  renderP50: percentile(runs.map((r) => r.renderMs), 50),
  frameP50: percentile(runs.map((r) => r.frameMs), 50),
});
console.log(JSON.stringify({
  fields: timings.fields, targets: timings.targets, elements: timings.elements, pageModelBytes: timings.pageModelBytes,
  loadAverage: timings.loadAverage, cpus: timings.cpus,
  firstOpen: summary(timings.firstOpens), redraw: { ...summary(timings.redraws), cpu: timings.redrawCpu },
  reorderRedraw: { ...summary(timings.reorderRedraws), cpu: timings.reorderCpu },
}));
