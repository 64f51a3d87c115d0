// Child process of bench/run.mjs: lays out every struct of GOROOT/src for the default targets and prints one JSON
// line with time, counts and peak memory. Runs in its own process so that peak RSS is this job's alone.
const fs = require('fs');
const path = require('path');
const { Engine } = require('../out/core/src/engine.js');
const { readGoEnv } = require('../out/core/src/goEnv.js');
const { DEFAULT_TARGETS } = require('../out/core/src/targets.js');

function goFilesUnder(dir, into = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) goFilesUnder(p, into);
    else if (entry.name.endsWith('.go')) into.push(p);
  }
  return into;
}

/** A path under a folder the go command skips when it matches packages: `testdata`, or a name starting with `_` or `.`. */
const IGNORED_FOLDER = /(^|\/)(testdata|[_.][^/]*)\//;

async function main() {
  const env = readGoEnv();
  if (env.error) throw new Error(env.error);
  const started = process.hrtime.bigint();
  const engine = await Engine.create({ goroot: env.GOROOT, gomodcache: env.GOMODCACHE });
  const files = goFilesUnder(path.join(env.GOROOT, 'src'));
  await engine.preload(files);
  const parsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  let structs = 0;
  // Unknown on some target, split by where: in a package of std/cmd (what the proof compares against gc), or in a
  // folder the go command never builds (testdata/, _asm/…), whose files are type-checker test inputs, code for
  // GOPATH layouts that tests set up, or programs of their own modules that are not downloaded.
  const unknown = { inPackages: 0, inIgnoredFolders: 0 };
  for (const file of files) {
    for (const s of engine.structsInFile(file, DEFAULT_TARGETS)) {
      structs++;
      if (s.generic || !Object.values(s.layouts).some((l) => l.size === null && !l.excluded)) continue;
      if (IGNORED_FOLDER.test(path.relative(env.GOROOT, file))) unknown.inIgnoredFolders++;
      else unknown.inPackages++;
    }
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // The process's CPU time includes its parse worker threads'.
  const { user, system } = process.cpuUsage();
  const cpuMs = (user + system) / 1000;
  const loadAverage = require('os').loadavg()[0];
  console.log(JSON.stringify({ files: files.length, structs, unknown, parsedMs, totalMs, cpuMs, loadAverage, peakRssMb, goVersion: env.GOVERSION }));
}

main().catch((err) => { console.error(err); process.exit(1); });
