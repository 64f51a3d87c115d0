// Writes core/src/generated/toolTags.json: the build tags the Go toolchain itself sets for each target
// (`{{context.ToolTags}}`: goexperiment.* and the architecture level tags such as amd64.v1 or 386.sse2), as
// the installed `go` reports them, for the engine to use when it may not run `go` (untrusted workspace, no go).
//
// Usage, from the repository root (needs only the Go toolchain; about a minute):
//
//	npm run gen:tool-tags            # or: node scripts/gen-tool-tags/main.mjs [--out file]
//
// Every entry is `go list -f {{context.ToolTags}} runtime` run with GOOS/GOARCH set (one run per pair of
// `go tool dist list`). Level variables (GOAMD64, GOARM, GO386, GOMIPS, GOMIPS64, GOPPC64, GORISCV64, GOARM64,
// GOWASM) are run with each candidate value; values the toolchain rejects are left out, so the table lists
// exactly the values this Go release accepts. Experiment names come from GOROOT/src/internal/goexperiment.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : path.join(repo, 'core', 'src', 'generated', 'toolTags.json');

/** Candidate values per level variable and the GOARCHes it applies to; the toolchain decides which are valid. */
const LEVEL_CANDIDATES = {
  GOAMD64: { arches: ['amd64'], values: ['v1', 'v2', 'v3', 'v4'] },
  GOARM: { arches: ['arm'], values: ['5', '6', '7', '5,softfloat', '6,softfloat', '7,softfloat', '5,hardfloat', '6,hardfloat', '7,hardfloat'] },
  GO386: { arches: ['386'], values: ['sse2', 'softfloat'] },
  GOMIPS: { arches: ['mips', 'mipsle'], values: ['hardfloat', 'softfloat'] },
  GOMIPS64: { arches: ['mips64', 'mips64le'], values: ['hardfloat', 'softfloat'] },
  GOPPC64: { arches: ['ppc64', 'ppc64le'], values: ['power8', 'power9', 'power10'] },
  GORISCV64: { arches: ['riscv64'], values: ['rva20u64', 'rva22u64', 'rva23u64'] },
  GOARM64: {
    arches: ['arm64'],
    values: [...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `v8.${n}`), ...[0, 1, 2, 3, 4, 5].map((n) => `v9.${n}`)],
  },
  GOWASM: { arches: ['wasm'], values: ['satconv', 'signext', 'satconv,signext'] },
};

const cleanEnv = { ...process.env, GOFLAGS: '', GOWORK: 'off', GOTOOLCHAIN: 'local', GOEXPERIMENT: '' };
for (const name of Object.keys(LEVEL_CANDIDATES)) delete cleanEnv[name];

function toolTags(env) {
  try {
    const text = execFileSync('go', ['list', '-f', '{{context.ToolTags}}', 'runtime'], {
      cwd: os.tmpdir(), env: { ...cleanEnv, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    return text.trim().replace(/^\[|\]$/g, '').split(/\s+/).filter(Boolean);
  } catch {
    return undefined;
  }
}

const goVersion = execFileSync('go', ['env', 'GOVERSION'], { env: cleanEnv, encoding: 'utf8' }).trim();
const goroot = execFileSync('go', ['env', 'GOROOT'], { env: cleanEnv, encoding: 'utf8' }).trim();
const release = /^go1\.\d+/.exec(goVersion)?.[0] ?? goVersion;
const pairs = execFileSync('go', ['tool', 'dist', 'list'], { env: cleanEnv, encoding: 'utf8' }).trim().split('\n');

const targets = {};
/** Experiments a target keeps even with GOEXPERIMENT=none (the toolchain requires them there). */
const required = {};
for (const pair of pairs) {
  const [goos, goarch] = pair.split('/');
  const tags = toolTags({ GOOS: goos, GOARCH: goarch });
  const withNone = toolTags({ GOOS: goos, GOARCH: goarch, GOEXPERIMENT: 'none' });
  if (!tags || !withNone) throw new Error(`go list failed for ${pair}`);
  targets[pair] = tags;
  const kept = withNone.filter((t) => t.startsWith('goexperiment.'));
  if (kept.length) required[pair] = kept;
}

const isLevelTag = (tag) => !tag.startsWith('goexperiment.');
const levels = {};
for (const [variable, { arches, values }] of Object.entries(LEVEL_CANDIDATES)) {
  for (const goarch of arches) {
    const goos = goarch === 'wasm' ? 'js' : 'linux';
    for (const value of values) {
      const tags = toolTags({ GOOS: goos, GOARCH: goarch, [variable]: value });
      if (!tags) continue;
      ((levels[goarch] ??= {})[variable] ??= {})[value] = tags.filter(isLevelTag);
    }
  }
}

const flags = fs.readFileSync(path.join(goroot, 'src', 'internal', 'goexperiment', 'flags.go'), 'utf8');
const flagsStruct = flags.slice(flags.indexOf('type Flags struct'));
const experiments = [...flagsStruct.slice(0, flagsStruct.indexOf('\n}')).matchAll(/^\t([A-Z]\w*) bool/gm)]
  .map((m) => m[1].toLowerCase()).sort();

const table = { goVersion: release, generatedWith: goVersion, experiments, targets, required, levels };
// One line per list of tags keeps the table readable in review.
const text = JSON.stringify(table, null, 1).replace(/\[\n\s*("[^\]]*?")\n\s*\]/g, (_, items) => `[${items.replace(/,\n\s*/g, ', ')}]`);
fs.writeFileSync(out, text + '\n');
console.log(`wrote ${out}: ${pairs.length} targets, ${experiments.length} experiments (${goVersion})`);
