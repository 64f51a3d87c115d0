// The Memory Layout view's request (goArchLens/memoryLayout) against the bundled server: the model it answers is
// what the view draws, so every offset, size and reordered layout in it is checked with the real compiler.
import * as assert from 'assert';
import * as path from 'path';
import { CodeActionRequest, type CodeAction, type InlayHint, type InlayHintLabelPart, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { heapCost, heapCostText } from '../../core/src/layout/memoryCosts';
import { MEMORY_LAYOUT_METHOD, type MemoryLayoutModel, type ViewLayout } from '../../server/src/layoutViewProtocol';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';
import { probeTypes } from '../support/runtimeProbe';
import { hoverText, LspTestClient } from './lspClient';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
const SOURCE = `package m

// Loose wastes bytes between its fields on every target.
type Loose struct {
	a    bool
	b    int64
	c, d bool
	p    *int
	e    int32
}

func use() {}
`;
const ARCHES = ['amd64', 'arm64', '386', 'arm'];
const TARGETS = ARCHES.map((a) => `linux/${a}`);

function lineOf(text: string): number {
  const line = SOURCE.split('\n').findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${text} not in the source`);
  return line;
}

/** The struct `Loose` redeclared as `name` with its fields in `order`, for the compiler to lay out. */
function reorderedDecl(model: MemoryLayoutModel, order: number[], name: string): string {
  const fields = order.map((i) => `\t${model.struct.fields[i].name} ${model.struct.fields[i].typeText}`);
  return `type ${name} struct {\n${fields.join('\n')}\n}\n`;
}

/** Compiler claims that `typeName` has `layout`, its fields named (in the layout's order) by `names`. */
function layoutClaims(typeName: string, layout: ViewLayout, names: string[]): LayoutClaim[] {
  return [
    { expr: `unsafe.Sizeof(${typeName}{})`, value: layout.size! },
    ...layout.offsets.map((offset, i) => ({ expr: `unsafe.Offsetof(${typeName}{}.${names[i]})`, value: offset })),
    ...layout.sizes.map((size, i) => ({ expr: `unsafe.Sizeof(${typeName}{}.${names[i]})`, value: size })),
  ];
}

function applyEdits(text: string, edit: WorkspaceEdit): string {
  const edits: TextEdit[] = edit.documentChanges
    ? edit.documentChanges.flatMap((c) => ('edits' in c ? c.edits.filter((e): e is TextEdit => 'newText' in e) : []))
    : Object.values(edit.changes ?? {}).flat();
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((x, y) => offsetOf(y.range.start) - offsetOf(x.range.start))
    .reduce((t, e) => t.slice(0, offsetOf(e.range.start)) + e.newText + t.slice(offsetOf(e.range.end)), text);
}

describe('Memory Layout request (goArchLens/memoryLayout)', function () {
  this.timeout(120_000);
  const go = realGoEnv();
  let client: LspTestClient;
  let root: string;
  let uri: string;

  const request = (line: number, character = 2) =>
    client.connection.sendRequest<MemoryLayoutModel | null>(MEMORY_LAYOUT_METHOD, { textDocument: { uri }, position: { line, character } });

  beforeEach(async () => {
    root = writeModule({ 'go.mod': GO_MOD, 'm.go': SOURCE });
    client = await LspTestClient.start({
      settings: { targets: TARGETS },
      initializationOptions: { goroot: go.goroot, gomodcache: go.gomodcache, trusted: true },
    });
    uri = await client.open(path.join(root, 'm.go'), SOURCE);
  });

  afterEach(async () => {
    await client?.stop();
  });

  it('answers, for a position inside a struct, each target\'s layout as the compiler lays it out', async () => {
    const model = await request(lineOf('p    *int'));
    assert.ok(model, 'no model for a position inside Loose');
    assert.strictEqual(model.struct.name, 'Loose');
    assert.deepStrictEqual(model.struct.fields.map((f) => f.name), ['a', 'b', 'c', 'd', 'p', 'e']);
    assert.deepStrictEqual(model.targets.map((t) => t.target), TARGETS);
    for (const target of model.targets) {
      const arch = target.target.split('/')[1];
      assert.strictEqual(target.wordSize, ['386', 'arm'].includes(arch) ? 4 : 8, `word of ${arch}`);
      assert.strictEqual(target.layout.offsets.length, model.struct.fields.length, `every field is known on ${arch}`);
      const claims = layoutClaims('Loose', target.layout, model.struct.fields.map((f) => f.name));
      assert.strictEqual(compilerRejects(root, 'm', 'linux', arch, claims), undefined, `compiler disagrees on ${arch}`);
    }
    // What new(Loose) takes on the heap per target: core's size-class decision (checked against the runtime's
    // tables by test/unit/runtimeTables.test.ts) from the size and pointer bytes above.
    for (const target of model.targets) {
      const cost = heapCost(target.layout.size!, target.layout.ptrBytes!, target.target.split('/')[1]);
      assert.ok(cost && target.layout.ptrBytes! > 0, `${target.target}: Loose holds a pointer`);
      assert.strictEqual(target.heapCost, heapCostText(cost), target.target);
    }
    // The name line and the closing brace belong to the struct too; a line outside it does not.
    assert.strictEqual((await request(lineOf('type Loose')))?.struct.name, 'Loose');
    assert.strictEqual((await request(lineOf('\te    int32') + 1, 0))?.struct.name, 'Loose');
    assert.strictEqual(await request(lineOf('func use')), null);
  });

  it('offers each goal of the reorder refactoring: its layouts and pointer bytes as the compiler has them, its edit the code action\'s', async () => {
    const model = await request(lineOf('a    bool'));
    assert.ok(model, 'no model for Loose');
    // Loose is smaller reordered, and its pointer p first leaves fewer bytes to scan: both goals are offered.
    assert.deepStrictEqual(model.reorders.map((r) => r.goal), ['smallest', 'smallest-then-pointers']);
    const names = model.struct.fields.map((f) => f.name);
    const typeNames = model.reorders.map((r) => `Loose_${r.goal.replace(/\W/g, '_')}`);
    const source = `package main\n\n${model.reorders.map((r, i) => reorderedDecl(model, r.fieldOrder, typeNames[i])).join('\n')}`;
    const compiled = writeModule({ 'go.mod': GO_MOD, 'r.go': source.replace('package main', 'package m') });
    for (const target of model.targets) {
      const arch = target.target.split('/')[1];
      // Pointer bytes as the compiler's type descriptors have them, from a program run on the target.
      const probed = probeTypes(source, typeNames, arch);
      model.reorders.forEach((reorder, i) => {
        assert.deepStrictEqual([...reorder.fieldOrder].sort(), [0, 1, 2, 3, 4, 5], `${reorder.goal}: not a permutation`);
        const layout = reorder.layouts[target.target];
        const claims = layoutClaims(typeNames[i], layout, reorder.fieldOrder.map((f) => names[f]));
        assert.strictEqual(compilerRejects(compiled, 'm', 'linux', arch, claims), undefined, `compiler disagrees on ${arch} (${reorder.goal})`);
        assert.ok(layout.size! < target.layout.size!, `${reorder.goal} saves nothing on ${arch}: ${layout.size} vs ${target.layout.size}`);
        assert.strictEqual(layout.ptrBytes, probed.get(typeNames[i])?.ptrBytes, `pointer bytes of ${reorder.goal} on ${arch}`);
        assert.strictEqual(reorder.heapCosts[target.target], heapCostText(heapCost(layout.size!, layout.ptrBytes!, arch)!), `heap cost of ${reorder.goal} on ${arch}`);
      });
      const [smallest, leanest]: ViewLayout[] = model.reorders.map((r) => r.layouts[target.target]);
      assert.strictEqual(leanest.size, smallest.size, `the second goal keeps the smallest size on ${arch}`);
      assert.ok(leanest.ptrBytes! < smallest.ptrBytes!, `fewer pointer bytes on ${arch}: ${leanest.ptrBytes} vs ${smallest.ptrBytes}`);
    }
    // Each goal's edit is the one its code action carries, and writes the fields in its order (c and d stay one
    // declaration).
    const nameRange = { start: { line: lineOf('type Loose'), character: 5 }, end: { line: lineOf('type Loose'), character: 10 } };
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: nameRange, context: { diagnostics: [] } }) as CodeAction[];
    for (const reorder of model.reorders) {
      const action = actions.find((a) => a.title === reorder.title);
      assert.ok(action, `no code action "${reorder.title}" among ${actions.map((a) => a.title).join(' | ')}`);
      assert.deepStrictEqual(reorder.edit, action.edit, `${reorder.goal}: the view's edit is not the code action's`);
      const edited = applyEdits(SOURCE, reorder.edit);
      const body = edited.slice(edited.indexOf('type Loose struct {'), edited.indexOf('}\n', edited.indexOf('type Loose struct {')));
      const written = [...body.matchAll(/^\t(\w+(?:, \w+)*)\s/gm)].flatMap((m) => m[1].split(', '));
      assert.deepStrictEqual(written, reorder.fieldOrder.map((i) => names[i]), `${reorder.goal}: fields written`);
    }
  });

  it('follows edits: the model carries the new field and the document version', async () => {
    const at = lineOf('e    int32');
    await client.change(uri, [{ range: { start: { line: at + 1, character: 0 }, end: { line: at + 1, character: 0 } }, text: '\tz    int64\n' }]);
    const model = await request(at);
    assert.ok(model);
    assert.strictEqual(model.version, 2);
    assert.deepStrictEqual(model.struct.fields.map((f) => f.name), ['a', 'b', 'c', 'd', 'p', 'e', 'z']);
  });

  it('links the struct hover and the size hint to the view', async () => {
    const nameLine = lineOf('type Loose');
    const hover = hoverText(await client.hover(uri, nameLine, 6));
    const link = /\[Show memory layout\]\(command:goArchLens\.showMemoryLayout\?([^ )]+)/.exec(hover);
    assert.ok(link, hover);
    assert.deepStrictEqual(JSON.parse(decodeURIComponent(link[1])), [uri, { line: nameLine, character: 5 }]);
    const hints = await client.inlayHints(uri) as InlayHint[];
    const sizeHint = hints.find((h) => h.position.line === nameLine);
    const part = (sizeHint?.label as InlayHintLabelPart[] | undefined)?.[0];
    assert.deepStrictEqual(part?.command?.command, 'goArchLens.showMemoryLayout');
    assert.deepStrictEqual(part?.command?.arguments, [uri, { line: nameLine, character: 5 }]);
  });
});
