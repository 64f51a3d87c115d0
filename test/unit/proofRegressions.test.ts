// Classes of layout errors the proof job (test/proof) found on GOROOT/src and real modules, each checked here
// against the real compiler on small sources so that they stay fixed without running the whole proof.

import * as assert from 'assert';
import * as path from 'path';
import type { StructInfo, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { compilerRejects, stdCompilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';

const target = (goarch: string): Target => ({ goos: 'linux', goarch });
const GO_MOD = 'module example.com/m\n\ngo 1.26\n';

function layoutOf(structs: StructInfo[], name: string, goarch: string) {
  const info = structs.find((s) => s.name === name);
  assert.ok(info, `no struct ${name}`);
  const layout = info.layouts[`linux/${goarch}`];
  assert.ok(layout.size !== null, `${name} on ${goarch}: ${layout.unknown}`);
  return layout;
}

describe('proof regressions: the align64 marker type', function () {
  this.timeout(300_000);
  const go = realGoEnv();

  it('is itself 8-byte aligned, as are the atomic types holding it, on 32- and 64-bit targets', async () => {
    const engine = await Engine.create(go);
    const file = path.join(go.goroot, 'src', 'sync', 'atomic', 'type.go');
    for (const goarch of ['386', 'arm', 'amd64']) {
      const structs = engine.structsInFile(file, [target(goarch)]);
      const marker = layoutOf(structs, 'align64', goarch);
      const uint64 = layoutOf(structs, 'Uint64', goarch);
      assert.strictEqual(marker.align, 8, goarch);
      const claims: LayoutClaim[] = [
        { expr: 'unsafe.Alignof(align64{})', value: marker.align! },
        { expr: 'unsafe.Sizeof(align64{})', value: marker.size! },
        { expr: 'unsafe.Alignof(Uint64{})', value: uint64.align! },
        { expr: 'unsafe.Sizeof(Uint64{})', value: uint64.size! },
      ];
      assert.strictEqual(stdCompilerRejects(go.goroot, 'sync/atomic', 'atomic', 'linux', goarch, claims), undefined, goarch);
    }
  });
});

describe('proof regressions: [...]T{…} array lengths', function () {
  this.timeout(300_000);
  const go = realGoEnv();

  // The table's elements decide its length: positional runs, constant keys (iota-defined, out of order), nested
  // braces and comments inside the literal (which a file read from disk must keep for this).
  const SOURCE = `package m

import "unsafe"

type mode uint8

const (
	modeA mode = iota
	modeB
	modeC
	modeD
)

var names = [...]string{
	modeB: "b", // a comment
	"c",
	modeA: "a",
}

var sparse = [...]int16{7: 1, 2, 3: 4}

var rows = [...]struct{ a, b int8 }{{1, 2}, {3, 4}, {5, 6}}

var empty = [...]uint64{}

const tableBytes = unsafe.Sizeof([...]uint32{1, 2, 3})

type T struct {
	flag  bool
	names [len(names)]uint64
	sp    [len(sparse)]byte
	rows  [len(rows) * 2]uint16
	none  [len(empty)]int64
	tail  [tableBytes]byte
	after int32
}
`;

  it('count the literal\'s elements and keys, as the compiler does', async () => {
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': SOURCE });
    const engine = await Engine.create(go);
    for (const goarch of ['amd64', '386']) {
      const layout = layoutOf(engine.structsInFile(path.join(root, 'm.go'), [target(goarch)]), 'T', goarch);
      const claims: LayoutClaim[] = [
        { expr: 'unsafe.Sizeof(T{})', value: layout.size! },
        ...layout.fields.map((f) => ({ expr: `unsafe.Offsetof(T{}.${f.name})`, value: f.offset! })),
      ];
      assert.strictEqual(compilerRejects(root, 'm', 'linux', goarch, claims), undefined, goarch);
    }
  });
});
