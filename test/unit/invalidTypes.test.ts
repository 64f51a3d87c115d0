// Types gc rejects must be shown as invalid with a reason, never with a size; their accepted neighbours must
// get the compiler's numbers. Each case is built with the real compiler for its target first: a case the
// compiler accepts is checked with compile-time assertions, one it rejects must be unknown in the engine.

import * as assert from 'assert';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { compilerRejects } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';

interface Case {
  /** Declarations of type X (and helpers). */
  decl: string;
  goarch: string;
  /** What the engine's reason must say when the compiler rejects the type. */
  reason?: RegExp;
}

const target = (goarch: string): Target => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch });

const CASES: Case[] = [
  // 64-bit: MAXWIDTH is 1<<50; an array of that many bytes or more is "larger than address space".
  { decl: 'type X struct{ a [1<<50 - 1]byte }', goarch: 'amd64' },
  { decl: 'type X struct{ a [1<<50]byte }', goarch: 'amd64', reason: /address space/ },
  { decl: 'type X struct{ a [1<<47 - 1]int64 }', goarch: 'arm64' },
  { decl: 'type X struct{ a [1<<47]int64 }', goarch: 'arm64', reason: /address space/ },
  { decl: 'type X struct{ a [1<<50]byte }', goarch: 'wasm', reason: /address space/ },
  // A struct whose fields reach MAXWIDTH is "too large", even if each array fits.
  { decl: 'type X struct{ a [1<<49]byte; b [1<<49 - 1]byte }', goarch: 's390x' },
  { decl: 'type X struct{ a [1<<49]byte; b [1<<49]byte }', goarch: 's390x', reason: /too large/ },
  // 32-bit: a length beyond an int32 is an invalid array length; sizes and field ends must stay below 2^31-1.
  { decl: 'type X struct{ a [1<<31 - 2]byte }', goarch: '386' },
  { decl: 'type X struct{ a [1<<31 - 1]byte }', goarch: '386', reason: /too large/ },
  { decl: 'type X struct{ a [1<<31]byte }', goarch: '386', reason: /array length/ },
  { decl: 'type X struct{ a [1<<31 - 1]byte }', goarch: 'mips', reason: /address space/ },
  { decl: 'type X struct{ a [1<<29]int32 }', goarch: 'arm', reason: /too large/ },
  { decl: 'type X struct{ a [1<<30]int32 }', goarch: 'arm', reason: /address space/ },
  { decl: 'type X struct{ a [1<<30]byte; b [1<<30 - 2]byte }', goarch: '386' },
  { decl: 'type X struct{ a [1<<30]byte; b [1<<30 - 1]byte }', goarch: '386', reason: /too large/ },
  { decl: 'type X struct{ a [1<<30]byte; b [1<<30 - 1]byte }', goarch: 'mipsle', reason: /too large/ },
  // Aliases that refer to themselves through any type, and generic types whose instantiations never end.
  { decl: 'type P = *P\ntype X struct{ p P }', goarch: 'amd64', reason: /invalid recursive type: P/ },
  { decl: 'type X = struct{ next *X }', goarch: 'amd64', reason: /invalid recursive type: X/ },
  { decl: 'type L = []L\ntype X struct{ l L }', goarch: 'amd64', reason: /invalid recursive type/ },
  { decl: 'type M = map[string]M\ntype X struct{ m M }', goarch: 'arm', reason: /invalid recursive type/ },
  { decl: 'type F = func(F)\ntype X struct{ f F }', goarch: 'amd64', reason: /invalid recursive type/ },
  { decl: 'type A = B\ntype B = *A\ntype X struct{ a A }', goarch: 'amd64', reason: /invalid recursive type/ },
  { decl: 'type Grow[T any] struct{ next *Grow[Grow[T]] }\ntype X struct{ g Grow[int] }', goarch: 'amd64', reason: /instantiation cycle/ },
  { decl: 'type G2[T any] struct{ next *G2[*T] }\ntype X struct{ g G2[int] }', goarch: '386', reason: /instantiation cycle/ },
  { decl: 'type H[T any] struct{ x []H[[]T] }\ntype X struct{ h H[int8] }', goarch: 'amd64', reason: /instantiation cycle/ },
  { decl: 'type D[A, B any] struct{ x *D[B, []A] }\ntype X struct{ d D[int, int] }', goarch: 'amd64', reason: /instantiation cycle/ },
  // Valid neighbours: recursion through a defined type, a generic type instantiated with its own parameter.
  { decl: 'type Ok struct{ next *Ok; n int8 }\ntype X = Ok', goarch: 'amd64' },
  { decl: 'type G[T any] struct{ next *G[T]; v T }\ntype X struct{ g G[int16] }', goarch: 'arm' },
  { decl: 'type S[A, B any] struct{ x *S[B, A]; a A }\ntype X struct{ s S[int8, int64] }', goarch: '386' },
];

describe('types gc rejects (compiler-checked)', function () {
  this.timeout(600_000);
  const go = realGoEnv();
  let engine: Engine;

  before(async () => {
    engine = await Engine.create(go);
  });

  CASES.forEach((c, i) => {
    const verdict = c.reason ? `invalid (${c.reason.source})` : 'valid';
    it(`${c.goarch}: ${c.decl.replace(/\n/g, '; ')} is ${verdict}`, () => {
      const root = writeModule({
        'go.mod': 'module example.com/m\n\ngo 1.26\n',
        'x.go': `package m\n\n${c.decl}\n`,
      }, `gal-invalid-${i}-`);
      const t = target(c.goarch);
      const structs = engine.structsInFile(path.join(root, 'x.go'), [t]);
      const x = structs.find((s) => s.name === 'X');
      assert.ok(x, `X not reported (got ${structs.map((s) => s.name).join(', ')})`);
      const layout = x.layouts[`${t.goos}/${t.goarch}`];
      // The compiler decides: a claim of size 0 fails both for a rejected type and for any real size.
      const rejected = compilerRejects(root, 'm', t.goos, t.goarch, []);
      if (c.reason) {
        assert.ok(rejected, 'the compiler accepts this type; the case is wrong');
        assert.strictEqual(layout.size, null, `the engine gives ${layout.size} B`);
        assert.match(layout.unknown ?? '', c.reason);
      } else {
        assert.strictEqual(rejected, undefined, `the compiler rejects this type: ${rejected}`);
        assert.notStrictEqual(layout.size, null, layout.unknown);
        const claims = [
          { expr: 'unsafe.Sizeof(*(*X)(nil))', value: layout.size! },
          { expr: 'unsafe.Alignof(*(*X)(nil))', value: layout.align! },
        ];
        assert.strictEqual(compilerRejects(root, 'm', t.goos, t.goarch, claims), undefined);
      }
    });
  });
});
