// The Memory Layout view in the real editor: the command opens a webview beside the editor, and what the webview
// rendered is read back from its DOM (element boxes measured in bytes) and compared with the engine's layouts and
// the compiler-checked fixture numbers. Then it follows the cursor, follows edits, applies the reorder from its own
// button, and exports SVG.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GoArchLensApi } from '../../client/src/extension';
import type { RenderedRow, RenderedView } from '../../client/src/layoutView/messages';
import type { DrawTiming } from '../../client/src/layoutView/panel';
import type { MemoryLayoutModel, ViewLayout } from '../../server/src/layoutViewProtocol';
import { cacheLineSize } from '../../core/src/layout/memoryCosts';
import { GC_ARCHES } from '../../core/src/targets';
import { bigStructSource } from '../support/bigStruct';
import { cpuOfTree, cpuSpent, type CpuByKind } from '../support/processCpu';
import { ARCHES, EXTENSION_ID, layoutViewFile, LOOSE_EDIT, setTargets, VIEW_LAYOUTS, waitFor } from './fixture';

const SHOW = 'goArchLens.showMemoryLayout';
/** Where the large-struct test leaves its timings for `npm run bench` (bench/layoutView.mjs). */
const BENCH_RESULTS = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'layout-view-bench.json');
const DEFAULT_TARGETS = ARCHES.map((a) => `linux/${a}`);

async function api(): Promise<GoArchLensApi> {
  const extension = vscode.extensions.getExtension<GoArchLensApi>(EXTENSION_ID);
  assert.ok(extension);
  return extension.activate();
}

async function openView(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(layoutViewFile));
  return vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
}

function positionOf(editor: vscode.TextEditor, text: string): vscode.Position {
  const offset = editor.document.getText().indexOf(text);
  assert.ok(offset >= 0, `${text} not in ${editor.document.fileName}`);
  return editor.document.positionAt(offset + 1);
}

function moveCursor(editor: vscode.TextEditor, text: string): void {
  const at = positionOf(editor, text);
  editor.selection = new vscode.Selection(at, at);
}

/** Reads the DOM until `accept` holds (the webview draws asynchronously), returning that rendering. */
async function rendered(view: GoArchLensApi['layoutView'], what: string, accept: (v: RenderedView) => boolean): Promise<RenderedView> {
  let last: RenderedView | undefined;
  return waitFor(what, async () => {
    last = await view.describe();
    return accept(last) ? last : undefined;
  }).catch((err: Error) => {
    throw new Error(`${err.message}; rendered: ${JSON.stringify(last)}`);
  });
}

/** The fields of a rendered row as [declaration index, offset, size]. */
function renderedFields(row: RenderedRow): [number, number, number][] {
  return row.segments.flatMap((s) => (s.kind === 'cluster' ? s.members! : [s])).filter((s) => s.kind === 'field').map((s) => [s.fieldIndex!, s.offset, s.size]);
}

/** The fields of a layout as [declaration index, offset, size]; `order` maps layout positions to declaration indexes. */
function layoutFields(layout: ViewLayout, order: (i: number) => number = (i) => i): [number, number, number][] {
  return layout.offsets.map((offset, i) => [order(i), offset, layout.sizes[i]]);
}

/** Whether a measured pixel position is where `bytes` should be drawn (sub-pixel layout allows a pixel either way). */
function near(px: number, bytes: number, pxPerByte: number): boolean {
  return Math.abs(px - bytes * pxPerByte) <= 1;
}

/**
 * Asserts each rendered row is its target's layout in the model: fields and the padding filling the gaps, each
 * element's box where its bytes are, and the cache-line marks at the target's line size.
 */
