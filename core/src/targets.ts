import type { Target } from './api';
import generatedTargets from './generated/goTargets.json';

/** Word size and the largest alignment gc gives any type, per GOARCH (cmd/compile's PtrSize and RegSize). */
export interface ArchInfo {
  wordSize: 4 | 8;
  maxAlign: 4 | 8;
  /**
   * cmd/compile's MAXWIDTH (`arch.MAXWIDTH` in each galign.go): no array may reach it ("larger than address
   * space"). 1<<50 on 64-bit targets, 1<<32-1 on 386 and arm, 1<<31-1 on mips and mipsle.
   */
  maxWidth: number;
}

const THIRTY_TWO_BIT = new Set(['386', 'arm', 'mips', 'mipsle']);

/** Every GOARCH the gc toolchain builds for. */
export const GC_ARCHES = [
  '386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'ppc64', 'ppc64le', 'riscv64', 's390x', 'wasm',
] as const;

/** Every GOOS the toolchain knows, used to recognise `_GOOS` file-name suffixes. */
export const KNOWN_GOOS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl',
  'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);

/** Every GOARCH the toolchain knows (including ones gc no longer builds), for `_GOARCH` file-name suffixes. */
export const KNOWN_GOARCH = new Set([
  ...GC_ARCHES, '386', 'amd64p32', 'arm64be', 'armbe', 'loong64', 'mips64p32', 'mips64p32le', 'ppc', 'riscv',
  's390', 'sparc', 'sparc64',
]);

/** GOOS values that satisfy the `unix` build tag. */
export const UNIX_GOOS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd',
  'solaris',
]);

export function archInfo(goarch: string): ArchInfo | undefined {
  if (!(GC_ARCHES as readonly string[]).includes(goarch)) return undefined;
  if (!THIRTY_TWO_BIT.has(goarch)) return { wordSize: 8, maxAlign: 8, maxWidth: 2 ** 50 };
  return { wordSize: 4, maxAlign: 4, maxWidth: goarch.startsWith('mips') ? 2 ** 31 - 1 : 2 ** 32 - 1 };
}

export function targetKey(t: Target): string {
  return `${t.goos}/${t.goarch}`;
}

/** Parses `goos/goarch`; returns an error message for anything gc cannot build. */
export function parseTarget(text: string): Target | string {
  const m = /^([a-z0-9]+)\/([a-z0-9]+)$/.exec(text.trim());
  if (!m) return `"${text}" is not GOOS/GOARCH`;
  const [, goos, goarch] = m;
  if (!KNOWN_GOOS.has(goos)) return `"${goos}" is not a known GOOS`;
  if (!archInfo(goarch)) return `"${goarch}" is not a GOARCH the gc compiler supports`;
  if (!isGoTarget(goos, goarch)) return notAPair(goos, goarch);
  return { goos, goarch };
}

/** Every GOOS/GOARCH pair the Go toolchain builds for (`go tool dist list`, generated: npm run gen:go-targets). */
export const GO_TARGETS: readonly Target[] = generatedTargets.targets.map(({ goos, goarch }) => ({ goos, goarch }));

const GO_TARGET_KEYS = new Set(GO_TARGETS.map(targetKey));

export function isGoTarget(goos: string, goarch: string): boolean {
  return GO_TARGET_KEYS.has(`${goos}/${goarch}`);
}

/** Why a known GOOS and a known GOARCH do not make a target, with the pairs each of them does make. */
function notAPair(goos: string, goarch: string): string {
  const pairs = (match: (t: Target) => boolean) => GO_TARGETS.filter(match).map(targetKey).join(', ') || 'none';
  return `"${goos}/${goarch}" is not a target Go builds for (go tool dist list); `
    + `${goos}: ${pairs((t) => t.goos === goos)}; ${goarch}: ${pairs((t) => t.goarch === goarch)}`;
}

/** The GOOS to pair with a GOARCH when only the architecture is given (wasm only builds for js or wasip1). */
export function defaultGoosFor(goarch: string, preferred: string): string {
  if (goarch === 'wasm') return preferred === 'wasip1' ? 'wasip1' : 'js';
  return preferred;
}

export const DEFAULT_TARGETS: Target[] = [
  { goos: 'linux', goarch: 'amd64' },
  { goos: 'linux', goarch: 'arm64' },
  { goos: 'linux', goarch: '386' },
  { goos: 'linux', goarch: 'arm' },
];
