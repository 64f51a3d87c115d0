import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { StructInfo, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { compilerRejects } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';

const T = (goarch: string): Target => ({ goos: 'linux', goarch });
const TARGETS = ['amd64', 'arm64', '386', 'arm'].map(T);

function byName(structs: StructInfo[], name: string): StructInfo {
  const found = structs.find((s) => s.name === name);
  assert.ok(found, `struct ${name} not reported; got ${structs.map((s) => s.name).join(', ')}`);
  return found;
}

function sizes(s: StructInfo): Record<string, number | null> {
  return Object.fromEntries(Object.entries(s.layouts).map(([k, l]) => [k.split('/')[1], l.size]));
}

describe('layout engine', function () {
  this.timeout(60000);
  let engine: Engine;
  const go = realGoEnv();

  before(async () => {
    engine = await Engine.create(go);
  });

  it('lays out padding on 32- and 64-bit targets as gc does (FACTS: {int32; int64} is 16 vs 12)', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'a.go': 'package m\n\ntype Mixed struct {\n\ta int32\n\tb int64\n}\n\ntype TrailingZero struct {\n\ta int64\n\tz struct{}\n}\n',
    });
    const structs = engine.structsInFile(path.join(root, 'a.go'), TARGETS);
    assert.deepStrictEqual(sizes(byName(structs, 'Mixed')), { amd64: 16, arm64: 16, '386': 12, arm: 12 });
    assert.deepStrictEqual(sizes(byName(structs, 'TrailingZero')), { amd64: 16, arm64: 16, '386': 12, arm: 12 });
    const mixed = byName(structs, 'Mixed').layouts['linux/386'];
    assert.deepStrictEqual(mixed.fields.map((f) => [f.name, f.offset, f.paddingBefore]), [['a', 0, 0], ['b', 4, 0]]);
    const mixed64 = byName(structs, 'Mixed').layouts['linux/amd64'];
    assert.deepStrictEqual(mixed64.fields.map((f) => [f.name, f.offset, f.paddingBefore]), [['a', 0, 0], ['b', 8, 4]]);
  });

  it('resolves other packages of the module, per-arch files and std types, and the compiler agrees', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'inner/word_arm64.go': 'package inner\n\ntype Word struct{ a, b uint64 }\n',
      'inner/word_other.go': '//go:build !arm64\n\npackage inner\n\ntype Word struct{ a uint8 }\n',
      'a.go': [
        'package m', '', 'import (', '\t"sync"', '\t"sync/atomic"', '\t"time"', '', '\t"example.com/m/inner"', ')', '',
        'type Uses struct {', '\tw  inner.Word', '\tmu sync.Mutex', '\tn  atomic.Int64', '\tt  time.Time', '\tb  bool', '}', '',
      ].join('\n'),
    });
    const uses = byName(engine.structsInFile(path.join(root, 'a.go'), TARGETS), 'Uses');
    for (const target of TARGETS) {
      const layout = uses.layouts[`linux/${target.goarch}`];
      assert.ok(layout.size !== null, `${target.goarch}: ${layout.unknown}`);
      const claims = [
        { expr: 'unsafe.Sizeof(Uses{})', value: layout.size! },
        { expr: 'unsafe.Alignof(Uses{})', value: layout.align! },
        ...layout.fields.map((f) => ({ expr: `unsafe.Offsetof(Uses{}.${f.name})`, value: f.offset! })),
      ];
      assert.strictEqual(compilerRejects(root, 'm', 'linux', target.goarch, claims), undefined);
    }

  });

  it('reports a type that cannot be resolved as unknown, with the reason, never a guess', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'a.go': 'package m\n\nimport "example.com/elsewhere/pkg"\n\ntype Foreign struct {\n\tp pkg.Thing\n\tn int\n}\n\ntype Undefined struct{ x Missing }\n',
    });
    const structs = engine.structsInFile(path.join(root, 'a.go'), TARGETS);
    const foreign = byName(structs, 'Foreign').layouts['linux/amd64'];
    assert.strictEqual(foreign.size, null);
    assert.match(foreign.unknown!, /field p: cannot find package "example.com\/elsewhere\/pkg"/);
    assert.strictEqual(foreign.fields[1].offset, null, 'a field after an unknown one has no known offset');
    assert.match(byName(structs, 'Undefined').layouts['linux/arm'].unknown!, /undefined: Missing/);
  });

  it('reports invalid recursive types as errors instead of hanging', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'a.go': 'package m\n\ntype List struct {\n\tnext *List\n\tv    int\n}\n\ntype Loop struct{ x [2]Loop }\n\ntype A struct{ b B }\ntype B struct{ a A }\n',
    });
    const structs = engine.structsInFile(path.join(root, 'a.go'), TARGETS);
    assert.strictEqual(byName(structs, 'List').layouts['linux/amd64'].size, 16);
    assert.match(byName(structs, 'Loop').layouts['linux/amd64'].unknown!, /invalid recursive type/);
    assert.match(byName(structs, 'A').layouts['linux/amd64'].unknown!, /invalid recursive type/);
  });

  it('marks structs of a file not built for a target as excluded', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'only_arm64.go': 'package m\n\ntype OnlyArm struct{ a int64 }\n',
    });
    const s = byName(engine.structsInFile(path.join(root, 'only_arm64.go'), TARGETS), 'OnlyArm');
    assert.strictEqual(s.layouts['linux/arm64'].size, 8);
    assert.strictEqual(s.layouts['linux/amd64'].excluded, true);
  });

  it('instantiates generic types with concrete arguments and leaves generic declarations unlaid', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'a.go': 'package m\n\ntype Pair[K comparable, V any] struct {\n\tk K\n\tv V\n}\n\ntype UsesPair struct {\n\tp Pair[int8, int64]\n}\n',
    });
    const structs = engine.structsInFile(path.join(root, 'a.go'), TARGETS);
    assert.strictEqual(byName(structs, 'Pair[K, V]').generic, true);
    assert.strictEqual(byName(structs, 'Pair[K, V]').layouts['linux/amd64'].size, null);
    assert.deepStrictEqual(sizes(byName(structs, 'UsesPair')), { amd64: 16, arm64: 16, '386': 12, arm: 12 });
  });

  it('re-lays out after incremental edits of an open file', () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' });
    const file = path.join(root, 'edit.go');
    engine.openFile(file, 'package m\n\ntype E struct {\n\ta int8\n}\n');
    assert.strictEqual(byName(engine.structsInFile(file, TARGETS), 'E').layouts['linux/amd64'].size, 1);
    // Replace `int8` (line 3, columns 3..7) with `int64`.
    engine.editFile(file, [{ range: { start: { line: 3, character: 3 }, end: { line: 3, character: 7 } }, text: 'int64' }]);
    assert.strictEqual(byName(engine.structsInFile(file, TARGETS), 'E').layouts['linux/amd64'].size, 8);
    engine.editFile(file, [{ range: { start: { line: 4, character: 1 }, end: { line: 4, character: 1 } }, text: '\ntype F struct{ b bool }\n' }]);
    assert.deepStrictEqual(engine.structsInFile(file, TARGETS).map((s) => s.name), ['E', 'F']);
    engine.closeFile(file);
  });

  it('re-lays out a screenful of a buffer not parsed whole after each edit', () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' });
    const file = path.join(root, 'screen.go');
    engine.openFile(file, 'package m\n\ntype E struct {\n\ta int8\n}\n');
    // The same lines each time, as an editor's hints after each keystroke: the screen's model is kept between asks.
    const screen = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    assert.strictEqual(byName(engine.structsInFile(file, TARGETS, screen), 'E').layouts['linux/amd64'].size, 1);
    engine.editFile(file, [{ range: { start: { line: 3, character: 3 }, end: { line: 3, character: 7 } }, text: 'int64' }]);
    assert.strictEqual(byName(engine.structsInFile(file, TARGETS, screen), 'E').layouts['linux/amd64'].size, 8);
    engine.closeFile(file);
  });

  it('does not parse an editor buffer over the size limit, and recovers when it shrinks', () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' });
    const file = path.join(root, 'huge.go');
    const head = 'package m\n\ntype H struct{ a int8 }\n';
    engine.openFile(file, head + '//'.padEnd(9 * 1024 * 1024, 'x') + '\n');
    assert.deepStrictEqual(engine.structsInFile(file, TARGETS), []);
    assert.match(engine.fileProblem(file)!, /larger than 8 MiB/);
    engine.editFile(file, [{ range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: '' }]);
    assert.strictEqual(byName(engine.structsInFile(file, TARGETS), 'H').layouts['linux/amd64'].size, 1);
    engine.closeFile(file);
  });

  it('still reports the structs of a file with syntax errors, and the errors', () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'broken.go': 'package m\n\ntype Good struct{ a int32 }\n\nfunc f( {\n\ntype AlsoGood struct{ b int16 }\n',
    });
    const file = path.join(root, 'broken.go');
    const names = engine.structsInFile(file, TARGETS).map((s) => s.name);
    assert.ok(names.includes('Good'), names.join(','));
    assert.ok(engine.syntaxErrors(file).length > 0);
  });

  it('reads required modules from vendor/ and the module cache (with escaped upper-case paths)', () => {
    const cache = writeModule({
      'example.com/!upper@v1.2.0/go.mod': 'module example.com/Upper\n',
      'example.com/!upper@v1.2.0/dep/dep.go': 'package dep\n\ntype FromCache struct{ a, b int32 }\n',
    });
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n\nrequire (\n\texample.com/Upper v1.2.0\n\texample.com/vend v0.1.0\n)\n',
      'vendor/example.com/vend/v.go': 'package vend\n\ntype FromVendor struct{ a [3]int16 }\n',
      'a.go': 'package m\n\nimport (\n\t"example.com/Upper/dep"\n\t"example.com/vend"\n)\n\ntype Both struct {\n\tc dep.FromCache\n\tv vend.FromVendor\n}\n',
    });
    return Engine.create({ goroot: go.goroot, gomodcache: cache }).then((withCache) => {
      const both = byName(withCache.structsInFile(path.join(root, 'a.go'), TARGETS), 'Both');
      assert.strictEqual(both.layouts['linux/amd64'].size, 16, both.layouts['linux/amd64'].unknown);
    });
  });

  it('falls back to the generated std table when GOROOT is unavailable', async () => {
    const table = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../core/src/generated/stdLayouts.json'), 'utf8'));
    const mutex = table.types['sync.Mutex'];
    assert.ok(mutex, 'the generated table has sync.Mutex');
    const noGoroot = await Engine.create({});
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'a.go': 'package m\n\nimport (\n\t"sync"\n\t"net/http/httptrace"\n)\n\ntype Guarded struct {\n\tmu sync.Mutex\n\tn  int\n}\n\ntype Rare struct{ t httptrace.ClientTrace }\n',
    });
    const structs = noGoroot.structsInFile(path.join(root, 'a.go'), TARGETS);
    const guarded = byName(structs, 'Guarded');
    assert.strictEqual(guarded.layouts['linux/amd64'].fields[1].offset, mutex.amd64.size);
    assert.match(byName(structs, 'Rare').layouts['linux/amd64'].unknown!, /no GOROOT/);
  });
});
