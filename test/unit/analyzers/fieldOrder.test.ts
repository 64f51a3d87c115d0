import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fieldOrder } from '../../../core/src/analysis/analyzers/fieldOrder';
import { compilerRejects } from '../../support/compilerCheck';
import { ANALYZER_TEST_TARGETS, applyEdits, describeAnalyzer } from '../../support/analysistest';
import { writeModule } from '../../support/goModule';
import { probeTypes } from '../../support/runtimeProbe';

describeAnalyzer(fieldOrder, ({ engine, fixture }) => {
  it('quotes sizes the compiler agrees with', () => {
    const sizes: Record<string, [string, number][]> = {
      amd64: [['Wasteful', 24], ['TrailingZero', 16], ['AtomicInMiddle', 24], ['SameSavingOwnSizes', 32]],
      arm64: [['SameSavingOwnSizes', 32]],
      '386': [['Wasteful', 16], ['TrailingZero', 12], ['AtomicInMiddle', 24], ['SameSavingOwnSizes', 24]],
      arm: [['Wasteful', 16], ['TrailingZero', 12], ['AtomicInMiddle', 24], ['SameSavingOwnSizes', 24]],
    };
    for (const [goarch, claims] of Object.entries(sizes)) {
      const exprs = claims.map(([type, value]) => ({ expr: `unsafe.Sizeof(${type}{})`, value }));
      assert.strictEqual(compilerRejects(fixture, 'fieldorder', 'linux', goarch, exprs), undefined);
    }
  });

  it('reorders keeping doc comments, trailing comments and tags with their fields; the compiler confirms the sizes', () => {
    const text = fs.readFileSync(path.join(fixture, 'structs.go'), 'utf8');
    const root = writeModule({ 'go.mod': 'module example.com/fieldorder\n\ngo 1.26\n', 'structs.go': text });
    const file = path.join(root, 'structs.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [fieldOrder]);
    assert.ok(!('error' in findings));
    const wasteful = findings.find((f) => f.message.includes('Wasteful'))!;
    const fixed = applyEdits(text, wasteful.fixes![0].edits);
    assert.match(fixed, /type Wasteful struct \{ \/\/ want [^\n]*\n\tOffset int64 \/\/ byte offset\n\t\/\/ Valid says whether the record is in use\.\n\tValid  bool  `json:"valid"`\n\tFlags  uint8\n\}/);
    fs.writeFileSync(file, fixed);
    for (const [goarch, size] of [['amd64', 16], ['386', 12]] as const) {
      assert.strictEqual(compilerRejects(root, 'fieldorder', 'linux', goarch, [{ expr: 'unsafe.Sizeof(Wasteful{})', value: size }]), undefined);
    }
  });

  it('applying every offered reorder keeps the package building on every target, at the sizes the message quotes', () => {
    const sources = Object.fromEntries(fs.readdirSync(fixture).filter((f) => f.endsWith('.go')).map((f) => [f, fs.readFileSync(path.join(fixture, f), 'utf8')]));
    const root = writeModule({ 'go.mod': 'module example.com/fieldorder\n\ngo 1.26\n', ...sources });
    const file = path.join(root, 'structs.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [fieldOrder]);
    assert.ok(!('error' in findings));
    const edits = findings.flatMap((f) => f.fixes ?? []).flatMap((x) => x.edits);
    assert.ok(findings.some((f) => f.message.includes('keyedOverLines') && f.fixes?.length), 'keyed literals over several lines do not block');
    assert.ok(findings.filter((f) => /positional literal, which/.test(f.message)).every((f) => !f.fixes?.length), 'withheld where a literal is positional');
    fs.writeFileSync(file, applyEdits(sources['structs.go'], edits));
    for (const goarch of ['amd64', 'arm64', '386', 'arm']) {
      const size = goarch === 'amd64' || goarch === 'arm64' ? 24 : 16;
      assert.strictEqual(compilerRejects(root, 'fieldorder', 'linux', goarch, [{ expr: 'unsafe.Sizeof(SameSavingOwnSizes{})', value: size }]), undefined, goarch);
    }
  });

  it('offers "smallest, then fewest pointer bytes" whose sizes and pointer bytes the compiler confirms', () => {
    const text = fs.readFileSync(path.join(fixture, 'pointers.go'), 'utf8');
    const root = writeModule({ 'go.mod': 'module example.com/fieldorder\n\ngo 1.26\n', 'pointers.go': text });
    const findings = engine().analyzeFile(path.join(root, 'pointers.go'), ANALYZER_TEST_TARGETS, [fieldOrder]);
    assert.ok(!('error' in findings));
    const fixesOf = (type: string) => findings.find((f) => f.message.includes(`fields of ${type} `))!.fixes!;
    // Padded gets both goals, the first one unchanged; the others only the pointer goal.
    assert.deepStrictEqual(fixesOf('Padded').map((f) => f.title), [
      'Reorder fields of Padded to save 8 B on linux/amd64, linux/arm64 (56 → 48 B); 4 B on linux/386, linux/arm (44 → 40 B)',
      'Reorder fields of Padded to save 8 B on linux/amd64, linux/arm64 (56 → 48 B); 4 B on linux/386, linux/arm (44 → 40 B), ' +
        'then scan fewer pointer bytes (48 → 8 B on linux/amd64, linux/arm64; 40 → 4 B on linux/386, linux/arm)',
    ]);
    const lean = fixesOf('Padded')[1];
    const fixed = applyEdits(applyEdits(applyEdits(text, lean.edits), fixesOf('PointersLast')[0].edits), fixesOf('SliceThenString')[0].edits);
    // Comments travel with their fields.
    assert.match(fixed, /type Padded struct \{[^\n]*\n\t\/\/ p is the owner\.\n\tp \*int\n\tn \[4\]int64 \/\/ counters\n\ta bool\n\tb bool\n\}/);
    // What the compiler lays out and the runtime's type descriptors say about the rewritten structs.
    const claims: Record<string, Record<'64' | '32', [number, number]>> = {
      Padded: { '64': [48, 8], '32': [40, 4] },
      PointersLast: { '64': [40, 8], '32': [36, 4] },
      SliceThenString: { '64': [40, 24], '32': [20, 12] },
    };
    const probeSource = fixed.replace(/^package fieldorder/m, 'package main');
    for (const goarch of ['amd64', 'arm64', '386', 'arm']) {
      const probed = probeTypes(probeSource, Object.keys(claims), goarch);
      for (const [type, byWord] of Object.entries(claims)) {
        const [size, ptrBytes] = byWord[goarch === 'amd64' || goarch === 'arm64' ? '64' : '32'];
        assert.deepStrictEqual([probed.get(type)!.size, probed.get(type)!.ptrBytes], [size, ptrBytes], `${type} on ${goarch}`);
      }
    }
  });

  it('reorders a struct with a closing note and an anonymous struct; the note stays last and the compiler confirms the sizes', () => {
    const text = fs.readFileSync(path.join(fixture, 'structs.go'), 'utf8');
    const root = writeModule({ 'go.mod': 'module example.com/fieldorder\n\ngo 1.26\n', 'structs.go': text });
    const file = path.join(root, 'structs.go');
    const findings = engine().analyzeFile(file, ANALYZER_TEST_TARGETS, [fieldOrder]);
    assert.ok(!('error' in findings));
    const trailing = findings.find((f) => f.message.includes('fields of Trailing saves'))!;
    const settings = findings.find((f) => f.range.start.line === text.split('\n').findIndex((l) => l.startsWith('var settings')))!;
    assert.strictEqual(findings.find((f) => f.message.includes('by position'))?.fixes, undefined);
    const fixed = applyEdits(text, [...trailing.fixes![0].edits, ...settings.fixes![0].edits]);
    assert.match(fixed, /type Trailing struct \{[^\n]*\n\tcount int64\n\tok    bool\n\tdone  bool\n\n\t\/\/ Invariant: count is never negative\.\n\}/);
    fs.writeFileSync(file, fixed);
    for (const [goarch, size] of [['amd64', 16], ['386', 12]] as const) {
      const claims = [{ expr: 'unsafe.Sizeof(Trailing{})', value: size }, { expr: 'unsafe.Sizeof(settings)', value: size }];
      assert.strictEqual(compilerRejects(root, 'fieldorder', 'linux', goarch, claims), undefined);
    }
  });
});
