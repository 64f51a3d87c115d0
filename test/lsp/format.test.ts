import * as assert from 'assert';
import * as path from 'path';
import type { StructInfo } from '../../core/src/api';
import { fileOfUri, OpenDocuments } from '../../server/src/documents';
import { fieldOffsetsHint, paddingBeforeHint, structSizeHint, trailingPaddingHint } from '../../server/src/format/hints';
import { cacheLinesSpanned, crossesCacheLine, fieldHover, structHover } from '../../server/src/format/hover';
import { groupTargets, labelGroups } from '../../server/src/format/targetGroups';
import { parseSettings } from '../../server/src/settings';
import { compilerRejects } from '../support/compilerCheck';
import { writeModule } from '../support/goModule';
import { factFor, FIXTURE_FACTS, FIXTURE_SOURCE, fixtureStruct, FOUR_TARGETS, linux } from './fixtures';

describe('layout fixtures', function () {
  this.timeout(120000);

  it('fixture layouts agree with the go compiler on amd64, arm64, 386 and arm', () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': FIXTURE_SOURCE });
    for (const target of FOUR_TARGETS) {
      const claims = Object.keys(FIXTURE_FACTS).flatMap((name) => {
        const fact = factFor(name, target.goarch);
        return [
          { expr: `unsafe.Sizeof(${name}{})`, value: fact.size },
          { expr: `unsafe.Alignof(${name}{})`, value: fact.align },
          ...fact.fields.flatMap((f) => [
            { expr: `unsafe.Offsetof(${name}{}.${f.name})`, value: f.offset },
            { expr: `unsafe.Sizeof(${name}{}.${f.name})`, value: f.size },
            { expr: `unsafe.Alignof(${name}{}.${f.name})`, value: f.align },
          ]),
        ];
      });
      assert.strictEqual(compilerRejects(root, 'm', target.goos, target.goarch, claims), undefined, target.goarch);
    }
  });
});

describe('target groups', () => {
  // Pairs, not an object: JavaScript lists integer-like keys such as '386' first, whatever the written order.
  const labels = (values: [string, number][], configured = FOUR_TARGETS) => {
    const entries = values.map(([goarch, value]) => ({ target: linux(goarch), value }));
    return labelGroups(groupTargets(entries, String), configured).map((g) => [g.label, g.value]);
  };

  it('calls a split along word size 64-bit and 32-bit, 64-bit first', () => {
    assert.deepStrictEqual(labels([['386', 12], ['amd64', 16], ['arm', 12], ['arm64', 16]]), [['64-bit', 16], ['32-bit', 12]]);
  });

  it('needs no label when every configured target agrees', () => {
    assert.deepStrictEqual(labels([['amd64', 8], ['arm64', 8], ['386', 8], ['arm', 8]]), [['', 8]]);
  });

  it('names architectures when groups do not follow word size', () => {
    assert.deepStrictEqual(labels([['amd64', 24], ['arm64', 24], ['386', 20], ['arm', 16]]), [['amd64,arm64', 24], ['386', 20], ['arm', 16]]);
  });

  it('names architectures when some configured targets are missing from the groups', () => {
    assert.deepStrictEqual(labels([['amd64', 24], ['arm64', 24], ['386', 20]]), [['amd64,arm64', 24], ['386', 20]]);
    assert.deepStrictEqual(labels([['amd64', 24]]), [['amd64', 24]]);
  });

  it('spells out GOOS where one GOARCH is configured for several', () => {
    const configured = [linux('amd64'), { goos: 'darwin', goarch: 'amd64' }];
    const groups = groupTargets([{ target: configured[0], value: 1 }, { target: configured[1], value: 2 }], String);
    assert.deepStrictEqual(labelGroups(groups, configured).map((g) => g.label), ['linux/amd64', 'darwin/amd64']);
  });
});

