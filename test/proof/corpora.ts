// What the proof job lays out: GOROOT/src (std and cmd, with their tests) and pinned real modules from the Go
// module proxy, for every gc GOARCH. The module versions are pinned by test/proof/corpus/go.mod and go.sum.

import { execFileSync } from 'child_process';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { GC_ARCHES } from '../../core/src/targets';

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
 * Downloads the pinned modules into the module cache; returns each one's folder. The modules their packages
 * import are fetched by the reference's go list, only as far as those packages need them.
 */
export function downloadModules(): Map<string, string> {
  const dir = corpusModuleDir();
  execFileSync('go', ['mod', 'download', ...PINNED_MODULES.map((m) => m.module)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const folders = new Map<string, string>();
  for (const m of PINNED_MODULES) {
    const out = execFileSync('go', ['list', '-m', '-json', m.module], { cwd: dir, encoding: 'utf8' });
    const info = JSON.parse(out) as { Dir?: string; Version?: string };
    if (!info.Dir) throw new Error(`${m.module} is not in the module cache after go mod download`);
    if (info.Version !== m.version) throw new Error(`${m.module}: go.mod pins ${info.Version}, corpora.ts says ${m.version}`);
    folders.set(m.module, info.Dir);
  }
  return folders;
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