function assertRowsMatch(view: RenderedView, model: MemoryLayoutModel): void {
  const px = view.pxPerByte;
  const current = view.rows.filter((r) => r.kind === 'current');
  assert.deepStrictEqual(current.map((r) => r.target), model.targets.map((t) => t.target), 'one row per configured target');
  for (const row of current) {
    const target = model.targets.find((t) => t.target === row.target)!;
    assert.deepStrictEqual(renderedFields(row), layoutFields(target.layout), `fields drawn for ${row.target}`);
    assert.ok(near(row.width, target.layout.size!, px), `bar of ${row.target}: ${row.width} px for ${target.layout.size} B at ${px} px/B`);
    for (const s of row.segments) {
      if (s.kind === 'cluster') {
        // One element for neighbours too narrow to draw apart: it spans exactly their bytes.
        const last = s.members![s.members!.length - 1];
        assert.strictEqual(s.offset + s.size, last.offset + last.size, `${row.target}: cluster at ${s.offset} ends off its members`);
        assert.ok(s.members!.every((m) => m.size * px < 3), `${row.target}: a cluster holds a span wide enough to draw alone`);
      }
      assert.ok(near(s.left, s.offset, px), `${row.target} ${s.name ?? s.kind}: box at ${s.left} px, offset ${s.offset}`);
      assert.ok(near(s.width, s.size, px) || (s.size * px < 1 && s.width <= 2), `${row.target} ${s.name ?? 'padding'}: box ${s.width} px wide, ${s.size} B`);
    }
    const padded = row.segments.reduce((n, s) => n + s.size, 0);
    assert.strictEqual(padded, target.layout.size, `fields and padding of ${row.target} do not fill its size`);
    const line = target.cacheLine;
    assert.strictEqual(line, cacheLineSize(row.target.split('/')[1]), `cache line of ${row.target}`);
    const lines: number[] = [];
    for (let at = line!; at < target.layout.size!; at += line!) lines.push(at);
    assert.deepStrictEqual(row.lineMarks.map((m) => m.offset), lines, `cache-line marks of ${row.target} (${line} B lines)`);
    for (const mark of row.lineMarks) assert.ok(near(mark.left, mark.offset, px), `${row.target}: line mark for ${mark.offset} drawn at ${mark.left} px`);
    assert.strictEqual(row.groupBytes % target.wordSize, 0, `cells of ${row.target} not grouped by its ${target.wordSize} B word`);
  }
}

