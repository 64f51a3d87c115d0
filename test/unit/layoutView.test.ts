// The Memory Layout view's drawing plan, SVG export and page, from the real engine's layouts (which the compiler
// suite and test/lsp/memoryLayout.test.ts check against gc): what the webview draws must tile each layout exactly.
import * as assert from 'assert';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { fieldOrder } from '../../core/src/analysis/analyzers/fieldOrder';
import { Engine } from '../../core/src/engine';
import { cacheLineSize } from '../../core/src/layout/memoryCosts';
import { GC_ARCHES, targetKey } from '../../core/src/targets';
import { layoutViewHtml } from '../../client/src/layoutView/html';
import { drawnSpans, MIN_CELL_PX, MIN_SPAN_PX, planOf, rowSummary, scaleFor, straddlesLine, type PlannedRow } from '../../client/src/layoutView/renderPlan';
import { svgOf } from '../../client/src/layoutView/svgExport';
import { memoryLayoutAt } from '../../server/src/memoryLayout';
import type { MemoryLayoutModel, ViewLayout } from '../../server/src/layoutViewProtocol';
import { bigStructSource } from '../support/bigStruct';
import { writeModule } from '../support/goModule';

const T = (goarch: string): Target => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch });
const FOUR = ['amd64', 'arm64', '386', 'arm'].map(T);
const ALL = GC_ARCHES.map(T);

const SOURCE = `package m

type Wide struct {
	flag  bool
	head  [60]byte
	tail  [8]byte
	count int64
	name  string
	ok    bool
}
`;

async function modelOf(engine: Engine, source: string, targets: Target[], line: number): Promise<MemoryLayoutModel> {
  const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': source });
  const file = path.join(root, 'm.go');
  engine.openFile(file, source);
  const position = { line, character: 1 };
  const model = memoryLayoutAt({
    uri: `file://${file}`, version: 1, file, position, targets,
    structs: engine.structsInFile(file, targets, { start: position, end: position }),
    engine,
    suggestions: () => {
      const found = engine.analyzeFile(file, targets, [fieldOrder]);
      return 'error' in found ? [] : found;
    },
    editTarget: (f) => ({ uri: `file://${f}`, version: 1 }),
    documentChanges: true,
  });
  assert.ok(model, 'no model');
  return model;
}

/** Checks a row tiles [0, size) with its layout's fields (in the layout's order) and the padding between them. */
function assertTiles(row: PlannedRow, expectedFields: { index: number; offset: number; size: number }[]): void {
  let at = 0;
  for (const segment of row.segments) {
    assert.strictEqual(segment.offset, at, `${row.target} ${row.kind}: gap or overlap at ${at}`);
    at += segment.size;
  }
  assert.strictEqual(at, row.size, `${row.target}: segments end at ${at}, size ${row.size}`);
  const fields = row.segments.filter((s) => s.kind === 'field').map((s) => ({ index: s.fieldIndex!, offset: s.offset, size: s.size }));
  assert.deepStrictEqual(fields, expectedFields, `${row.target} ${row.kind} fields`);
  assert.ok(row.segments.filter((s) => s.kind === 'padding').every((s) => s.size > 0), 'empty padding segment');
}

