// The engine against the gc compiler: every size, alignment and offset the engine computes for a generated
// corpus (see corpus.ts) is turned into a compile-time assertion and built for every gc GOARCH. The compiler is
// the judge; a failing assertion is reported with the struct, field, target, the engine's and the real value.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { StructInfo, StructLayout, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { GC_ARCHES } from '../../core/src/targets';
import { realGoEnv, writeModule } from '../support/goModule';
import {
  AssertionPlan, BuildResult, buildAndJudge, describeMismatch, insideBraces, planAssertions, ReportedStruct, runGo, targetKey,
} from './assertions';
import { Corpus, writeCorpus } from './corpus';

const SEED = 20240611;
const GENERATED_STRUCTS = 400;
const TARGETS: Target[] = GC_ARCHES.map((goarch) => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch }));
/** Builds run two at a time (the machine has two cores; each go build is mostly one compile). */
const PARALLEL_BUILDS = 2;

function fixturesDir(): string {
  // Compiled to out/test/compiler; sources live in test/fixtures/corpus at the repository root.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', 'corpus');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
  }
  throw new Error('test/fixtures/corpus not found above ' + __dirname);
}

/** Every struct the engine reports for the corpus, with the package it belongs to and whether it is local. */
function reportStructs(engine: Engine, corpus: Corpus): ReportedStruct[] {
  const out: ReportedStruct[] = [];
  for (const file of corpus.goFiles) {
    const pkg = corpus.packages.find((p) => p.dir === path.dirname(file));
    if (!pkg) continue;
    const source = fs.readFileSync(file, 'utf8');
    for (const info of engine.structsInFile(file, TARGETS)) {
      out.push({ pkg, info, local: insideBraces(source, info.nameRange.start) });
    }
  }
  return out;
}

async function inParallel<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function writePlanFiles(plan: AssertionPlan): void {
  for (const [file, content] of plan.files) fs.writeFileSync(file, content);
}

function removePlanFiles(plans: AssertionPlan[]): void {
  for (const plan of plans) for (const file of plan.files.keys()) fs.rmSync(file, { force: true });
}

/**
 * Merges report lines that differ only in their leading target (`linux/386 hand.T: …`), so that a problem seen on
 * every target is one line.
 */
function byTarget(lines: string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const line of lines) {
    const space = line.indexOf(' ');
    const rest = line.slice(space + 1);
    groups.set(rest, [...(groups.get(rest) ?? []), line.slice(0, space)]);
  }
  return [...groups].map(([rest, targets]) =>
    `${rest}  [${targets.length === TARGETS.length ? 'every target' : targets.join(' ')}]`);
}

