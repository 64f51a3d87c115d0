// What the proof job lays out: GOROOT/src (std and cmd, with their tests) and pinned real modules from the Go
// module proxy, for every gc GOARCH. The module versions are pinned by test/proof/corpus/go.mod and go.sum.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { GC_ARCHES } from '../../core/src/targets';
import { escapeModulePath, parseGoMod } from '../../core/src/resolve/modules';

/** A set of packages the reference loads in one `go list`, and the folders whose structs are compared. */
export interface Corpus {
  name: string;
  /** Where go list runs. */
  dir: string;
  patterns: string[];
  /** Only structs in files under these folders are compared (dependencies outside them are not). */
  roots: string[];
}

/** The pinned modules, as `module@version` keys of test/proof/corpus/go.mod, and the packages laid out. */
export const PINNED_MODULES: { module: string; version: string; patterns: string[] }[] = [
  { module: 'golang.org/x/sys', version: 'v0.49.0', patterns: ['golang.org/x/sys/...'] },
  { module: 'go.etcd.io/bbolt', version: 'v1.5.0', patterns: ['go.etcd.io/bbolt/...'] },
  { module: 'go.etcd.io/raft/v3', version: 'v3.7.0', patterns: ['go.etcd.io/raft/v3/...'] },
  { module: 'github.com/cilium/ebpf', version: 'v0.22.0', patterns: ['github.com/cilium/ebpf/...'] },
  // Prometheus' time-series database: the part whose structs are performance-sensitive; the whole module drags in
  // every cloud SDK.
  { module: 'github.com/prometheus/prometheus', version: 'v0.316.0', patterns: ['github.com/prometheus/prometheus/tsdb/...'] },
];

export const PROOF_TARGETS: Target[] = GC_ARCHES.map((goarch) => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch }));

export function repoRoot(): string {
  return path.resolve(__dirname, '..', '..', '..');
}

export function corpusModuleDir(): string {
  return path.join(repoRoot(), 'test', 'proof', 'corpus');
}

/**
 * Downloads the pinned modules, and the modules their packages (with tests) import, into the module cache from the
 * Go module proxy (about 2 GB the first time; they stay in GOMODCACHE); returns each pinned module's folder, or why
 * they cannot be had (the proxy unreachable, a pin gone), in words fit for the proof's failure line.
 */
export function downloadModules(): Map<string, string> | { error: string } {
  const dir = corpusModuleDir();
  try {
    goIn(dir, ['mod', 'download', ...PINNED_MODULES.map((m) => m.module)]);
    // go list fetches what the packages import, as each target's reference would, but once and before any runs.
    const listed = goIn(dir, ['list', '-e', '-deps', '-test', '-json=ImportPath,Module,Imports', ...PINNED_MODULES.flatMap((m) => m.patterns)]);
    downloadOwnRequirements(dir, JSON.parse(`[${listed.replace(/}\s*{/g, '},{')}]`) as ListedPackage[]);
  } catch (err) {
    const proxy = spawnSync('go', ['env', 'GOPROXY'], { encoding: 'utf8' }).stdout?.trim() || '?';
    return {
      error: `the pinned modules of test/proof/corpus/go.mod could not be fetched from the Go module proxy (GOPROXY=${proxy}): `
        + `${(err as Error).message.trim().split('\n').slice(-3).join(' | ')}. The proof lays out real modules and needs the proxy once `
        + '(about 2 GB into GOMODCACHE); `npm run proof -- --corpus goroot` runs the GOROOT part alone.',
    };
  }
  const folders = new Map<string, string>();
  for (const m of PINNED_MODULES) {
    const info = JSON.parse(goIn(dir, ['list', '-m', '-json', m.module])) as { Dir?: string; Version?: string };
    if (!info.Dir) return { error: `${m.module} is not in the module cache after go mod download` };
    if (info.Version !== m.version) return { error: `${m.module}: go.mod pins ${info.Version}, corpora.ts says ${m.version}` };
    folders.set(m.module, info.Dir);
  }
  return folders;
}

interface ListedPackage {
  ImportPath: string;
  Module?: { Path: string; Version?: string };
  Imports?: string[];
}

/**
 * The engine resolves a package's imports through its own module's go.mod, as the go command does with that module
 * as main module, where the reference uses the corpus' build list: raft v3.7.0 requires protobuf v1.36.11 and ebpf
 * x/sys v0.43.0, older than what the corpus selects. So the import graph the corpus' go list printed is walked from
 * the pinned modules' packages with the versions each importing module's go.mod names, and the module versions met
 * that the corpus does not select are fetched too (a few dozen; following every go.mod requirement instead reaches
 * thousands of old versions).
 */
function downloadOwnRequirements(dir: string, listed: ListedPackage[]): void {
  const gomodcache = goIn(dir, ['env', 'GOMODCACHE']).trim();
  const plain = (importPath: string) => importPath.replace(/ \[.*\]$/, '');
  const packages = new Map<string, ListedPackage>();
  for (const p of listed) if (p.Module?.Version) packages.set(plain(p.ImportPath), p);
  const goMods = new Map<string, ReturnType<typeof parseGoMod> | undefined>();
  const goModOf = (moduleVersion: string) => {
    if (!goMods.has(moduleVersion)) {
      const root = path.join(gomodcache, escapeModulePath(moduleVersion));
      if (!fs.existsSync(root)) goIn(dir, ['mod', 'download', moduleVersion]);
      const file = path.join(root, 'go.mod');
      goMods.set(moduleVersion, fs.existsSync(file) ? parseGoMod(root, fs.readFileSync(file, 'utf8')) : undefined);
    }
    return goMods.get(moduleVersion);
  };
  // A package of a module version; its imports resolved through that version's go.mod.
  const queue = [...packages.values()].filter((p) => PINNED_MODULES.some((m) => m.module === p.Module!.Path))
    .map((p) => ({ importPath: plain(p.ImportPath), moduleVersion: `${p.Module!.Path}@${p.Module!.Version}` }));
  const seen = new Set<string>();
  for (let item = queue.pop(); item; item = queue.pop()) {
    const key = `${item.importPath} ${item.moduleVersion}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const goMod = goModOf(item.moduleVersion);
    for (const imported of packages.get(item.importPath)?.Imports ?? []) {
      const target = packages.get(plain(imported));
      if (!target) continue;
      const module = target.Module!.Path;
      let moduleVersion = item.moduleVersion;
      if (!item.moduleVersion.startsWith(module + '@')) {
        const required = goMod?.requires.get(module);
        if (!goMod || !required) continue;
        const replaced = goMod.moduleReplaces.get(module);
        moduleVersion = `${replaced?.path ?? module}@${replaced?.version ?? required}`;
      }
      queue.push({ importPath: plain(imported), moduleVersion });
    }
  }
}

/** Runs go in `dir`; its standard output, or an Error holding its standard error. */
function goIn(dir: string, args: string[]): string {
  const result = spawnSync('go', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(result.stderr || `go ${args[0]} exited with ${result.status}`);
  return result.stdout;
}

export function corpora(goroot: string, moduleDirs: Map<string, string>): Corpus[] {
  const src = path.join(goroot, 'src');
  return [
    { name: 'GOROOT/src (std, cmd)', dir: src, patterns: ['std', 'cmd'], roots: [src + path.sep] },
    {
      name: 'pinned modules',
      dir: corpusModuleDir(),
      patterns: PINNED_MODULES.flatMap((m) => m.patterns),
      roots: PINNED_MODULES.map((m) => moduleDirs.get(m.module)! + path.sep),
    },
  ];
}
