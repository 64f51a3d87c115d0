// Anonymous struct types (`struct{…}` as a field's or variable's type, in composite literals inside functions)
// get their own layout, which the compiler confirms through expressions of those types.

import * as assert from 'assert';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';
import { parseCounter } from '../support/parseCounter';

const SOURCE = `package m

import "unsafe"

type Outer struct {
	flag  bool
	inner struct {
		a int8
		b int64
		deep  struct {
			c int16
			d int32
		}
	}
}

var global struct {
	x uint8
	y [3]uint64
}

type Box[T any] struct {
	meta struct {
		v T
		n int8
	}
}

func tables() int {
	const lanes = 3
	tests := []struct {
		name string
		n    [lanes]int32
		ok   bool
	}{{"a", [lanes]int32{}, true}}
	var _ = [1]struct{}{}[unsafe.Sizeof(tests[0])-want_tests]
	var _ = [1]struct{}{}[unsafe.Offsetof(tests[0].ok)-want_tests_ok]
	return len(tests)
}
`;

const target = (goarch: string): Target => ({ goos: 'linux', goarch });

describe('generic declarations that never use their type parameters', function () {
  this.timeout(300_000);
  const go = realGoEnv();

  it('have one layout for every instantiation, which the compiler confirms; others stay unknown', async () => {
    const source = 'package m\n\nimport "sync"\n\ntype Cache[K comparable, V any] struct {\n\tm sync.Map\n\tn int8\n}\n\n' +
      'type Uses[T any] struct {\n\tv T\n\tn int8\n}\n';
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': source });
    const engine = await Engine.create(go);
    for (const goarch of ['amd64', '386']) {
      const structs = engine.structsInFile(path.join(root, 'm.go'), [target(goarch)]);
      const cache = structs.find((s) => s.name === 'Cache[K, V]')!.layouts[`linux/${goarch}`];
      assert.ok(cache.size !== null, cache.unknown);
      assert.strictEqual(structs.find((s) => s.name === 'Uses[T]')!.layouts[`linux/${goarch}`].size, null);
      const claims = [
        { expr: 'unsafe.Sizeof(Cache[int, string]{})', value: cache.size },
        { expr: 'unsafe.Sizeof(Cache[[9]byte, bool]{})', value: cache.size },
        { expr: 'unsafe.Offsetof(Cache[int, string]{}.n)', value: cache.fields[1].offset! },
      ];
      assert.strictEqual(compilerRejects(root, 'm', 'linux', goarch, claims), undefined, goarch);
    }
  });
});

describe('anonymous struct types', function () {
  this.timeout(300_000);
  const go = realGoEnv();

  it('lays out fields, variables and composite literals of anonymous struct type as the compiler does', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': SOURCE, 'want.go': 'package m\n' });
    const engine = await Engine.create(go);
    const file = path.join(root, 'm.go');
    const targets = ['amd64', '386', 'arm64', 'mips'].map(target);
    const literals = engine.literalStructsInFile(file, targets);
    assert.deepStrictEqual(literals.map((l) => `${l.name}@${l.bodyRange.start.line + 1}:${l.bodyRange.start.character + 1}`),
      ['Outer.inner@7:8', 'Outer.inner.deep@10:9', 'global@17:12', 'Box.meta@23:7', 'tables.tests@31:13',
        // The assertions' own [1]struct{}{} are anonymous struct types too.
        'struct{…}@36:13', 'struct{…}@37:13']);
    const [inner, deep, global, meta, table] = literals;
    assert.strictEqual(meta.generic, true);
    assert.strictEqual(meta.layouts['linux/amd64'].size, null);
    for (const t of targets) {
      const key = `linux/${t.goarch}`;
      const size = (s: typeof inner) => s.layouts[key].size!;
      const offset = (s: typeof inner, name: string) => s.layouts[key].fields.find((f) => f.name === name)!.offset!;
      const claims: LayoutClaim[] = [
        { expr: 'unsafe.Sizeof(Outer{}.inner)', value: size(inner) },
        { expr: 'unsafe.Offsetof(Outer{}.inner.b)', value: offset(inner, 'b') },
        { expr: 'unsafe.Sizeof(Outer{}.inner.deep)', value: size(deep) },
        { expr: 'unsafe.Offsetof(Outer{}.inner.deep.d)', value: offset(deep, 'd') },
        { expr: 'unsafe.Sizeof(global)', value: size(global) },
        { expr: 'unsafe.Offsetof(global.y)', value: offset(global, 'y') },
      ];
      // The function-local table is asserted in place through want_ constants defined from the engine's answer.
      const wants = `package m\n\nconst want_tests = ${size(table)}\nconst want_tests_ok = ${offset(table, 'ok')}\n`;
      const wantRoot = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': SOURCE, 'want.go': wants });
      assert.strictEqual(compilerRejects(wantRoot, 'm', 'linux', t.goarch, claims), undefined, key);
    }
  });

  // Anonymous structs are found on a full syntax tree; an open buffer's first hints parse only the type
  // declarations on screen (ztypes_linux.go), so a screenful whose `struct` words are all named structs' bodies
  // must not parse the buffer whole, and every other screenful must still find what the whole tree has.
  const BUFFER = `package m

// A has named fields only.
type A struct {
	a int8
	b int64
}

type (
	B struct{ x int32 }
	C struct {
		inner struct{ y int16; z int64 }
	}
)

// one struct word in a comment
func F() {
	v := struct{ p int8; q int64 }{}
	_ = v
}
`;

  it('in an open buffer, a screenful of named structs only is answered without parsing the buffer whole', async () => {
    const file = path.join(writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' }), 'm.go');
    const targets = [target('amd64')];
    const parsed = await Engine.create();
    parsed.openFile(file, BUFFER);
    const wholeParses = parseCounter();
    try {
      const lazy = await Engine.create();
      lazy.openFile(file, BUFFER);
      const onlyNamed = { start: { line: 3, character: 0 }, end: { line: 10, character: 0 } };
      assert.deepStrictEqual(lazy.literalStructsInFile(file, targets, onlyNamed), []);
      assert.strictEqual(wholeParses.count, 0, 'the buffer was parsed whole');
      assert.strictEqual(parsed.literalStructsInFile(file, targets).length, 2);
      for (let line = 0; line < BUFFER.split('\n').length; line++) {
        const screen = { start: { line, character: 0 }, end: { line: line + 2, character: 0 } };
        const fresh = await Engine.create();
        fresh.openFile(file, BUFFER);
        assert.deepStrictEqual(fresh.literalStructsInFile(file, targets, screen), parsed.literalStructsInFile(file, targets, screen), `lines ${line}-${line + 2}`);
      }
    } finally {
      wholeParses.restore();
    }
  });
});