describe('inlay hint texts', () => {
  const mixed = fixtureStruct('Mixed', FOUR_TARGETS);

  it('shows struct sizes grouped by word size', () => {
    assert.strictEqual(structSizeHint(mixed, FOUR_TARGETS)?.label, '64-bit 16 B · 32-bit 12 B');
    assert.strictEqual(structSizeHint(fixtureStruct('Pair', FOUR_TARGETS), FOUR_TARGETS)?.label, '8 B');
    assert.strictEqual(structSizeHint(mixed, FOUR_TARGETS)!.tooltip,
      '**Mixed**\n\n- linux/amd64, linux/arm64: 16 B, align 8\n- linux/386, linux/arm: 12 B, align 4');
  });

  it('shows an unknown size as ? B and gives the reason in the tooltip', () => {
    const unknown = withLayout(mixed, 'linux/arm', { size: null, align: null, trailingPadding: null, ptrBytes: null, unknown: 'field c: undefined: Missing', fields: [] });
    const hint = structSizeHint(unknown, FOUR_TARGETS)!;
    assert.strictEqual(hint.label, 'amd64,arm64 16 B · 386 12 B · arm ? B');
    assert.match(hint.tooltip, /linux\/arm: size unknown — field c: undefined: Missing/);
  });

  it('shows nothing for targets the file is not built for, and no hint when it is built for none', () => {
    const excluded = { size: null, align: null, trailingPadding: null, ptrBytes: null, fields: [], unknown: 'not built', excluded: true };
    const armless = withLayout(mixed, 'linux/arm', excluded);
    assert.strictEqual(structSizeHint(armless, FOUR_TARGETS)?.label, 'amd64,arm64 16 B · 386 12 B');
    const nowhere = FOUR_TARGETS.reduce((s, t) => withLayout(s, `${t.goos}/${t.goarch}`, excluded), mixed);
    assert.strictEqual(structSizeHint(nowhere, FOUR_TARGETS), undefined);
  });

  it('shows field offsets as 64-bit/32-bit, one value when all agree, named when a line declares several', () => {
    assert.strictEqual(fieldOffsetsHint(mixed, [0], FOUR_TARGETS)?.label, '@0');
    assert.strictEqual(fieldOffsetsHint(mixed, [1], FOUR_TARGETS)?.label, '@8/@4');
    assert.strictEqual(fieldOffsetsHint(mixed, [1], FOUR_TARGETS)?.tooltip,
      '- linux/amd64, linux/arm64: **b** offset 8, size 8, align 8\n- linux/386, linux/arm: **b** offset 4, size 8, align 4');
    assert.strictEqual(fieldOffsetsHint(fixtureStruct('Pair', FOUR_TARGETS), [0, 1], FOUR_TARGETS)?.label, 'a @0, b @4');
    const amd64And386 = [linux('386'), linux('amd64')];
    assert.strictEqual(fieldOffsetsHint(fixtureStruct('Mixed', amd64And386), [1], amd64And386)?.label, '@8/@4');
  });

  it('shows padding on the targets that have it', () => {
    assert.strictEqual(paddingBeforeHint(mixed, 0, FOUR_TARGETS), undefined);
    const hint = paddingBeforeHint(mixed, 1, FOUR_TARGETS)!;
    assert.strictEqual(hint.label, '+4 B pad (64-bit)');
    assert.match(hint.tooltip, /Padding before b/);
    assert.strictEqual(trailingPaddingHint(mixed, FOUR_TARGETS), undefined);
    assert.strictEqual(trailingPaddingHint(fixtureStruct('Trailing', FOUR_TARGETS), FOUR_TARGETS)?.label, '+8 B pad (64-bit) · +4 B pad (32-bit)');
  });
});

