// Child process of bench/run.mjs: runs `go-arch-lens check` (the bundled CLI, as CI would) over all of
// GOROOT/src and the pinned golang.org/x/sys module, and prints time and finding counts per tree.
const { spawnSync, execFileSync } = require('child_process');
const path = require('path');

const XSYS_VERSION = 'v0.49.0';

function checkTree(dir) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(__dirname, '../dist/cli.js'), 'check', '--format', 'json', `${dir}/...`], {
    encoding: 'utf8', maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Exit 1 means findings, 0 none; anything else is a crash.
  if (result.status !== 0 && result.status !== 1) throw new Error(`check crashed on ${dir}: ${result.stderr}`);
  const findings = JSON.parse(result.stdout).findings;
  const byAnalyzer = {};
  for (const f of findings) byAnalyzer[f.analyzer] = (byAnalyzer[f.analyzer] ?? 0) + 1;
  return { seconds, findings: findings.length, byAnalyzer };
}

const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const xsys = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `golang.org/x/sys@${XSYS_VERSION}`], { encoding: 'utf8' })).Dir;
console.log(JSON.stringify({ goroot: checkTree(path.join(goroot, 'src')), xsys: { version: XSYS_VERSION, ...checkTree(xsys) } }));
