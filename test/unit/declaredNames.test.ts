import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GoParser } from '../../core/src/parse/goParser';
import { declarationIndex, declaredNames, mayDeclareName, resyncedDeclarationIndex, scanHeader } from '../../core/src/parse/declaredNames';
import { parseDiskFile } from '../../core/src/resolve/sourceStore';
import { realGoEnv } from '../support/goModule';
import { ensureXSys } from '../support/xsys';

describe('declared names read without parsing', () => {
  it('finds the names of type, const and var declarations, grouped or not, and nothing inside bodies', () => {
    const src = [
      'package p', '',
      'import "fmt"', '',
      'type T struct {', '\tField int', '}',
      'type G[X any] struct{ v X }',
      'type (', '\tA = T', '\tB, C int // not valid Go, still a superset', '\tD struct {', '\t\tinner int', '\t}', ')',
      'const K, L = 1, 2',
      'const (', '\tM = iota', '\tN', '\tO, P = "(", \')\'', '\tQ = `', ')`', ')',
      'var v, w int',
      'var (', '\tx = fmt.Sprint(1)', '\ty struct{ z int }', ')',
      'func f() {', '\ttype local int', '\tconst inner = 1', '}',
      '/* const hidden = 1', '*/',
    ].join('\n');
    const names = declaredNames(src)!;
    for (const name of ['T', 'G', 'A', 'B', 'C', 'D', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'v', 'w', 'x', 'y']) {
      assert.ok(names.has(name), `${name} missing from ${[...names]}`);
    }
    for (const name of ['Field', 'inner', 'local', 'hidden', 'f', 'fmt', 'int', 'z', 'X']) assert.ok(!names.has(name), `${name} found`);
  });

  it('splits a file into its top-level declarations, a func type or literal staying inside its declaration', () => {
    const src = 'package p\n\nimport "os"\n\ntype F func(int)\nvar v = func() int { return 1 }()\nfunc f() { type L int }\ntype T struct{ a F }\n';
    const index = declarationIndex(src)!;
    assert.deepStrictEqual(index.spans.map((s) => [s.keyword, src.slice(s.start, s.end)]), [
      ['type', 'type F func(int)\n'], ['var', 'var v = func() int { return 1 }()\n'], ['func', 'func f() { type L int }\n'],
      ['type', 'type T struct{ a F }\n'],
    ]);
    assert.strictEqual(src.slice(0, index.headerEnd), 'package p\n\nimport "os"\n\n');
    assert.deepStrictEqual([...index.names], [['F', [0]], ['v', [1]], ['T', [3]]]);
    // Stopped at the first declaration from an offset on: the ones before it as in the whole index.
    const upToFunc = declarationIndex(src, src.indexOf('func f'))!;
    assert.deepStrictEqual(upToFunc.spans, index.spans.slice(0, 2));
    assert.deepStrictEqual([...upToFunc.names], [['F', [0]], ['v', [1]]]);
  });

  it('gives up (any name) on text it cannot follow', () => {
    assert.strictEqual(declaredNames('package p\nconst s = "unterminated\n'), undefined);
    assert.strictEqual(declaredNames('package p\nfunc f() {\n'), undefined);
    assert.strictEqual(declaredNames('package p\n/* open comment\n'), undefined);
  });

  it('resyncs at each line starting with a declaration keyword where the text cannot be followed, a broken declaration taking every word it may declare', () => {
    const src = [
      'package p', '', 'import "os"', '',
      'type Open struct {', '\tfield int', '\tnested struct {', '',
      'type Fine struct{ f os.File }', '',
      'func f() {', '\ts := "unterminated', '}',
      'const (', '\tK = 1', '\tL', ')',
      'var x, y = `raw', 'type InRaw int', '`',
    ].join('\n');
    assert.strictEqual(declarationIndex(src), undefined);
    const index = resyncedDeclarationIndex(src);
    assert.deepStrictEqual(index.spans.map((s) => [s.keyword, src.slice(s.start, s.end).split('\n')[0]]), [
      ['type', 'type Open struct {'], ['type', 'type Fine struct{ f os.File }'], ['func', 'func f() {'], ['const', 'const ('],
      ['var', 'var x, y = `raw'], ['type', 'type InRaw int'],
    ]);
    assert.strictEqual(src.slice(0, index.headerEnd), 'package p\n\nimport "os"\n\n');
    // Open, f's and the raw string's pieces cannot be followed; Fine and the constants can.
    assert.strictEqual(index.broken, 4);
    assert.deepStrictEqual(index.names.get('Fine'), [1]);
    assert.deepStrictEqual([index.names.get('K'), index.names.get('L')], [[3], [3]]);
    for (const [name, span] of [['Open', 0], ['field', 0], ['nested', 0], ['x', 4], ['y', 4], ['InRaw', 5]] as const) {
      assert.ok(index.names.get(name)?.includes(span), `${name} not in span ${span}`);
    }
    assert.ok(!index.names.has('f') && !index.names.has('File'));
    // Text that can be followed gets the names it gets from declarationIndex.
    const followed = 'package p\n\ntype A struct{ a int }\nvar b, c = 1, 2; var d int\nfunc e() { type local int }\n';
    assert.deepStrictEqual(new Set(resyncedDeclarationIndex(followed).names.keys()), declaredNames(followed));
    assert.strictEqual(resyncedDeclarationIndex(followed).broken, 0);
  });

  it('tells from its occurrences alone whether a text may declare a name', () => {
    const src = 'package p\n\ntype T struct{ a int32; b []Timespec }\nvar x, /* c */ y int\nconst (\n\tA = 1\n\tB\n)\nfunc f(Q int) { Timespec(1) }\n';
    for (const name of ['T', 'x', 'y', 'A', 'B']) assert.ok(mayDeclareName(src, name), name);
    // Uses only: after a field name, `[]`, `(`-less calls, a parameter's name, or inside a longer word.
    for (const name of ['int32', 'Timespec', 'int', 'p', 'Time', 'a']) assert.ok(!mayDeclareName(src, name), name);
  });

  it('reads the package clause and imports after comments and build lines', () => {
    const header = scanHeader('// Copyright\n\n//go:build linux\n\n/* doc */\npackage unix // x\n\nimport "C"\nimport (\n\t"fmt"\n\t_ "embed"\n\tx "os"\n)\nimport . "io"\n\nconst a = 1\n');
    assert.deepStrictEqual(header, { packageName: 'unix', imports: ['C', 'fmt', 'embed', 'os', 'io'], ended: true });
    assert.deepStrictEqual(scanHeader('// no package clause\nfunc f() {}\n'), { imports: [], ended: true });
    // Cut off inside the imports (a file's head read alone): the scan says it did not see the header end.
    assert.deepStrictEqual(scanHeader('package p\n\nimport (\n\t"fmt"\n'), { packageName: 'p', imports: ['fmt'], ended: false });
  });

  it('holds every top-level name the parser finds, on every file of x/sys/unix and GOROOT/src/syscall and os', async function () {
    const xsys = ensureXSys();
    const goroot = realGoEnv().goroot!;
    const parser = await GoParser.create();
    const dirs = [path.join(xsys, 'unix'), path.join(goroot, 'src', 'syscall'), path.join(goroot, 'src', 'os')];
    let checked = 0;
    for (const dir of dirs) {
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.go'))) {
        const file = path.join(dir, name);
        const result = parseDiskFile(parser, file);
        if (!('model' in result)) continue;
        const model = result.model;
        const text = fs.readFileSync(file, 'utf8');
        const names = declaredNames(text);
        assert.ok(names, `${file}: the scan gave up on valid Go`);
        const missing = [
          ...model.types.filter((d) => d.localScope === undefined).map((d) => d.name),
          ...model.consts.filter((d) => d.local === undefined).map((d) => d.name),
          ...model.varTypes.keys(),
        ].filter((n) => !names.has(n));
        assert.deepStrictEqual(missing, [], file);
        // The occurrence test lets through every name the index holds (a scope skips a file it rules out).
        assert.deepStrictEqual([...names].filter((n) => !mayDeclareName(text, n)), [], file);
        assert.strictEqual(scanHeader(text).packageName, model.packageName, file);
        assert.deepStrictEqual(scanHeader(text).imports, model.imports.map((i) => i.path), file);
        checked++;
      }
    }
    assert.ok(checked > 500, `only ${checked} files checked`);
  });
});
