import type { Shape } from './shapes';
import generated from '../generated/stdLayouts.json';

interface StdLayoutFile {
  goVersion: string;
  types: Record<string, Record<string, Shape>>;
}

/**
 * Layouts of common standard-library types, generated from and verified against the real compiler by
 * scripts/gen-std-layouts. Used only when GOROOT sources cannot be read (no `go`, or an untrusted workspace).
 */
export function stdTableShape(importPath: string, typeName: string, goarch: string): Shape | undefined {
  return (generated as unknown as StdLayoutFile).types[`${importPath}.${typeName}`]?.[goarch];
}

export function stdTableGoVersion(): string {
  return (generated as unknown as StdLayoutFile).goVersion;
}