describe('Memory Layout view', function () {
  this.timeout(120_000);
  let view: GoArchLensApi['layoutView'];
  let editor: vscode.TextEditor;

  before(async () => {
    await setTargets(undefined);
    editor = await openView();
    view = (await api()).layoutView;
  });

  after(async () => {
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens beside the editor for the struct under the cursor, one row per target with the engine\'s offsets', async () => {
    moveCursor(editor, '\tcount int64');
    const drawn = view.whenDrawn((m) => m.struct.name === 'Loose');
    await vscode.commands.executeCommand(SHOW);
    const { model } = await drawn;
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ t, column: g.viewColumn }))).find(({ t }) => t.label === 'Memory Layout');
    assert.ok(tab, 'no Memory Layout tab');
    assert.notStrictEqual(tab.column, editor.viewColumn, 'the view is not beside the editor');
    const rows = await rendered(view, 'Loose drawn', (v) => v.structName === 'Loose');
    assert.deepStrictEqual(model.targets.map((t) => t.target), DEFAULT_TARGETS);
    assert.ok(rows.rows.every((r) => r.segments.every((s) => s.kind !== 'cluster')), 'a small struct draws every field on its own');
    assertRowsMatch(rows, model);
    // The engine's numbers are the compiler's (fixtureFacts.test.ts checks VIEW_LAYOUTS with go build).
    for (const arch of ARCHES) {
      const row = rows.rows.find((r) => r.target === `linux/${arch}`)!;
      const expected = VIEW_LAYOUTS.Loose[arch];
      assert.ok(near(row.width, expected.size, rows.pxPerByte), `Loose on ${arch}: ${row.width} px`);
      for (const segment of row.segments.filter((s) => s.kind === 'field')) {
        assert.strictEqual(segment.offset, expected.offsets[segment.name!], `Loose.${segment.name} on ${arch}`);
      }
    }
    // Same field, same colour in every row.
    const colours = rows.rows.map((r) => r.segments.filter((s) => s.kind === 'field').map((s) => `${s.name}:${s.colour}`).sort().join());
    assert.strictEqual(new Set(colours).size, 1, `colours differ between rows: ${colours.join(' | ')}`);
    assert.strictEqual(rows.tableRows, model.struct.fields.length + 1, 'the text table: a row per field and the totals');
    assert.strictEqual(rows.focusable, rows.rows.reduce((n, r) => n + r.segments.length, 0));
  });

  it('follows the cursor to another struct and marks the field across a cache line', async () => {
    const drawn = view.whenDrawn((m) => m.struct.name === 'Lines');
    moveCursor(editor, '\ttail [8]byte');
    const { model } = await drawn;
    const rows = await rendered(view, 'Lines drawn', (v) => v.structName === 'Lines');
    assertRowsMatch(rows, model);
    for (const row of rows.rows) {
      const target = model.targets.find((t) => t.target === row.target)!;
      const line = target.cacheLine!;
      const straddling = row.segments.filter((s) => s.straddles).map((s) => s.name);
      const { offsets, sizes } = target.layout;
      const expected = offsets.flatMap((o, i) => (Math.floor(o / line) !== Math.floor((o + sizes[i] - 1) / line) ? [model.struct.fields[i].name] : []));
      assert.deepStrictEqual(straddling, expected, `straddling fields on ${row.target}`);
      // tail is bytes 60..67 of a 72-byte struct: across a line where lines are 32 or 64 B, inside one of 128 B.
      const tail = VIEW_LAYOUTS.Lines.amd64.offsets.tail;
      assert.strictEqual(straddling.includes('tail'), Math.floor(tail / line) !== Math.floor((tail + 7) / line), `tail on ${row.target} (${line} B lines)`);
      assert.strictEqual(row.label.includes(`${Math.ceil(target.layout.size! / line)} × ${line} B line`), true, row.label);
    }
    // The targets' own line sizes differ (Go's runtime pads 64 B on amd64, 128 B on arm64, 32 B on arm).
    assert.ok(new Set(model.targets.map((t) => t.cacheLine)).size > 1, 'every target has the same line size');
  });

  it('redraws as the struct is edited', async () => {
    moveCursor(editor, '\tcount int64');
    await view.whenDrawn((m) => m.struct.name === 'Loose');
    const drawn = view.whenDrawn((m) => m.struct.fields.some((f) => f.name === 'next'));
    const at = positionOf(editor, LOOSE_EDIT.after).translate(1, 0).with(undefined, 0);
    await editor.edit((b) => b.insert(at, LOOSE_EDIT.insert));
    const { model } = await drawn;
    const rows = await rendered(view, 'the edited Loose drawn', (v) => v.rows[0]?.segments.some((s) => s.name === 'next'));
    assertRowsMatch(rows, model);
    await vscode.commands.executeCommand('undo');
    await view.whenDrawn((m) => m.struct.name === 'Loose' && !m.struct.fields.some((f) => f.name === 'next'));
  });

  it('shows the reordered layout beside the current one and applies it from its button', async () => {
    moveCursor(editor, '\tcount int64');
    const { model } = await view.whenDrawn((m) => m.struct.name === 'Loose' && m.reorders.length > 0 && m.version === editor.document.version);
    // Loose holds no pointer: only the smallest order is offered.
    assert.deepStrictEqual(model.reorders.map((r) => r.goal), ['smallest']);
    const reorder = model.reorders[0];
    await view.press('toggle-reorder');
    const rows = await rendered(view, 'reordered rows', (v) => v.reorderShown && v.rows.some((r) => r.kind === 'reordered'));
    assert.deepStrictEqual(rows.rows.map((r) => `${r.target} ${r.goal ?? r.kind}`), DEFAULT_TARGETS.flatMap((t) => [`${t} current`, `${t} smallest`]));
    for (const row of rows.rows.filter((r) => r.kind === 'reordered')) {
      const layout = reorder.layouts[row.target];
      assert.deepStrictEqual(renderedFields(row), layoutFields(layout, (i) => reorder.fieldOrder[i]), `reordered fields on ${row.target}`);
      const saved = model.targets.find((t) => t.target === row.target)!.layout.size! - layout.size!;
      assert.ok(saved > 0 && row.label.includes(`reordered (smallest), saves ${saved} B`), `${row.target}: ${row.label}`);
    }
    assert.deepStrictEqual(rows.applyGoals, ['smallest'], 'no Apply button');
    const applied = view.whenDrawn((m) => m.struct.name === 'Loose' && m.reorders.length === 0);
    await view.press('apply-reorder:smallest');
    const after = await applied;
    const names = after.model.struct.fields.map((f) => f.name);
    assert.deepStrictEqual(names, reorder.fieldOrder.map((i) => model.struct.fields[i].name), 'the editor has not the reordered fields');
    for (const target of after.model.targets) assert.strictEqual(target.layout.size, reorder.layouts[target.target].size, target.target);
    await vscode.commands.executeCommand('undo');
    await view.whenDrawn((m) => m.struct.fields[0].name === 'flag' && m.reorders.length > 0);
    // Off again once the toggle is enabled again (a struct no order improves disables it).
    await view.press('toggle-reorder');
    await rendered(view, 'reordered rows hidden', (v) => !v.reorderShown);
  });

  it('shows both reorder goals with bytes saved and pointer bytes, each applying its code action\'s edit', async () => {
    moveCursor(editor, '\tlabel string');
    const original = editor.document.getText();
    const { model } = await view.whenDrawn((m) => m.struct.name === 'Scanned' && m.version === editor.document.version);
    assert.deepStrictEqual(model.reorders.map((r) => r.goal), ['smallest', 'smallest-then-pointers']);
    assert.strictEqual((await view.describe()).reorderShown, false);
    await view.press('toggle-reorder');
    const rows = await rendered(view, 'both goals drawn', (v) => v.structName === 'Scanned' && v.rows.some((r) => r.goal === 'smallest-then-pointers'));
    assert.deepStrictEqual(rows.rows.map((r) => `${r.target} ${r.goal ?? r.kind}`),
      DEFAULT_TARGETS.flatMap((t) => [`${t} current`, `${t} smallest`, `${t} smallest-then-pointers`]));
    for (const row of rows.rows.filter((r) => r.kind === 'reordered')) {
      const reorder = model.reorders.find((r) => r.goal === row.goal)!;
      const layout = reorder.layouts[row.target];
      const current = model.targets.find((t) => t.target === row.target)!.layout;
      assert.deepStrictEqual(renderedFields(row), layoutFields(layout, (i) => reorder.fieldOrder[i]), `${row.goal} fields on ${row.target}`);
      assert.ok(row.label.includes(`saves ${current.size! - layout.size!} B`), `${row.target}: ${row.label}`);
      assert.ok(row.label.includes(`${layout.ptrBytes} B pointer-scanned (was ${current.ptrBytes} B)`), `${row.target}: ${row.label}`);
    }
    assert.deepStrictEqual(rows.applyGoals, ['smallest', 'smallest-then-pointers']);
    const nameAt = positionOf(editor, 'Scanned struct');
    for (const reorder of model.reorders) {
      // The code action's result, then undone, then the view's button: the same text.
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(nameAt, nameAt));
      const action = actions.find((a) => a.title === reorder.title);
      assert.ok(action?.edit, `no code action "${reorder.title}" among ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      const byCodeAction = editor.document.getText();
      assert.notStrictEqual(byCodeAction, original, `${reorder.goal}: the code action changed nothing`);
      await vscode.commands.executeCommand('undo');
      await waitFor('the code action undone', async () => editor.document.getText() === original || undefined);
      await view.whenDrawn((m) => m.struct.name === 'Scanned' && m.version === editor.document.version && m.reorders.length === 2);
      const before = editor.document.version;
      const applied = view.whenDrawn((m) => m.struct.name === 'Scanned' && m.version > before);
      await view.press(`apply-reorder:${reorder.goal}`);
      const after = await applied;
      assert.strictEqual(editor.document.getText(), byCodeAction, `${reorder.goal}: the view's button wrote another text than the code action`);
      assert.deepStrictEqual(after.model.struct.fields.map((f) => f.name), reorder.fieldOrder.map((i) => model.struct.fields[i].name));
      await vscode.commands.executeCommand('undo');
      await waitFor('the reorder undone', async () => editor.document.getText() === original || undefined);
      await view.whenDrawn((m) => m.struct.name === 'Scanned' && m.version === editor.document.version && m.reorders.length === 2);
    }
    await view.press('toggle-reorder');
    await rendered(view, 'reordered rows hidden', (v) => !v.reorderShown);
    moveCursor(editor, '\tcount int64');
    await view.whenDrawn((m) => m.struct.name === 'Loose');
  });

  it('exports the picture as SVG', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gal-svg-')), 'loose.svg');
    const rows = await rendered(view, 'Loose drawn', (v) => v.structName === 'Loose');
    await view.exportSvg(vscode.Uri.file(file));
    const svg = fs.readFileSync(file, 'utf8');
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), svg.slice(0, 80));
    const segments = rows.rows.reduce((n, r) => n + r.segments.length, 0);
    assert.strictEqual((svg.match(/<rect x=/g) ?? []).length, segments, 'one shape per drawn segment');
    // Colours were resolved from the theme, not left as CSS variables the file cannot read.
    assert.ok(!svg.includes('var(--'), 'unresolved CSS variable in the SVG');
  });
});

