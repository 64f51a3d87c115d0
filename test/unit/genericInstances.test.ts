// Instances of generic struct types named in the source (`Box[uint64]` in a field, an alias, a composite literal,
// a type argument) are laid out at the position of the generic type's name, as the compiler lays them out.

import * as assert from 'assert';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';

const SOURCE = `package m

type Box[T any] struct {
	flag bool
	v    T
	n    int8
}

type Pair[K comparable, V any] struct {
	k K
	v V
}

type List[T any] []T

type A = Box[uint64]

type S struct {
	b Box[int8]
	p *Pair[string, Box[uint16]]
	m map[string]Box[[3]byte]
}

var x = Box[int32]{}

func F[T any]() {
	var _ Box[T]
	var _ Box[complex128]
	_ = new(Box[uint64])
}

func g() any {
	_ = F[Box[uint8]]
	return List[int]{}
}
`;

const target = (goarch: string): Target => ({ goos: 'linux', goarch });

describe('generic struct instances by position', function () {
  this.timeout(300_000);
  const go = realGoEnv();

  it('lists every instance of a generic struct type where its name is written, and no other generic use', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': SOURCE });
    const engine = await Engine.create(go);
    const instances = engine.instanceStructsInFile(path.join(root, 'm.go'), [target('amd64')]);
    assert.deepStrictEqual(instances.map((i) => `${i.name}@${i.nameRange.start.line + 1}:${i.nameRange.start.character + 1}${i.generic ? ' generic' : ''}`), [
      'Box[uint64]@16:10', 'Box[int8]@19:4', 'Pair[string, Box[uint16]]@20:5', 'Box[uint16]@20:18', 'Box[[3]byte]@21:15',
      'Box[int32]@24:9', 'Box[T]@27:8 generic', 'Box[complex128]@28:8', 'Box[uint64]@29:10', 'Box[uint8]@33:8',
    ]);
    assert.ok(instances.every((i) => i.form?.kind === 'instance' && i.form.of === i.name));
    assert.strictEqual(instances[6].layouts['linux/amd64'].size, null);
    assert.match(instances[6].layouts['linux/amd64'].unknown!, /generic/);
  });

  it('lays each out as the compiler does on 64- and 32-bit targets', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': SOURCE });
    const engine = await Engine.create(go);
    for (const goarch of ['amd64', '386', 'arm']) {
      const key = `linux/${goarch}`;
      const claims: LayoutClaim[] = [];
      for (const instance of engine.instanceStructsInFile(path.join(root, 'm.go'), [target(goarch)])) {
        if (instance.generic) continue;
        const layout = instance.layouts[key];
        assert.ok(layout.size !== null, `${instance.name} on ${goarch}: ${layout.unknown}`);
        claims.push({ expr: `unsafe.Sizeof(${instance.name}{})`, value: layout.size },
          { expr: `unsafe.Alignof(${instance.name}{})`, value: layout.align! },
          ...layout.fields.map((f) => ({ expr: `unsafe.Offsetof(${instance.name}{}.${f.name})`, value: f.offset! })));
      }
      assert.strictEqual(compilerRejects(root, 'm', 'linux', goarch, claims), undefined, key);
    }
  });
});
