// Anonymous struct types (`struct{…}` as a field's or variable's type, a function's test table, nested ones) over
// LSP against the bundled server: hints, hovers and the Memory Layout view show them like named structs, and every
// number they show is checked with the real compiler on each target.
import * as assert from 'assert';
import * as path from 'path';
import { PublishDiagnosticsNotification, type Diagnostic, type InlayHint, type InlayHintLabelPart } from 'vscode-languageserver-protocol';
import { MEMORY_LAYOUT_METHOD, type MemoryLayoutModel, type ViewLayout } from '../../server/src/layoutViewProtocol';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';
import { hoverText, labelOf, LspTestClient } from './lspClient';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
const ARCHES = ['amd64', '386', 'arm64', 'arm', 'mips64'];
const TARGETS = ARCHES.map((a) => `linux/${a}`);
// The compiler's verdict per target stays off: the fieldorder finding is what these tests look at.
const SETTINGS = { targets: TARGETS, inlayHints: { structSize: true, fieldOffsets: true, padding: true }, build: { enable: false },
  diagnostics: { fieldOrderHints: true } };

// The function-local table is checked in place: its assertions compare with constants (want.go) written from the
// server's answers. They are `[1]struct{}{}` literals themselves, fieldless, so no hint shows for them.
export const SOURCE = `package m

import "unsafe"

type Outer struct {
	flag  bool
	inner struct {
		a    int8
		b    int64
		deep struct {
			c int16
			d int32
		}
	}
	done chan struct{}
}

var global struct {
	x uint8
	y [3]uint64
	z int16
}

func tables() int {
	tests := []struct {
		name string
		ok   bool
		n    int64
	}{{"a", true, 1}}
	var _ = [1]struct{}{}[unsafe.Sizeof(tests[0])-wantTests]
	var _ = [1]struct{}{}[unsafe.Offsetof(tests[0].ok)-wantTestsOk]
	var _ = [1]struct{}{}[unsafe.Offsetof(tests[0].n)-wantTestsN]
	return len(tests)
}
`;

