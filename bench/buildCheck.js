// Child process of bench/run.mjs: the build check (core/src/build, as compiled by tsc into out/) on a real module,
// next to plain `go vet` run one target after another, and the ways of compiling the go command offers, timed after
// one-line edits so that the checked package itself is never served from the build cache.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { checkBuild } = require('../out/core/src/build/buildCheck');
const { hostTarget } = require('../out/core/src/build/hostTarget');
const { DEFAULT_TARGETS, targetKey } = require('../out/core/src/targets');

const BBOLT = 'go.etcd.io/bbolt@v1.4.3';
const XSYS = 'golang.org/x/sys@v0.49.0';
const REPEATS = 3;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-bench-build-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** A writable copy of a module from the module proxy (the module cache is read-only). */
function moduleCopy(spec) {
  const dir = JSON.parse(execFileSync('go', ['mod', 'download', '-json', spec], { encoding: 'utf8' })).Dir;
  const copy = path.join(scratch, spec.replace(/[@/]/g, '_'));
  fs.cpSync(dir, copy, { recursive: true });
  for (const file of walk(copy)) fs.chmodSync(file, 0o644);
  execFileSync('go', ['mod', 'download'], { cwd: copy, stdio: 'ignore' });
  return copy;
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o755);
      yield* walk(full);
    } else yield full;
  }
}

let edits = 0;
/** A one-line edit: a new package-level line, so the package compiles again while its dependencies stay cached. */
function edit(file) {
  fs.appendFileSync(file, `\nvar _ = ${++edits}\n`);
}

function envFor(target, host) {
  const env = { ...process.env, GOOS: target.goos, GOARCH: target.goarch };
  if (targetKey(target) !== targetKey(host)) env.CGO_ENABLED = '0';
  return env;
}

function timed(fn) {
  const started = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/**
 * CPU time (user + system) of the finished child processes and theirs, from /proc/self/stat (cutime, cstime): what
 * the go commands and compilers used, however busy the machine is with other work.
 */
function childCpuMs() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat(5) (cutime, cstime), counted from `state` (field 3) here.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

async function timedAsync(fn) {
  const started = process.hrtime.bigint();
  const cpuBefore = childCpuMs();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: childCpuMs() - cpuBefore, value };
}

function go(args, cwd, env, binary = 'go') {
  // Exit status 1 is a package that does not build (or vet findings); the time is what matters here.
  return spawnSync(binary, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function subject(name, spec, pattern, editedFile, host, gopackages, withModes) {
  const dir = moduleCopy(spec);
  const file = path.join(dir, editedFile);
  // Dependencies (the standard library included) compiled once per target, as in any editor session after the first.
  const warm = timed(() => DEFAULT_TARGETS.forEach((t) => go(['list', '-e', '-export', '-deps', pattern], dir, envFor(t, host))));
  edit(file);
  const vet = DEFAULT_TARGETS.map((t) => ({ target: targetKey(t), ms: timed(() => go(['vet', pattern], dir, envFor(t, host))).ms }));
  const check = (targets) => checkBuild({ cwd: dir, patterns: [pattern], targets, host });
  edit(file);
  const one = await timedAsync(() => check([host]));
  edit(file);
  const first = await timedAsync(() => check(DEFAULT_TARGETS));
  const rechecks = [];
  const recheckCpu = [];
  for (let i = 0; i < REPEATS; i++) {
    edit(file);
    const run = await timedAsync(() => check(DEFAULT_TARGETS));
    rechecks.push(run.ms);
    recheckCpu.push(run.cpuMs);
  }
  const result = {
    name, spec, pattern, warmupMs: warm.ms, vet, vetTotalMs: vet.reduce((s, v) => s + v.ms, 0),
    oneTargetMs: one.ms, oneTargetCpuMs: one.cpuMs, firstMs: first.ms, firstCpuMs: first.cpuMs,
    recheckMs: median(rechecks), rechecks, recheckCpuMs: median(recheckCpu), loadAverage: os.loadavg()[0],
    findings: first.value.findings.length, statuses: first.value.targets.map((t) => `${t.target} ${t.status}`),
  };
  if (withModes) result.modes = modes(dir, file, pattern, host, gopackages);
  return result;
}

/** One cross target (linux/arm64), each way of compiling timed after its own edit; the median of REPEATS. */
function modes(dir, file, pattern, host, gopackages) {
  const target = { goos: 'linux', goarch: 'arm64' };
  const env = envFor(target, host);
  const ways = {
    'go vet': ['vet', pattern],
    'go build -o /dev/null -gcflags=-e': ['build', '-o', os.devNull, '-gcflags=-e', pattern],
    'go list -e -export -gcflags=-e': ['list', '-e', '-export', '-json', '-gcflags=-e', pattern],
    'go list -e -export -gcflags="-e -N -l" (used)': ['list', '-e', '-export', '-json', '-gcflags=-e -N -l', pattern],
  };
  const out = {};
  for (const [label, args] of Object.entries(ways)) {
    const times = [];
    for (let i = 0; i < REPEATS; i++) {
      edit(file);
      times.push(timed(() => go(args, dir, env)).ms);
    }
    out[label] = median(times);
  }
  const times = [];
  for (let i = 0; i < REPEATS; i++) {
    edit(file);
    times.push(timed(() => go([pattern], dir, env, gopackages)).ms);
  }
  out['go/packages (types from go list -export)'] = median(times);
  return out;
}

async function main() {
  const host = await hostTarget('go');
  if ('error' in host) throw new Error(host.error);
  const gopackages = path.join(scratch, 'gopackages');
  execFileSync('go', ['build', '-o', gopackages, '.'], { cwd: path.join(__dirname, 'gopackages'), stdio: 'ignore' });
  const bbolt = await subject('bbolt', BBOLT, '.', 'db.go', host, gopackages, true);
  const xsys = await subject('x/sys/unix', XSYS, './unix', 'unix/syscall_linux.go', host, gopackages, false);
  console.log(JSON.stringify({ host: targetKey(host), cpus: os.availableParallelism(), bbolt, xsys }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
