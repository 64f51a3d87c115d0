// Child process of bench/run.mjs: the go/packages reference for the GOROOT bench. The proof job's Go program
// (test/proof/reference) loads GOROOT/src (std and cmd with their tests) with go/packages and lays out every struct
// with types.SizesFor("gc", goarch), once per default target, one after another: what gopls-style tooling pays
// for the same answer. Prints one JSON line with the wall time and the structs it laid out.
const { spawnSync } = require('child_process');
const path = require('path');
const { buildReference } = require('../out/test/proof/reference.js');
const { DEFAULT_TARGETS } = require('../out/core/src/targets.js');
const { readGoEnv } = require('../out/core/src/goEnv.js');

const env = readGoEnv();
if (env.error) throw new Error(env.error);
const src = path.join(env.GOROOT, 'src');
const { binary } = buildReference();
const started = process.hrtime.bigint();
const perTarget = {};
for (const t of DEFAULT_TARGETS) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(binary, ['-goos', t.goos, '-goarch', t.goarch, '-dir', src, '-include', src + path.sep, 'std', 'cmd'], {
    cwd: src, encoding: 'utf8', maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`reference failed for ${t.goos}/${t.goarch}: ${r.stderr.slice(-2000)}`);
  perTarget[`${t.goos}/${t.goarch}`] = { seconds: Number(process.hrtime.bigint() - t0) / 1e9, structs: r.stdout.split('\n').filter(Boolean).length };
}
console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - started) / 1e9, perTarget }));