// Run only by the launcher's Restricted Mode run (its title holds UNTRUSTED_SUITE of test/e2e/run-code-server.mjs).
describe('Memory Layout view in an untrusted workspace', function () {
  this.timeout(120_000);

  it('draws the layout without starting any process', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this run was meant to be in Restricted Mode');
    const editor = await openView();
    const view = (await api()).layoutView;
    moveCursor(editor, '\tcount int64');
    const drawn = view.whenDrawn((m) => m.struct.name === 'Loose');
    await vscode.commands.executeCommand(SHOW);
    const { model } = await drawn;
    assertRowsMatch(await rendered(view, 'Loose drawn', (v) => v.structName === 'Loose'), model);
    // The launcher's recording go logs every go started from this editor (goRecorder in run-code-server.mjs).
    const log = process.env.GAL_FAKE_GO_MARKER;
    assert.ok(log, 'GAL_FAKE_GO_MARKER is unset: the launcher put no recording go on PATH');
    const runs = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    assert.deepStrictEqual(runs, [], 'go was started in Restricted Mode');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('Memory Layout view of a large struct', function () {
  this.timeout(300_000);
  const ALL_TARGETS = GC_ARCHES.map((a) => `${a === 'wasm' ? 'js' : 'linux'}/${a}`);
  const FIRST_OPENS = 5;
  const REDRAWS = 20;
  /** With the reordered rows shown: 14 targets × (current + two goals) = 42 rows. */
  const REORDER_REDRAWS = 10;

  /**
   * CPU time so far of every process of this run, by kind: the launcher sets GAL_RUN_ROOT_PID to its own pid, the
   * root of the browser and of code-server with its extension host and language server.
   */
  function runCpu(): CpuByKind | undefined {
    const root = Number(process.env.GAL_RUN_ROOT_PID);
    if (!root || process.platform !== 'linux') return undefined;
    return cpuOfTree(root, (pid, cmdline) => {
      if (pid === process.pid) return 'extensionHost';
      if (/chrom/i.test(cmdline.split(' ')[0])) return 'browser';
      if (cmdline.includes('dist/server.js')) return 'languageServer';
      return 'codeServerAndLauncher';
    });
  }

  /** CPU ms per draw by kind over `draws` draws, with their sum as `total`. */
  function perDraw(before: CpuByKind | undefined, after: CpuByKind | undefined, draws: number): CpuByKind | undefined {
    if (!before || !after) return undefined;
    const spent = cpuSpent(before, after);
    const result: CpuByKind = {};
    for (const [kind, ms] of Object.entries(spent)) result[kind] = ms / draws;
    result.total = Object.values(spent).reduce((a, b) => a + b, 0) / draws;
    return result;
  }

  after(async () => {
    await setTargets(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Closes the view's tab, so the next command creates the panel and its page again. */
  async function closeView(): Promise<void> {
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Memory Layout');
    if (tab) await vscode.window.tabGroups.close(tab);
  }

  it('draws a 200-field struct on all 14 targets exactly, and times command → drawn view', async () => {
    await setTargets(ALL_TARGETS);
    // Big and Big2, the same 200 fields: the redraws alternate between them (the command with a position, as the
    // hover's link runs it), since the view does not redraw the struct it already shows.
    const doc = await vscode.workspace.openTextDocument({ language: 'go', content: bigStructSource(200, 'm', 2) });
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    moveCursor(editor, '\tf100 ');
    const structAt = (name: string) => ({ line: positionOf(editor, `type ${name} struct`).line, character: 5 });
    const alternate = [structAt('Big2'), structAt('Big')];
    /** The command on Big2, then Big, …: each a new picture of the same size. */
    const showNext = (i: number) => vscode.commands.executeCommand(SHOW, doc.uri.toString(), alternate[i % 2]);
    const view = (await api()).layoutView;
    await closeView();
    const firstOpens: DrawTiming[] = [];
    const redraws: DrawTiming[] = [];
    let last: MemoryLayoutModel | undefined;
    for (let i = 0; i < FIRST_OPENS; i++) {
      await closeView();
      const drawn = view.nextDraw();
      await vscode.commands.executeCommand(SHOW);
      const timing = await drawn;
      firstOpens.push(timing);
      last = timing.model;
    }
    const cpuBefore = runCpu();
    const loadBefore = os.loadavg()[0];
    for (let i = 0; i < REDRAWS; i++) {
      const drawn = view.nextDraw();
      await showNext(i);
      redraws.push(await drawn);
    }
    const redrawCpu = perDraw(cpuBefore, runCpu(), REDRAWS);
    const loadAfter = os.loadavg()[0];
    // The struct on screen again (the command on it, a position inside it) draws nothing: the next draw is the
    // other struct's.
    const shown = alternate[(REDRAWS - 1) % 2];
    const next = view.nextDraw();
    await showNext(REDRAWS - 1);
    await vscode.commands.executeCommand(SHOW, doc.uri.toString(), { line: shown.line + 50, character: 2 });
    await showNext(REDRAWS);
    last = (await next).model;
    assert.strictEqual(last.struct.name, shown === alternate[0] ? 'Big' : 'Big2', 'the struct already shown was drawn again');
    assert.ok(last && last.targets.length === 14 && last.struct.fields.length === 200, 'not the 200-field struct on 14 targets');
    assert.deepStrictEqual(last.targets.map((t) => t.target), ALL_TARGETS);
    const big = await view.describe();
    assertRowsMatch(big, last);
    // The same with both reorder goals' rows under each target.
    assert.deepStrictEqual(last.reorders.map((r) => r.goal), ['smallest', 'smallest-then-pointers']);
    await view.press('toggle-reorder');
    const reorderRedraws: DrawTiming[] = [];
    const reorderCpuBefore = runCpu();
    for (let i = 0; i < REORDER_REDRAWS; i++) {
      const drawn = view.nextDraw();
      await showNext(i + 1); // Big first: Big2 is on screen
      reorderRedraws.push(await drawn);
    }
    const reorderCpu = perDraw(reorderCpuBefore, runCpu(), REORDER_REDRAWS);
    const withGoals = await view.describe();
    assert.strictEqual(withGoals.rows.length, 14 * 3, 'a current and two reordered rows per target');
    assertRowsMatch(withGoals, last);
    await view.press('toggle-reorder');
    const elements = big.rows.reduce((n, r) => n + r.segments.length, 0);
    const segmentsInLayouts = big.rows.reduce((n, r) => n + r.segments.reduce((m, s) => m + (s.members?.length ?? 1), 0), 0);
    const parts = (timings: DrawTiming[]) => timings.map(({ ms, requestMs, transitMs, renderMs, frameMs }) => ({ ms, requestMs, transitMs, renderMs, frameMs }));
    const results = {
      fields: 200, targets: 14, elements, segmentsInLayouts, bytesPerCell: big.bytesPerCell,
      // What the page receives per draw (JSON), as the extension posts it.
      pageModelBytes: JSON.stringify(view.pageModel()).length,
      firstOpens: parts(firstOpens), redraws: parts(redraws), redrawCpu, reorderRedraws: parts(reorderRedraws), reorderCpu,
      loadAverage: (loadBefore + loadAfter) / 2, cpus: os.cpus().length,
      sizes: last.targets.map((t) => t.layout.size),
    };
    fs.mkdirSync(path.dirname(BENCH_RESULTS), { recursive: true });
    fs.writeFileSync(BENCH_RESULTS, JSON.stringify(results, null, 2));
    // Closed unsaved without a prompt: the untitled buffer is the active editor when reverted.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d === doc && !d.isClosed && d.isDirty) || doc.isClosed, 'the untitled buffer is still open');
  });
});
