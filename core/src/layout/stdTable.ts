import type { Shape } from './shapes';
import generated from '../generated/stdLayouts.json';

/** What the table records: size and alignment, measured with compile-time assertions. */
type TableShape = Pick<Shape, 'size' | 'align'>;

interface StdLayoutFile {
  goVersion: string;
  /** Per GOARCH, measured with GOOS linux (js for wasm). */
  types: Record<string, Record<string, TableShape>>;
  /** Types whose layout also depends on GOOS: per `GOOS/GOARCH` where measured. */
  goosDependent: Record<string, Record<string, TableShape | null>>;
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
  const measured = byTarget && goos !== measuredGoos(goarch) ? byTarget[`${goos}/${goarch}`] ?? undefined : table.types[key]?.[goarch];
  if (!measured) return undefined;
  // The table holds no GC information: where it stands in for the sources, pointer bytes are not known.
  return { ...measured, ptrBytes: null, ptrUnknown: `pointer bytes of ${key} are not in the built-in table (standard library sources not read)` };
}
