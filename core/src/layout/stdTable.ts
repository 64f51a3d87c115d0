import type { Shape } from './shapes';
import generated from '../generated/stdLayouts.json';

interface StdLayoutFile {
  goVersion: string;
  /** Per GOARCH, measured with GOOS linux (js for wasm). */
  types: Record<string, Record<string, Shape>>;
  /** Types whose layout also depends on GOOS: per `GOOS/GOARCH` where measured. */
  goosDependent: Record<string, Record<string, Shape | null>>;
}

const table = generated as unknown as StdLayoutFile;

/** The GOOS the per-GOARCH entries were measured with. */
function measuredGoos(goarch: string): string {
  return goarch === 'wasm' ? 'js' : 'linux';
}

/**
 * Layouts of common standard-library types, generated from and verified against the real compiler by
 * scripts/gen-std-layouts. Used only when GOROOT sources cannot be read (no `go`, or an untrusted workspace).
 */
export function stdTableShape(importPath: string, typeName: string, goos: string, goarch: string): Shape | undefined {
  const key = `${importPath}.${typeName}`;
  const byTarget = table.goosDependent[key];
  // A type that differs on other GOOS values is known only where it was measured.
  if (byTarget && goos !== measuredGoos(goarch)) return byTarget[`${goos}/${goarch}`] ?? undefined;
  return table.types[key]?.[goarch];
}
