import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { StructInfo, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { MAX_USE_NESTING } from '../../core/src/model/extract';
import { compilerRejects } from '../support/compilerCheck';
import { deepSources } from '../support/deepSources';
import { writeModule } from '../support/goModule';
import { HUNG_AFTER_MS } from '../support/timeouts';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
const TARGETS: Target[] = [{ goos: 'linux', goarch: 'amd64' }, { goos: 'linux', goarch: '386' }];

function summary(structs: StructInfo[], names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => {
    const struct = structs.find((s) => s.name === name);
    assert.ok(struct, `${name} missing`);
    return [name, TARGETS.map((t) => {
      const layout = struct.layouts[`${t.goos}/${t.goarch}`];
      return layout.size === null ? `unknown (${layout.unknown})` : String(layout.size);
    }).join(' ')];
  }));
}

describe('deeply nested types', function () {
  this.timeout(300000);

  // gc's time to size such types grows exponentially with their depth (N0 60 deep: minutes), hence 14 here.
  it('lays out types nested 14 deep exactly as the compiler does', async () => {
    const root = writeModule({ 'go.mod': GO_MOD, ...deepSources(14) });
    const engine = await Engine.create();
    const structs = ['anonymous.go', 'generic.go', 'chain.go', 'consts.go'].flatMap((f) => engine.structsInFile(path.join(root, f), TARGETS));
    assert.deepStrictEqual(summary(structs, ['Deep', 'G', 'N0', 'Sized', 'Summed', 'Before', 'After']), {
      Deep: '8 8', G: '8 8', N0: '8 8', Sized: '15 15', Summed: '14 14', Before: '16 12', After: '8 8',
    });
    for (const goarch of ['amd64', '386']) {
      const claims = [['Deep', 8], ['G', 8], ['N0', 8], ['Sized', 15], ['Summed', 14], ['Before', goarch === '386' ? 12 : 16], ['After', 8]]
        .map(([name, value]) => ({ expr: `unsafe.Sizeof(${name}{})`, value: value as number }));
      assert.strictEqual(compilerRejects(root, 'm', 'linux', goarch, claims), undefined, goarch);
    }
  });

  it('says "nested deeper than 200 levels" for types nested 5,000 deep and lays out the rest of each file', async () => {
    const root = writeModule({ 'go.mod': GO_MOD, ...deepSources(5000) });
    const engine = await Engine.create();
    const structs = ['anonymous.go', 'generic.go', 'chain.go', 'consts.go'].flatMap((f) => engine.structsInFile(path.join(root, f), TARGETS));
    const tooDeep = (field: string) => `unknown (field ${field}: nested deeper than 200 levels) unknown (field ${field}: nested deeper than 200 levels)`;
    assert.deepStrictEqual(summary(structs, ['Deep', 'G', 'N0', 'N5000', 'Summed', 'Before', 'After', 'AfterG', 'AfterN', 'AfterC']), {
      Deep: tooDeep('x'), G: tooDeep('w'), N0: tooDeep('next'), N5000: '8 8', Before: '16 12',
      Summed: `unknown (field a: array length: \`${'1+'.repeat(20)}… (nested deeper than 200 levels)\` is not a constant the engine can evaluate) `.repeat(2).trim(),
      After: '8 8', AfterG: '8 8', AfterN: '8 8', AfterC: '8 8',
    });
    assert.match(summary(structs, ['Sized']).Sized, /^unknown \(field a: array length: constant C\d+: nested deeper than 200 levels\)/);
    assert.deepStrictEqual(engine.syntaxErrors(path.join(root, 'anonymous.go')), []);
  });

  it('node dist/cli.js layout on the 5,000-deep files exits 0 with every other struct laid out', () => {
    const root = writeModule({ 'go.mod': GO_MOD, ...deepSources(5000) });
    const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
    const spawned = spawnSync(process.execPath, [cli, 'layout', '--goarch', 'amd64', '.'], { cwd: root, encoding: 'utf8', timeout: HUNG_AFTER_MS, maxBuffer: 64 << 20 });
    assert.strictEqual(spawned.status, 0, spawned.stderr);
    assert.doesNotMatch(spawned.stderr, /RangeError|call stack/);
    for (const name of ['After', 'AfterG', 'AfterN', 'AfterC']) assert.match(spawned.stdout, new RegExp(`: ${name}\\n  amd64: size 8, align 4, 3 B padding`));
    assert.match(spawned.stdout, /: Deep\n {2}amd64: unknown \(field x: nested deeper than 200 levels\)/);
    // Deep's body is the outermost struct type; the anonymous ones inside it are listed down to the bound.
    assert.strictEqual(spawned.stdout.match(/ \(anonymous struct\)\n/g)?.length, MAX_USE_NESTING - 1);
  });
});
