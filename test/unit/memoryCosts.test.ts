// Pointer bytes and heap costs of the engine against the compiler and the runtime, on every gc GOARCH: the
// fixture types are built into a probe for each target and run there (test/support/runtimeProbe.ts says how).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { StructInfo, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { heapCost } from '../../core/src/layout/memoryCosts';
import { GC_ARCHES, targetKey } from '../../core/src/targets';
import { structHover } from '../../server/src/format/hover';
import { realGoEnv, writeModule } from '../support/goModule';
import { probeTypes } from '../support/runtimeProbe';

const FIXTURE = fs.readFileSync(path.join(__dirname, '../../../test/fixtures/costs/types.go'), 'utf8');

describe('pointer bytes and heap size classes', function () {
  // 14 cross builds and runs under qemu-user-static; each takes seconds, more on a busy machine.
  this.timeout(20 * 60 * 1000);
  const targets: Target[] = GC_ARCHES.map((goarch) => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch }));
  let structs: StructInfo[];

  before(async () => {
    const engine = await Engine.create(realGoEnv());
    const root = writeModule({ 'go.mod': 'module probe\n\ngo 1.26\n', 'types.go': FIXTURE });
    structs = engine.structsInFile(path.join(root, 'types.go'), targets).filter((s) => !s.generic);
    assert.ok(structs.length >= 15);
  });

  for (const goarch of GC_ARCHES) {
    it(`match what the compiler and runtime do on ${goarch}`, () => {
      const target = targets.find((t) => t.goarch === goarch)!;
      const probed = probeTypes(FIXTURE, structs.map((s) => s.name), goarch);
      const mismatches: string[] = [];
      for (const struct of structs) {
        const layout = struct.layouts[targetKey(target)];
        const real = probed.get(struct.name)!;
        if (layout.size === null || layout.ptrBytes === null) {
          mismatches.push(`${struct.name}: engine does not know (${layout.unknown ?? layout.ptrBytesUnknown})`);
          continue;
        }
        const cost = heapCost(layout.size, layout.ptrBytes, goarch)!;
        const engine = `${layout.size} ${layout.ptrBytes} ${cost.kind} ${cost.bytes}`;
        const runtime = `${real.size} ${real.ptrBytes} ${real.heapKind} ${real.heapBytes}`;
        if (engine !== runtime) mismatches.push(`${struct.name}: engine ${engine}, runtime ${runtime} (size ptrBytes kind bytes)`);
      }
      assert.deepStrictEqual(mismatches, []);
      // The cases the fixture is there for really happened on this target.
      const word = goarch === '386' || goarch === 'arm' || goarch.startsWith('mips') && !goarch.startsWith('mips64') ? 4 : 8;
      assert.deepStrictEqual(probed.get('Bytes25'), { size: 25, ptrBytes: 0, heapKind: 'small', heapBytes: 32 });
      assert.strictEqual(probed.get('Tiny')!.heapKind, 'tiny');
      assert.strictEqual(probed.get('Empty')!.heapKind, 'zero');
      assert.strictEqual(probed.get('AtTheEdge')!.heapKind, 'large');
      assert.strictEqual(probed.get('JustSmall')!.heapBytes, 32768);
      assert.strictEqual(probed.get('HeaderOn32Bit')!.heapBytes, word === 4 ? 176 : 160);
      // The hover shows the same figures.
      const hover = structHover(structs.find((s) => s.name === 'HeaderOn32Bit')!, [target]);
      const header = word === 4 ? ' (8 B header)' : '';
      assert.ok(hover.includes(`| ${word} B | ${probed.get('HeaderOn32Bit')!.heapBytes} B class${header} |`), hover);
      const large = probed.get('LargePointers')!;
      assert.ok(structHover(structs.find((s) => s.name === 'LargePointers')!, [target])
        .includes(`| ${word} B | large object (${large.heapBytes / 8192} pages, ${large.heapBytes} B) |`));
    });
  }

  it('says pointer bytes are unknown, and why, where std types come from the built-in table', async () => {
    const engine = await Engine.create();
    const root = writeModule({ 'go.mod': 'module m\n\ngo 1.26\n', 'm.go': 'package m\n\nimport "time"\n\ntype T struct {\n\tn int\n\tat time.Time\n}\n' });
    const amd64 = { goos: 'linux', goarch: 'amd64' };
    const [struct] = engine.structsInFile(path.join(root, 'm.go'), [amd64]);
    const layout = struct.layouts['linux/amd64'];
    assert.strictEqual(layout.size, 32);
    assert.strictEqual(layout.ptrBytes, null);
    assert.match(layout.ptrBytesUnknown ?? '', /field at: pointer bytes of time\.Time are not in the built-in table/);
    const hover = structHover(struct, [amd64]);
    assert.ok(hover.includes('| 32 B | 8 | 0 B | 0 B | 1 (64 B lines) | unknown | unknown |'), hover);
    assert.match(hover, /pointer bytes unknown — field at: pointer bytes of time\\.Time/);
  });
});