describe('hover texts', () => {
  it('finds fields that straddle a cache line of the given size', () => {
    assert.strictEqual(crossesCacheLine(60, 8, 64), true);
    assert.strictEqual(crossesCacheLine(64, 8, 64), false);
    assert.strictEqual(crossesCacheLine(56, 8, 64), false);
    assert.strictEqual(crossesCacheLine(64, 0, 64), false);
    assert.strictEqual(crossesCacheLine(124, 8, 128), true);
    assert.strictEqual(crossesCacheLine(60, 8, 128), false);
    assert.deepStrictEqual([0, 1, 64, 65, 128].map((s) => cacheLinesSpanned(s, 64)), [0, 1, 1, 2, 2]);
    assert.deepStrictEqual([0, 1, 64, 65, 129].map((s) => cacheLinesSpanned(s, 128)), [0, 1, 1, 1, 2]);
  });

  it('tabulates a struct per target', () => {
    const text = structHover(fixtureStruct('Straddle', FOUR_TARGETS), FOUR_TARGETS);
    assert.match(text, /^\*\*type Straddle struct\*\* — layout per target/);
    assert.ok(text.includes('| target | size | align | padding | trailing padding | cache lines | pointer bytes | new(T) on the heap |'), text);
    // Each target counts the lines its runtime pads to: 64 B on amd64 and 386, 128 B on arm64, 32 B on arm.
    assert.ok(text.includes('| linux/amd64 | 72 B | 8 | 4 B | 0 B | 2 (64 B lines) | 0 B | 80 B class |'), text);
    assert.ok(text.includes('| linux/arm64 | 72 B | 8 | 4 B | 0 B | 1 (128 B lines) | 0 B | 80 B class |'), text);
    assert.ok(text.includes('| linux/arm | 68 B | 4 | 0 B | 0 B | 3 (32 B lines) | 0 B | 80 B class |'), text);
  });

  it('tabulates a field per target, with cache-line crossings', () => {
    const text = fieldHover(fixtureStruct('Straddle', FOUR_TARGETS), 1, FOUR_TARGETS);
    assert.ok(text.startsWith('**b** `int64` in **Straddle**'), text);
    assert.ok(text.includes('| linux/arm64 | 64 | 8 B | 8 | 4 B | 0 B | no (128 B lines) |'), text);
    assert.ok(text.includes('| linux/386 | 60 | 8 B | 4 | 0 B | 0 B | yes (64 B lines) |'), text);
    assert.ok(text.includes('| linux/arm | 60 | 8 B | 4 | 0 B | 0 B | yes (32 B lines) |'), text);
  });

  it('says unknown, with the reason, for what the engine cannot lay out', () => {
    const mixed = fixtureStruct('Mixed', FOUR_TARGETS);
    const reason = 'field b: cannot find package "example.com/x"';
    const unknown = withLayout(mixed, 'linux/386', {
      size: null, align: null, trailingPadding: null, ptrBytes: null, unknown: reason,
      fields: [
        { name: 'a', offset: 0, size: 4, align: 4, paddingBefore: 0, ptrBytes: 0 },
        { name: 'b', offset: null, size: null, align: null, paddingBefore: null, ptrBytes: null, unknown: reason },
      ],
    });
    const structText = structHover(unknown, FOUR_TARGETS);
    assert.ok(structText.includes('| linux/386 | unknown | unknown | unknown | unknown | unknown | unknown | unknown |'), structText);
    assert.ok(structText.includes('- linux/386: unknown — field b: cannot find package "example\\.com/x"'), structText);
    const fieldText = fieldHover(unknown, 1, FOUR_TARGETS);
    assert.ok(fieldText.includes('| linux/386 | unknown | unknown | unknown | unknown | unknown | unknown |'), fieldText);
  });
});

describe('settings', () => {
  it('drops invalid and repeated targets, reporting each invalid one', () => {
    const { settings, problems } = parseSettings({ targets: ['linux/amd64', 'linux/x86', 'linux/amd64', 7, 'plan9/386'] });
    assert.deepStrictEqual(settings.targets, [linux('amd64'), { goos: 'plan9', goarch: '386' }]);
    assert.deepStrictEqual(problems, ['"x86" is not a GOARCH the gc compiler supports', '7 is not a "GOOS/GOARCH" string']);
  });

  it('falls back to the default targets and hint switches', () => {
    const { settings } = parseSettings({ targets: ['bogus'], inlayHints: { fieldOffsets: true, padding: 'yes' } });
    assert.deepStrictEqual(settings.targets, FOUR_TARGETS);
    assert.deepStrictEqual(settings.hints, { structSize: true, fieldOffsets: true, padding: true });
  });
});

describe('open documents', () => {
  it('turns whole-text changes into ranged edits against the text they replace', () => {
    const docs = new OpenDocuments();
    docs.open('file:///a.go', 1, 'package a\n\nvar x = 1\n');
    const edits = docs.change('file:///a.go', 2, [
      { range: { start: { line: 2, character: 8 }, end: { line: 2, character: 9 } }, text: '22' },
      { text: 'package b\n' },
    ]);
    assert.deepStrictEqual(edits[1].range, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } });
    assert.strictEqual(docs.get('file:///a.go')?.getText(), 'package b\n');
  });

  it('maps file and untitled URIs to paths', () => {
    assert.strictEqual(fileOfUri('file:///tmp/my%20dir/a.go'), path.join('/tmp', 'my dir', 'a.go'));
    assert.match(fileOfUri('untitled:Untitled-1')!, /go-arch-lens-untitled[/\\]Untitled-1\.go$/);
    assert.strictEqual(fileOfUri('git:/tmp/a.go'), undefined);
  });
});

function withLayout(struct: StructInfo, key: string, layout: StructInfo['layouts'][string]): StructInfo {
  return { ...struct, layouts: { ...struct.layouts, [key]: layout } };
}