function layoutsEqual(a: StructInfo['layouts'][string], b: StructInfo['layouts'][string]): boolean {
  const strip = (l: typeof a) => ({
    size: l.size, align: l.align, trailingPadding: l.trailingPadding,
    fields: l.fields.map((f) => [f.name, f.offset, f.size, f.align, f.paddingBefore]),
  });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

describe('engine vs the gc compiler (every GOARCH)', function () {
  this.timeout(20 * 60_000);
  const go = realGoEnv();
  let corpus: Corpus;
  let engine: Engine;
  let structs: ReportedStruct[];

  before(async function () {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-corpus-'));
    corpus = writeCorpus(root, { seed: SEED, structs: GENERATED_STRUCTS, fixturesDir: fixturesDir() });
    engine = await Engine.create(go);
    const start = Date.now();
    structs = reportStructs(engine, corpus);
    console.log(`      corpus: ${structs.length} structs in ${corpus.goFiles.length} files; engine laid them out for ` +
      `${TARGETS.length} targets in ${Date.now() - start} ms (${root})`);
  });

  after(() => {
    if (corpus && !process.env.GAL_KEEP_CORPUS) fs.rmSync(corpus.root, { recursive: true, force: true });
  });

  it('covers hundreds of structs, local ones included', () => {
    const concrete = structs.filter((s) => !s.info.generic);
    assert.ok(concrete.length >= 400, `only ${concrete.length} non-generic structs`);
    assert.ok(structs.some((s) => s.local), 'no local struct found');
    assert.ok(structs.some((s) => s.info.generic), 'no generic declaration found');
    // Local structs are asserted in place: their want_ lines must all be mapped to claims.
    const plan = planAssertions(corpus, structs, TARGETS[0]);
    const inPlace = [...plan.claims.keys()].filter((k) => /\/(local|hand\/local)\.go:\d+$/.test(k));
    assert.ok(inPlace.length >= 100, `only ${inPlace.length} in-place assertions of local structs`);
  });

  it('lays out every corpus struct without an unknown', () => {
    const unknown = structs.flatMap(({ pkg, info }) => Object.entries(info.layouts)
      .filter(([, l]) => !l.excluded && !info.generic && l.size === null)
      .map(([t, l]) => `${t} ${pkg.name}.${info.name} (${path.relative(corpus.root, info.file)}): ${l.unknown}`));
    const report = byTarget(unknown);
    assert.deepStrictEqual(report, [], `the engine could not lay out:\n${report.join('\n')}`);
  });

  it('excludes exactly the files the go command excludes for each target', async () => {
    const problems: string[] = [];
    await inParallel(TARGETS, PARALLEL_BUILDS, async (target) => {
      const { code, stdout, stderr } = await runGo(['list', '-e', '-f', '{{.Dir}}|{{join .GoFiles "|"}}', './...'], corpus.root, target);
      assert.strictEqual(code, 0, stderr);
      const built = new Set(stdout.trim().split('\n').flatMap((line) => {
        const [dir, ...files] = line.split('|');
        return files.filter(Boolean).map((f) => path.join(dir, f));
      }));
      for (const { pkg, info } of structs) {
        const excluded = info.layouts[targetKey(target)].excluded === true;
        if (excluded === built.has(info.file)) {
          problems.push(`${targetKey(target)} ${pkg.name}.${info.name} (${path.basename(info.file)}): engine ${excluded ? 'excludes' : 'includes'} it, go list ${built.has(info.file) ? 'builds' : 'skips'} the file`);
        }
      }
    });
    const report = byTarget(problems);
    assert.deepStrictEqual(report, [], report.join('\n'));
  });

  it('agrees with the compiler on every size, alignment and offset', async () => {
    const plans = TARGETS.map((t) => planAssertions(corpus, structs, t));
    plans.forEach(writePlanFiles);
    let results: BuildResult[];
    const start = Date.now();
    try {
      results = await inParallel(plans, PARALLEL_BUILDS, (plan) => buildAndJudge(corpus.root, plan));
    } finally {
      removePlanFiles(plans);
    }
    for (const r of results) {
      console.log(`      ${r.target.padEnd(14)} ${String(r.assertions).padStart(6)} assertions, build ${r.ms} ms, ` +
        `${r.mismatches.length} mismatches`);
    }
    console.log(`      total ${results.reduce((n, r) => n + r.assertions, 0)} assertions, wall time ${Date.now() - start} ms`);
    const unexpected = byTarget(results.flatMap((r) => r.unexpected.map((u) => `${r.target} ${u}`)));
    const mismatches = byTarget(results.flatMap((r) => r.mismatches.map(describeMismatch)));
    // Structs the engine could not lay out are not asserted here; the "without an unknown" test reports them.
    const report = [
      ...(mismatches.length ? [`engine values refuted by the compiler:`, ...mismatches.slice(0, 80)] : []),
      ...(unexpected.length ? ['unexpected compiler output:', ...unexpected.slice(0, 40)] : []),
    ];
    assert.ok(results.every((r) => r.assertions > 0), 'a target had no assertions');
    assert.deepStrictEqual(report, [], report.join('\n'));
  });

  it('detects wrong engine values and names the struct, field, target and real value', async () => {
    // Proof that the check can fail: corrupt one field offset (asserted from a generated file) and one local
    // struct's size (asserted in place through a want_ constant), and expect exactly those refutations.
    const target = TARGETS.find((t) => t.goarch === '386')!;
    const key = targetKey(target);
    const find = (name: string) => {
      const found = structs.find((s) => s.pkg.name === 'hand' && s.info.name === name);
      assert.ok(found, `fixture hand.${name} not reported`);
      return found;
    };
    const field = find('PlainInt64AfterBool');
    const local = find('LocalUsesShade');
    assert.ok(local.local, 'LocalUsesShade is not recognised as a local type');
    const fieldLayout = field.info.layouts[key];
    const localLayout = local.info.layouts[key];
    const corrupt = (s: ReportedStruct, layout: StructLayout): ReportedStruct => ({ ...s, info: { ...s.info, layouts: { [key]: layout } } });
    const corrupted = [
      corrupt(field, { ...fieldLayout, fields: fieldLayout.fields.map((f) => (f.name === 'n' ? { ...f, offset: f.offset! + 4 } : f)) }),
      corrupt(local, { ...localLayout, size: localLayout.size! + 8 }),
    ];
    const plan = planAssertions(corpus, structs.map((s) => (s === field ? corrupted[0] : s === local ? corrupted[1] : s)), target);
    writePlanFiles(plan);
    let result: BuildResult;
    try {
      result = await buildAndJudge(corpus.root, plan);
    } finally {
      removePlanFiles([plan]);
    }
    const about = (name: string) => result.mismatches.filter((m) => m.claim.subject.startsWith(`hand.${name}`)).map(describeMismatch);
    const line = (s: ReportedStruct) => `hand/${path.basename(s.info.file)}:${s.info.nameRange.start.line + 1}`;
    assert.deepStrictEqual(about('PlainInt64AfterBool'), [
      `linux/386 hand.PlainInt64AfterBool.n offset: engine ${fieldLayout.fields[1].offset! + 4}, ` +
      `compiler ${fieldLayout.fields[1].offset} [${line(field)} (field type int64)]`,
    ]);
    assert.deepStrictEqual(about('LocalUsesShade'), [
      `linux/386 hand.LocalUsesShade size: engine ${localLayout.size! + 8}, compiler ${localLayout.size} [${line(local)}]`,
    ]);
  });

  it('gives the same layouts from the generated std table as from GOROOT sources', async () => {
    // Without GOROOT (untrusted workspace, no go) std types come from core/src/generated/stdLayouts.json only.
    const tableOnly = await Engine.create({ gomodcache: go.gomodcache });
    const differences: string[] = [];
    for (const file of corpus.goFiles) {
      const fromTable = tableOnly.structsInFile(file, TARGETS);
      for (const info of engine.structsInFile(file, TARGETS)) {
        const other = fromTable.find((s) => s.name === info.name && s.nameRange.start.line === info.nameRange.start.line);
        // The table holds sizes, not kinds: it cannot tell that `type A = atomic.Int64` names a struct.
        if (!other && info.form?.of.includes('.')) continue;
        for (const [t, layout] of Object.entries(info.layouts)) {
          if (layout.excluded || info.generic || layout.size === null) continue;
          const tableLayout = other?.layouts[t];
          if (!tableLayout || !layoutsEqual(layout, tableLayout)) {
            differences.push(`${t} ${path.basename(file)} ${info.name}: GOROOT size ${layout.size}, table ${tableLayout?.size ?? 'missing'}` +
              (tableLayout?.unknown ? ` (${tableLayout.unknown})` : ''));
          }
        }
      }
    }
    assert.deepStrictEqual(differences, [], differences.slice(0, 60).join('\n'));
  });
});

describe('engine on unresolvable types (not built)', function () {
  this.timeout(120_000);
  const go = realGoEnv();

  it('reports a field of a missing package, an undefined type and an invalid recursive type as unknown with a reason', async () => {
    const root = writeModule({
      'go.mod': 'module example.com/broken\n\ngo 1.26\n',
      'broken.go': [
        'package broken',
        '',
        'import "example.com/does/not/exist/pkg"',
        '',
        'type MissingImport struct {',
        '\ta int8',
        '\tb pkg.Thing',
        '\tc int64',
        '}',
        '',
        'type Undefined struct {',
        '\tx Nowhere',
        '}',
        '',
        'type Recursive struct {',
        '\tn    int',
        '\tself Recursive',
        '}',
        '',
        'type Fine struct{ a, b int32 }',
        '',
      ].join('\n'),
    });
    // The compiler rejects this package too: these are not engine gaps but genuinely unknowable layouts.
    const built = await runGo(['build', './...'], root, { goos: 'linux', goarch: 'amd64' });
    assert.notStrictEqual(built.code, 0, 'the broken package unexpectedly builds');

    const engine = await Engine.create(go);
    const structs = engine.structsInFile(path.join(root, 'broken.go'), [{ goos: 'linux', goarch: 'amd64' }]);
    const layout = (name: string) => {
      const s = structs.find((x) => x.name === name);
      assert.ok(s, `${name} not reported`);
      return s.layouts['linux/amd64'];
    };

    const missing = layout('MissingImport');
    assert.strictEqual(missing.size, null);
    assert.match(missing.unknown ?? '', /example\.com\/does\/not\/exist\/pkg|pkg/);
    assert.deepStrictEqual(missing.fields.map((f) => [f.name, f.offset]), [['a', 0], ['b', null], ['c', null]]);
    assert.ok(missing.fields[1].unknown, 'field b has no reason');

    const undefinedType = layout('Undefined');
    assert.strictEqual(undefinedType.size, null);
    assert.match(undefinedType.unknown ?? '', /Nowhere/);

    const recursive = layout('Recursive');
    assert.strictEqual(recursive.size, null);
    assert.match(recursive.unknown ?? '', /recursive/i);

    assert.strictEqual(layout('Fine').size, 8);
  });
});
