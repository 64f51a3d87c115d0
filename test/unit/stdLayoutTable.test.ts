// core/src/generated/stdLayouts.json is what the engine falls back to without GOROOT (untrusted workspace, no
// `go`). It goes stale when the toolchain changes and `npm run gen:std-layouts` is not rerun. This compares EVERY
// entry of the table, for every target in it, with what the engine computes from the real GOROOT sources (which
// test/compiler checks against the compiler): each type is used as the only field of a struct, so the field's
// size and alignment are the type's. All 105 types × 14 targets take a few seconds, so nothing is sampled.
import * as assert from 'assert';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import table from '../../core/src/generated/stdLayouts.json';
import { realGoEnv, writeModule } from '../support/goModule';

interface TableShape {
  size: number;
  align: number;
}

interface Entry {
  /** `importpath.Type`, as the table keys it */
  key: string;
  target: Target;
  /** null: the table says the type does not exist for this target */
  shape: TableShape | null;
}

/** The GOOS the per-GOARCH entries were measured with (the table's `targets`). */
function measuredTargets(): Target[] {
  return table.targets.map((t) => {
    const [goos, goarch] = t.split('/');
    return { goos, goarch };
  });
}

function tableEntries(): Entry[] {
  const byArch = new Map(measuredTargets().map((t) => [t.goarch, t]));
  const entries: Entry[] = [];
  for (const [key, perArch] of Object.entries(table.types as Record<string, Record<string, TableShape>>)) {
    for (const [goarch, shape] of Object.entries(perArch)) {
      const target = byArch.get(goarch);
      if (!target) throw new Error(`table entry ${key} for ${goarch}, which is not among the table's targets`);
      entries.push({ key, target, shape });
    }
  }
  for (const [key, perTarget] of Object.entries(table.goosDependent as Record<string, Record<string, TableShape | null>>)) {
    for (const [target, shape] of Object.entries(perTarget)) {
      const [goos, goarch] = target.split('/');
      entries.push({ key, target: { goos, goarch }, shape });
    }
  }
  return entries;
}

function splitKey(key: string): { importPath: string; typeName: string } {
  const dot = key.lastIndexOf('.');
  return { importPath: key.slice(0, dot), typeName: key.slice(dot + 1) };
}

/** One struct per table type, `type Use<i> struct { f <pkg>.<Type> }`; generic types get `any`, as the table does. */
function probeSource(keys: string[]): { source: string; structOf: Map<string, string> } {
  const importPaths = [...new Set(keys.map((k) => splitKey(k).importPath))];
  const alias = new Map(importPaths.map((p, i) => [p, `p${i}`]));
  const genericAny = new Set<string>(table.genericAnyTypeArgs);
  const structOf = new Map<string, string>();
  const decls = keys.map((key, i) => {
    const { importPath, typeName } = splitKey(key);
    structOf.set(key, `Use${i}`);
    return `type Use${i} struct {\n\tf ${alias.get(importPath)}.${typeName}${genericAny.has(key) ? '[any]' : ''}\n}\n`;
  });
  const imports = importPaths.map((p) => `\t${alias.get(p)} ${JSON.stringify(p)}`).join('\n');
  return { source: `package probe\n\nimport (\n${imports}\n)\n\n${decls.join('\n')}`, structOf };
}

describe('generated std layout table against GOROOT', function () {
  this.timeout(240_000);

  it('every type, every target: the table has the size and alignment the GOROOT sources give', async () => {
    const go = realGoEnv();
    const entries = tableEntries();
    const keys = [...new Set(entries.map((e) => e.key))];
    // Guard against a table the test silently stops reading (renamed fields, empty file).
    assert.ok(keys.length >= 100 && entries.length >= keys.length * 14, `only ${keys.length} types, ${entries.length} entries`);
    const { source, structOf } = probeSource(keys);
    const root = writeModule({ 'go.mod': 'module example.com/probe\n\ngo 1.26\n', 'probe.go': source }, 'gal-stdtable-');
    const file = path.join(root, 'probe.go');
    const engine = await Engine.create({ goroot: go.goroot, gomodcache: go.gomodcache });

    const targets = new Map(entries.map((e) => [`${e.target.goos}/${e.target.goarch}`, e.target]));
    const structs = new Map(engine.structsInFile(file, [...targets.values()]).map((s) => [s.name, s]));
    const differences: string[] = [];
    for (const entry of entries) {
      const targetKey = `${entry.target.goos}/${entry.target.goarch}`;
      const field = structs.get(structOf.get(entry.key)!)?.layouts[targetKey]?.fields[0];
      const fromGoroot = field && field.size !== null ? { size: field.size, align: field.align } : null;
      if (JSON.stringify(fromGoroot) !== JSON.stringify(entry.shape)) {
        differences.push(`${targetKey} ${entry.key}: table ${JSON.stringify(entry.shape)}, GOROOT ${JSON.stringify(fromGoroot)}` +
          (field?.unknown ? ` (${field.unknown})` : ''));
      }
    }
    assert.deepStrictEqual(differences, [], `stdLayouts.json (${table.goVersion}) is stale, run npm run gen:std-layouts:\n${differences.slice(0, 60).join('\n')}`);
  });
});