describe('Memory Layout view plan', function () {
  this.timeout(60_000);
  let engine: Engine;
  before(async () => {
    engine = await Engine.create();
  });

  it('draws every target as fields and padding tiling the layout, with its cache lines and straddling fields', async () => {
    const model = await modelOf(engine, SOURCE, FOUR, 3);
    const plan = planOf(model, false);
    assert.deepStrictEqual(plan.rows.map((r) => r.target), FOUR.map(targetKey));
    for (const row of plan.rows) {
      const layout = model.targets.find((t) => t.target === row.target)!.layout;
      assertTiles(row, layout.offsets.map((offset, index) => ({ index, offset, size: layout.sizes[index] })));
      const line = row.cacheLine!;
      assert.strictEqual(line, cacheLineSize(row.target.split('/')[1]), `${row.target}: the runtime's line size`);
      assert.deepStrictEqual(row.lineStarts, Array.from({ length: Math.ceil(layout.size! / line) - 1 }, (_, i) => (i + 1) * line));
      assert.strictEqual(row.lineCount, Math.ceil(layout.size! / line));
      const straddling = row.segments.filter((s) => s.straddles).map((s) => model.struct.fields[s.fieldIndex!].name);
      const expected = layout.offsets.flatMap((offset, i) => (straddlesLine(offset, layout.sizes[i], row.cacheLine) ? [model.struct.fields[i].name] : []));
      assert.deepStrictEqual(straddling, expected);
      // tail ([8]byte at 61) crosses a line boundary wherever lines are 32 or 64 B, not within arm64's 128 B line.
      assert.strictEqual(straddling.includes('tail'), line <= 64, `${row.target}: tail with ${line} B lines`);
    }
    assert.strictEqual(plan.maxSize, Math.max(...model.targets.map((t) => t.layout.size!)));
    // Each row's label says what the garbage collector scans and what new(T) takes on the heap.
    for (const row of plan.rows) {
      const target = model.targets.find((t) => t.target === row.target)!;
      assert.ok(target.heapCost, `${row.target}: no heap cost`);
      assert.ok(rowSummary(row).includes(`${target.layout.ptrBytes} B pointer-scanned, new(): ${target.heapCost}`), rowSummary(row));
    }
  });

  it('adds, per target, a row per reorder goal with the bytes it saves, its pointer bytes and the same field numbering', async () => {
    const model = await modelOf(engine, SOURCE, FOUR, 3);
    // Wide is smaller reordered, and with name (a string) first the GC scans fewer bytes: both goals.
    assert.deepStrictEqual(model.reorders.map((r) => r.goal), ['smallest', 'smallest-then-pointers']);
    const plan = planOf(model, true);
    assert.deepStrictEqual(plan.reorderGoals, ['smallest', 'smallest-then-pointers']);
    assert.deepStrictEqual(plan.rows.map((r) => `${r.target} ${r.goal ?? r.kind}`),
      FOUR.flatMap((t) => [`${targetKey(t)} current`, `${targetKey(t)} smallest`, `${targetKey(t)} smallest-then-pointers`]));
    for (const row of plan.rows.filter((r) => r.kind === 'reordered')) {
      const reorder = model.reorders.find((r) => r.goal === row.goal)!;
      const reordered: ViewLayout = reorder.layouts[row.target];
      const current = model.targets.find((t) => t.target === row.target)!.layout;
      assertTiles(row, reordered.offsets.map((offset, i) => ({ index: reorder.fieldOrder[i], offset, size: reordered.sizes[i] })));
      assert.strictEqual(row.saved, current.size! - reordered.size!);
      assert.ok(row.saved! > 0, `${row.target} ${row.goal}: nothing saved`);
      // The label names the goal, the bytes saved and the pointer bytes, with the current ones where they change.
      const label = rowSummary(row);
      assert.ok(label.startsWith(`${row.target}: reordered (${row.goal === 'smallest' ? 'smallest' : 'smallest, then fewest pointer bytes'}), saves ${row.saved} B`), label);
      const was = reordered.ptrBytes === current.ptrBytes ? '' : ` (was ${current.ptrBytes} B)`;
      assert.ok(label.includes(`${reordered.ptrBytes} B pointer-scanned${was}`), label);
      // Same field, same number (hence colour): each segment is the declaration's field at the layout's offset.
      for (const segment of row.segments.filter((s) => s.kind === 'field')) {
        const at = reordered.offsets.findIndex((o, i) => o === segment.offset && reordered.sizes[i] === segment.size && reorder.fieldOrder[i] === segment.fieldIndex);
        assert.ok(at >= 0, `${row.target} ${row.goal}: segment of field ${segment.fieldIndex} at ${segment.offset}`);
      }
    }
    // Fewer pointer bytes than the smallest order, at the same size.
    for (const t of FOUR.map(targetKey)) {
      const [smallest, leanest] = model.reorders.map((r) => r.layouts[t]);
      assert.strictEqual(leanest.size, smallest.size, t);
      assert.ok(leanest.ptrBytes! < smallest.ptrBytes!, `${t}: ${leanest.ptrBytes} vs ${smallest.ptrBytes}`);
    }
    assert.ok(planOf(model, false).rows.every((r) => r.kind === 'current'));
  });

  it('keeps a 200-field struct on 14 targets to a bounded number of cells, words and lines on cell edges', async () => {
    const model = await modelOf(engine, bigStructSource(), ALL, 3);
    const plan = planOf(model, true);
    assert.strictEqual(plan.rows.filter((r) => r.kind === 'current').length, 14);
    for (const width of [400, 800, 1600]) {
      const scale = scaleFor(plan.maxSize, width);
      assert.ok(Math.ceil(plan.maxSize / scale.bytesPerCell) * MIN_CELL_PX <= width, `cells overflow ${width} px`);
      assert.ok(Number.isInteger(Math.log2(scale.bytesPerCell)), `bytes per cell ${scale.bytesPerCell}`);
      assert.ok(scale.cellWidth >= MIN_CELL_PX);
    }
    for (const row of plan.rows) assert.strictEqual(row.segments.filter((s) => s.kind === 'field').length, 200, row.target);
    // Drawn in a 600 px panel, neighbours too narrow to tell apart share one element, covering exactly their bytes.
    const scale = scaleFor(plan.maxSize, 600);
    for (const row of plan.rows) {
      const spans = drawnSpans(row, scale.pxPerByte);
      assert.ok(spans.length <= 600 / MIN_SPAN_PX + 2, `${row.target}: ${spans.length} elements for 600 px`);
      assert.deepStrictEqual(spans.flatMap((s) => (s.kind === 'cluster' ? s.members : [s])), row.segments, `${row.target}: spans lose or reorder segments`);
      for (const span of spans) {
        if (span.kind !== 'cluster') continue;
        assert.ok(span.members.length > 1 && span.members.every((m) => m.size * scale.pxPerByte < MIN_SPAN_PX));
      }
    }
    // At one cell per byte nothing is merged.
    const small = planOf(await modelOf(engine, SOURCE, FOUR, 3), false);
    const smallScale = scaleFor(small.maxSize, 800);
    assert.ok(small.rows.every((r) => drawnSpans(r, smallScale.pxPerByte).length === r.segments.length));
    // One cell per byte while that fits.
    assert.strictEqual(scaleFor(16, 800).bytesPerCell, 1);
  });

  it('exports an SVG with a shape per segment and a mark per cache-line boundary, names escaped', async () => {
    const model = await modelOf(engine, SOURCE, FOUR, 3);
    const plan = planOf(model, false);
    const names = model.struct.fields.map((f) => (f.name === 'ok' ? 'o<k>&' : f.name));
    const svg = svgOf(plan, names, {
      background: '#fff', foreground: '#000', fields: ['#a00', '#0a0', '#00a'], padding: '#888', cacheLine: '#f00', straddle: '#fa0',
    }, 4);
    const rects = (svg.match(/<rect x=/g) ?? []).length;
    assert.strictEqual(rects, plan.rows.reduce((n, r) => n + r.segments.length, 0));
    assert.strictEqual((svg.match(/stroke-dasharray/g) ?? []).length, plan.rows.reduce((n, r) => n + r.lineStarts.length, 0));
    assert.ok(svg.includes('o&lt;k&gt;&amp;') && !svg.includes('o<k>'), 'field name not escaped');
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.endsWith('</svg>'));
  });

  it('serves a page whose Content-Security-Policy allows only its own nonce script and the extension\'s styles', () => {
    const html = layoutViewHtml({ scriptUri: 'vscode-resource://x/layoutView.js', styleUri: 'vscode-resource://x/layoutView.css', cspSource: 'vscode-resource:' }, 'N0NCE');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.strictEqual(csp, "default-src 'none'; script-src 'nonce-N0NCE'; style-src vscode-resource:; img-src vscode-resource:; font-src vscode-resource:");
    assert.deepStrictEqual([...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]), [' nonce="N0NCE" src="vscode-resource://x/layoutView.js"']);
    assert.ok(!/https?:/.test(html.replace(/xmlns="[^"]*"/g, '')), 'remote URL in the page');
    assert.ok(!/ style="/.test(html), 'inline style attribute (blocked by the policy)');
  });
});