function lineOf(text: string): number {
  const line = SOURCE.split('\n').findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${text} not in the source`);
  return line;
}

/** Where `text` starts on its line. */
function at(text: string, offset = 0): { line: number; character: number } {
  const line = lineOf(text);
  return { line, character: SOURCE.split('\n')[line].indexOf(text) + offset };
}

/** The cells of a hover table's row for `target`, after the target column. */
function row(markdown: string, target: string): string[] {
  const found = markdown.split('\n').find((l) => l.startsWith(`| ${target} |`));
  assert.ok(found, `no row for ${target} in\n${markdown}`);
  return found.split('|').slice(2, -1).map((c) => c.trim());
}

/** A number from a cell such as `24 B` or `8`. */
function num(cell: string): number {
  const n = /^(\d+)( B)?$/.exec(cell);
  assert.ok(n, `not a number: ${cell}`);
  return Number(n[1]);
}

describe('anonymous struct types over LSP', function () {
  this.timeout(300_000);
  const go = realGoEnv();
  let client: LspTestClient;
  let root: string;
  let uri: string;
  let diagnostics: Diagnostic[] = [];

  beforeEach(async () => {
    root = writeModule({ 'go.mod': GO_MOD, 'm.go': SOURCE, 'want.go': 'package m\n\nconst wantTests, wantTestsOk, wantTestsN = 0, 0, 0\n' });
    client = await LspTestClient.start({ settings: SETTINGS, initializationOptions: { goroot: go.goroot, gomodcache: go.gomodcache, trusted: true } });
    diagnostics = [];
    client.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      if (p.uri === uri) diagnostics = p.diagnostics;
    });
    uri = await client.open(path.join(root, 'm.go'), SOURCE);
  });

  afterEach(async () => {
    await client?.stop();
  });

  const hover = async (p: { line: number; character: number }) => hoverText(await client.hover(uri, p.line, p.character));

  it('hovers every anonymous struct and its fields with the sizes and offsets the compiler gives', async () => {
    // On the `struct` keyword: the struct itself, titled with the field or variable it is the type of.
    const inner = await hover(at('inner struct', 7));
    const deep = await hover(at('deep struct', 6));
    const global = await hover(at('var global struct', 12));
    const tests = await hover(at('[]struct', 3));
    assert.ok(inner.startsWith('**struct{…} of Outer\\.inner** — layout per target'), inner);
    assert.ok(deep.startsWith('**struct{…} of Outer\\.inner\\.deep**'), deep);
    assert.ok(global.startsWith('**struct{…} of global**'), global);
    assert.ok(tests.startsWith('**struct{…} of tables\\.tests**'), tests);
    // A variable's name also hovers its anonymous struct type (toolchain tag lines left out: go list's answer may
    // replace the table's between the two hovers).
    const withoutTags = (md: string) => md.split('\n').filter((l) => !l.includes('toolchain tags')).join('\n');
    assert.strictEqual(withoutTags(await hover(at('global', 2))), withoutTags(global));
    // Fields of anonymous structs, nested ones too; the field holding one is a field of the outer struct.
    const b = await hover(at('b    int64'));
    const d = await hover(at('d int32'));
    const y = await hover(at('y [3]uint64'));
    const ok = await hover(at('ok   bool'));
    const innerField = await hover(at('inner struct'));
    assert.ok(b.startsWith('**b** `int64` in **Outer\\.inner**'), b);
    assert.ok(d.startsWith('**d** `int32` in **Outer\\.inner\\.deep**'), d);
    assert.ok(innerField.startsWith('**inner** `struct {'), innerField);
    assert.ok(innerField.includes('in **Outer**'), innerField);

    for (const goarch of ARCHES) {
      const key = `linux/${goarch}`;
      const size = (md: string) => num(row(md, key)[0]);
      const offset = (md: string) => num(row(md, key)[0]);
      const claims: LayoutClaim[] = [
        { expr: 'unsafe.Sizeof(Outer{}.inner)', value: size(inner) },
        { expr: 'unsafe.Alignof(Outer{}.inner)', value: num(row(inner, key)[1]) },
        { expr: 'unsafe.Offsetof(Outer{}.inner)', value: offset(innerField) },
        { expr: 'unsafe.Offsetof(Outer{}.inner.b)', value: offset(b) },
        { expr: 'unsafe.Sizeof(Outer{}.inner.deep)', value: size(deep) },
        { expr: 'unsafe.Offsetof(Outer{}.inner.deep.d)', value: offset(d) },
        { expr: 'unsafe.Sizeof(global)', value: size(global) },
        { expr: 'unsafe.Alignof(global)', value: num(row(global, key)[1]) },
        { expr: 'unsafe.Offsetof(global.y)', value: offset(y) },
      ];
      const wants = `package m\n\nconst wantTests, wantTestsOk, wantTestsN = ${size(tests)}, ${offset(ok)}, ${offset(await hover(at('n    int64')))}\n`;
      const checked = writeModule({ 'go.mod': GO_MOD, 'm.go': SOURCE, 'want.go': wants });
      assert.strictEqual(compilerRejects(checked, 'm', 'linux', goarch, claims), undefined, `compiler disagrees on ${goarch}`);
    }
  });

  it('shows size hints after the struct keyword and offsets on the fields, as for named structs', async () => {
    const hints = (await client.inlayHints(uri) as InlayHint[]).map((h) => `${h.position.line}:${h.position.character} ${labelOf(h)}`);
    // The figures are those the hover test above proves with the compiler.
    assert.deepStrictEqual(hints, [
      // type Outer: its own hints, `inner` and `done` at their offsets in Outer.
      '4:10 64-bit 40 B · 32-bit 28 B', '5:11 @0', '6:15 @8/@4', '14:19 @32/@24', '5:11 +7 B pad (64-bit) · +3 B pad (32-bit)',
      // inner (after `struct`), its fields, then deep nested in it.
      '6:13 64-bit 24 B · 32-bit 20 B', '7:11 @0', '8:12 @8/@4', '9:15 @16/@12', '7:11 +7 B pad (64-bit) · +3 B pad (32-bit)',
      '9:13 8 B', '10:10 @0', '11:10 @4', '10:10 +2 B pad',
      // var global.
      '17:17 64-bit 40 B · 32-bit 32 B', '18:8 @0', '19:12 @8/@4', '20:8 @32/@28',
      '18:8 +7 B pad (64-bit) · +3 B pad (32-bit)', '20:8 +6 B pad (64-bit) · +2 B pad (32-bit)',
      // tests := []struct{…} in a function.
      '24:18 64-bit 32 B · 32-bit 20 B', '25:13 @0', '26:11 @16/@8', '27:12 @24/@12',
      '26:11 +7 B pad (64-bit) · +3 B pad (32-bit)',
    ]);
    // A screenful inside the function answers its table only, computed for those lines.
    const table = await client.inlayHints(uri, { start: { line: lineOf('tests :='), character: 0 }, end: { line: lineOf('}{{'), character: 0 } });
    assert.deepStrictEqual((table ?? []).map((h) => h.position.line), [24, 25, 26, 27, 26]);
    // Ctrl/Cmd+click on the size hint opens the Memory Layout view at the struct keyword.
    const sizeHint = (await client.inlayHints(uri) as InlayHint[]).find((h) => h.position.line === lineOf('tests :=') && typeof h.label !== 'string');
    const part = (sizeHint?.label as InlayHintLabelPart[] | undefined)?.[0];
    assert.deepStrictEqual(part?.command?.arguments, [uri, at('[]struct', 2)]);
  });

  it('follows the cursor into anonymous structs in the Memory Layout view, with the reorder the fix makes', async () => {
    const request = (p: { line: number; character: number }) =>
      client.connection.sendRequest<MemoryLayoutModel | null>(MEMORY_LAYOUT_METHOD, { textDocument: { uri }, position: p });
    assert.strictEqual((await request(at('flag  bool')))?.struct.name, 'Outer');
    assert.strictEqual((await request(at('a    int8')))?.struct.name, 'Outer.inner');
    assert.strictEqual((await request(at('c int16')))?.struct.name, 'Outer.inner.deep');
    assert.strictEqual((await request(at('done chan')))?.struct.name, 'Outer', 'the closing lines of inner belong to Outer again');
    const tests = await request(at('ok   bool'));
    assert.deepStrictEqual(tests?.struct.fields.map((f) => f.name), ['name', 'ok', 'n']);
    // global wastes bytes: the view offers the fieldorder fix's order, laid out per target as the compiler does.
    const model = await request(at('x uint8'));
    const reorder = model?.reorders.find((r) => r.goal === 'smallest');
    assert.ok(model && reorder, `no reorder for global: ${JSON.stringify(model)}`);
    assert.strictEqual(model.struct.name, 'global');
    const names = reorder.fieldOrder.map((i) => model.struct.fields[i].name);
    const fields = reorder.fieldOrder.map((i) => `\t${model.struct.fields[i].name} ${model.struct.fields[i].typeText}`);
    const compiled = writeModule({ 'go.mod': GO_MOD, 'r.go': `package m\n\nvar reordered struct {\n${fields.join('\n')}\n}\n` });
    for (const target of model.targets) {
      const goarch = target.target.split('/')[1];
      const layout: ViewLayout = reorder.layouts[target.target];
      assert.ok(layout.size! < target.layout.size!, `no saving on ${goarch}`);
      assert.strictEqual(layout.offsets.length, names.length, `offsets on ${goarch}`);
      const claims: LayoutClaim[] = [
        { expr: 'unsafe.Sizeof(reordered)', value: layout.size! },
        ...layout.offsets.map((offset, i) => ({ expr: `unsafe.Offsetof(reordered.${names[i]})`, value: offset })),
      ];
      assert.strictEqual(compilerRejects(compiled, 'm', 'linux', goarch, claims), undefined, `compiler disagrees on ${goarch}`);
    }
    // The fix's finding sits on the struct keyword, where the size hint and hover are, and starts from their size.
    const isFieldOrder = (d: Diagnostic) => d.message.includes('reordering the fields') && d.range.start.line === lineOf('var global');
    await client.waitFor('the fieldorder finding', () => diagnostics.some(isFieldOrder));
    const finding = diagnostics.find(isFieldOrder)!;
    assert.deepStrictEqual(finding.range.start, at('var global struct', 11));
    const amd64 = model.targets.find((t) => t.target === 'linux/amd64')!;
    assert.ok(finding.message.includes(`(${amd64.layout.size} → ${reorder.layouts['linux/amd64'].size} B)`), finding.message);
  });
});
