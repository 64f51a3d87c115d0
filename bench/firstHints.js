// Child process of bench/run.mjs: the time from a cold language server to the first inlay hints of the visible
// lines of a big real file, golang.org/x/sys/unix's ztypes_linux.go (pinned version from the module proxy), as a
// trusted workspace with GOROOT and GOMODCACHE. Each sample is a new server process: nothing parsed or laid out
// beforehand. Prints one JSON line.
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startServer } = require('./lspServer');

const XSYS_VERSION = 'v0.49.0';
const SAMPLES = 5;
const VISIBLE_LINES = 60;
/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const CLOCK_TICKS = 100;

function goEnv() {
  return JSON.parse(cp.execFileSync('go', ['env', '-json', 'GOROOT', 'GOMODCACHE'], { encoding: 'utf8' }));
}

/** User+system CPU time of a process so far, in ms, from /proc (Linux); undefined elsewhere. */
function cpuMsOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
  } catch {
    return undefined;
  }
}

async function firstHints(file, text, env, firstLine) {
  const started = process.hrtime.bigint();
  const { server, conn } = startServer();
  const uri = `file://${file}`;
  await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: `file://${path.dirname(file)}`, capabilities: { workspace: { configuration: true } },
    initializationOptions: { goroot: env.GOROOT, gomodcache: env.GOMODCACHE, trusted: true },
  });
  conn.sendNotification('initialized', {});
  const opened = process.hrtime.bigint();
  const cpuAtOpen = cpuMsOf(server.pid);
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  const hints = await conn.sendRequest('textDocument/inlayHint', {
    textDocument: { uri }, range: { start: { line: firstLine, character: 0 }, end: { line: firstLine + VISIBLE_LINES, character: 0 } },
  });
  const done = process.hrtime.bigint();
  const cpuAtHints = cpuMsOf(server.pid);
  conn.dispose();
  server.kill();
  const cpuMs = cpuAtOpen === undefined || cpuAtHints === undefined ? undefined : cpuAtHints - cpuAtOpen;
  return { openToHintsMs: Number(done - opened) / 1e6, startToHintsMs: Number(done - started) / 1e6, cpuMs, hints: (hints || []).length };
}

async function main() {
  const env = goEnv();
  const dir = JSON.parse(cp.execFileSync('go', ['mod', 'download', '-json', `golang.org/x/sys@${XSYS_VERSION}`], { encoding: 'utf8' })).Dir;
  const file = path.join(dir, 'unix', 'ztypes_linux.go');
  const text = fs.readFileSync(file, 'utf8');
  // The first screenful holding structs, as an editor opened at the top and scrolled to the first types shows it.
  const firstLine = Math.max(0, text.split('\n').findIndex((l) => /^type \w+ struct/.test(l)) - 5);
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await firstHints(file, text, env, firstLine));
  const sorted = samples.map((s) => s.openToHintsMs).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.cpuMs).filter((c) => c !== undefined).sort((a, b) => a - b);
  console.log(JSON.stringify({
    file: `golang.org/x/sys@${XSYS_VERSION}/unix/ztypes_linux.go`, lines: text.split('\n').length, hints: samples[0].hints,
    medianMs: sorted[Math.floor(sorted.length / 2)], maxMs: sorted[sorted.length - 1],
    medianCpuMs: cpu.length > 0 ? cpu[Math.floor(cpu.length / 2)] : null, loadAverage: os.loadavg()[0],
    medianFromSpawnMs: samples.map((s) => s.startToHintsMs).sort((a, b) => a - b)[Math.floor(SAMPLES / 2)],
  }));
}

main().catch((err) => { console.error(err); process.exit(1); });
