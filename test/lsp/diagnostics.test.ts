import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  CodeActionKind, CodeActionRequest, DiagnosticSeverity, PublishDiagnosticsNotification,
  type CodeAction, type Diagnostic, type Range, type TextDocumentContentChangeEvent, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ALL_ANALYZERS, DEFAULT_ANALYZERS } from '../../core/src/analysis/registry';
import type { Finding } from '../../core/src/analysis/finding';
import { DEFAULT_TARGETS, targetKey } from '../../core/src/targets';
import type { Analyzer } from '../../core/src/analysis/pass';
import { Engine } from '../../core/src/engine';
import { codeActionsFor } from '../../server/src/codeActions';
import { diagnosticsByUri, isInternalError, workspaceEditOf } from '../../server/src/format/diagnostics';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/settings';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';
import { LspTestClient, REPO_ROOT } from './lspClient';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'lsp');
const SOURCE = 'go-arch-lens';

interface FixtureCopy {
  file: string;
  text: string;
  /** Asserts the package builds for linux/`goarch` and the claims hold there. */
  assertCompiles(goarch: string, claims?: LayoutClaim[], imports?: string[]): void;
  /** The compiler's complaint about the package on linux/`goarch` ('' when it builds). */
  compilerOutput(goarch: string): string;
}

/**
 * A throw-away copy of a fixture module (test/fixtures/lsp/<name>, package <name>, one Go file), so fixes can
 * be written to it and compiled.
 */
function copyFixture(name: string): FixtureCopy {
  const dir = path.join(FIXTURES, name);
  const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const goFile = Object.keys(files).find((f) => f.endsWith('.go'))!;
  const root = writeModule(files, `gal-diag-${name}-`);
  return {
    file: path.join(root, goFile),
    text: files[goFile],
    assertCompiles: (goarch, claims = [], imports = []) => {
      assert.strictEqual(compilerRejects(root, name, 'linux', goarch, claims, imports), undefined, `linux/${goarch}`);
    },
    compilerOutput: (goarch) => compilerRejects(root, name, 'linux', goarch, []) ?? '',
  };
}

function rangeAt(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** The range of the `occurrence`-th `text` on the line that contains `lineText`. */
function rangeOf(source: string, lineText: string, text: string): Range {
  const lines = source.split('\n');
  const line = lines.findIndex((l) => l.includes(lineText));
  assert.ok(line >= 0, `${lineText} not in source`);
  const character = lines[line].indexOf(text);
  assert.ok(character >= 0, `${text} not on line ${line}`);
  return rangeAt(line, character, character + text.length);
}

/** The edits of a workspace edit for one document, whichever of its two forms the server used. */
function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (edit?.documentChanges) {
    return edit.documentChanges.flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : []))
      .filter((e): e is TextEdit => 'range' in e);
  }
  return edit?.changes?.[uri] ?? [];
}

function applyTo(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.go', 'go', 1, text), edits);
}

/**
 * The edits as a client sends them in didChange after applying them: one change per edit, the last in the
 * document first, so each range still refers to text no earlier change has touched.
 */
function asChanges(edits: TextEdit[]): TextDocumentContentChangeEvent[] {
  const after = (a: TextEdit, b: TextEdit) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  return [...edits].sort(after).reverse().map((e) => ({ range: e.range, text: e.newText }));
}

describe('analyzer diagnostics over LSP', function () {
  this.timeout(120000);
  const go = realGoEnv();
  let client: LspTestClient;
  /** Every publishDiagnostics the server sent, per URI, latest last. */
  let published: Map<string, Diagnostic[][]>;

  /**
   * These tests are about the analyzers: the compiler's verdict per target (test/lsp/buildDiagnostics.test.ts),
   * which would fold sysname's and fieldtype's findings into its own, stays off.
   */
  const ANALYZERS_ONLY = { build: { enable: false } };

  async function start(settings: Record<string, unknown> = {}, trusted = true): Promise<LspTestClient> {
    client = await LspTestClient.start({ settings: { ...ANALYZERS_ONLY, ...settings }, initializationOptions: { goroot: go.goroot, gomodcache: go.gomodcache, trusted } });
    published = new Map();
    client.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      published.set(uri, [...(published.get(uri) ?? []), diagnostics]);
    });
    return client;
  }

  afterEach(async () => {
    if (client) await client.stop();
  });

  /** Waits until the latest diagnostics of `uri` satisfy `accept`; returns them. */
  async function diagnosticsWhen(uri: string, what: string, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const latest = () => published.get(uri)?.at(-1);
    await client.waitFor(`${what} (latest: ${JSON.stringify(latest())})`, () => latest() !== undefined && accept(latest()!));
    return latest()!;
  }

  const someDiagnostics = (uri: string) => diagnosticsWhen(uri, 'diagnostics', (d) => d.length > 0);
  const noDiagnostics = (uri: string) => diagnosticsWhen(uri, 'no diagnostics', (d) => d.length === 0);

  function codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const params = { textDocument: { uri }, range, context: { diagnostics, only } };
    return client.connection.sendRequest(CodeActionRequest.type, params) as Promise<CodeAction[]>;
  }

  /** Applies a code action's edit to the open document as an editor would: the new text, and didChange. */
  async function apply(uri: string, text: string, action: CodeAction): Promise<string> {
    const edits = editsFor(action.edit, uri);
    assert.ok(edits.length > 0, `${action.title} edits nothing in ${uri}: ${JSON.stringify(action.edit)}`);
    await client.change(uri, asChanges(edits));
    return applyTo(text, edits);
  }

  it('reports a hard-coded syscall number as a warning and fixes it with the constant of the fallback target', async () => {
    const fixture = copyFixture('syscallnum');
    const { file, text } = fixture;
    await start();
    const uri = await client.open(file, text);
    const literal = rangeOf(text, 'syscall.Syscall(1,', '1');
    assert.deepStrictEqual(await someDiagnostics(uri), [{
      range: literal, severity: DiagnosticSeverity.Warning, source: SOURCE, code: 'syscallnum',
      message: 'syscall number 1 means write on linux/amd64; io_destroy on linux/arm64; exit on linux/386, linux/arm: ' +
        'use the named constant of each target',
    }]);
    // Those meanings are the compiler's, not only the table's.
    const meanings = { amd64: 'SYS_WRITE', arm64: 'SYS_IO_DESTROY', '386': 'SYS_EXIT', arm: 'SYS_EXIT' };
    for (const [goarch, name] of Object.entries(meanings)) fixture.assertCompiles(goarch, [{ expr: `syscall.${name}`, value: 1 }], ['syscall']);

    const diagnostics = published.get(uri)!.at(-1)!;
    const actions = await codeActions(uri, literal, diagnostics);
    assert.deepStrictEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [
      ['Replace 1 with syscall.SYS_WRITE (its meaning on linux/amd64)', CodeActionKind.QuickFix, true],
      ['Replace 1 with unix.SYS_WRITE (its meaning on linux/amd64)', CodeActionKind.QuickFix, false],
    ]);
    assert.deepStrictEqual(actions[0].diagnostics, diagnostics);
    assert.match(applyTo(text, editsFor(actions[1].edit, uri)), /\)\n\nimport "golang.org\/x\/sys\/unix"\n\n/);

    const fixed = await apply(uri, text, actions[0]);
    assert.ok(fixed.includes('\tsyscall.Syscall(syscall.SYS_WRITE, uintptr(fd),'), fixed);
    fs.writeFileSync(file, fixed);
    fixture.assertCompiles('amd64', [{ expr: 'syscall.SYS_WRITE', value: 1 }], ['syscall']);
    await noDiagnostics(uri);
  });

  it('takes the target fixes assume from goArchLens.fallbackTarget, applied without a restart', async () => {
    const { file, text } = copyFixture('syscallnum');
    await start();
    const uri = await client.open(file, text);
    const literal = rangeOf(text, 'syscall.Syscall(1,', '1');
    await someDiagnostics(uri);
    // The message (about every target) stays, so nothing is published again; the fixes change.
    await client.changeSettings({ ...ANALYZERS_ONLY, fallbackTarget: 'linux/arm64' });
    const titles = async () => (await codeActions(uri, literal, published.get(uri)!.at(-1)!)).map((a) => a.title);
    assert.deepStrictEqual((await titles())[0], 'Replace 1 with syscall.SYS_IO_DESTROY (its meaning on linux/arm64)');

    await client.changeSettings({ ...ANALYZERS_ONLY, fallbackTarget: 'linux/x86' });
    await client.waitFor('a warning about the invalid fallback target', () => client.shownMessages.length > 0);
    assert.deepStrictEqual(client.shownMessages.map((m) => m.message), [
      'Go Arch Lens: goArchLens.fallbackTarget: "x86" is not a GOARCH the gc compiler supports; using linux/amd64',
    ]);
    assert.deepStrictEqual((await titles())[0], 'Replace 1 with syscall.SYS_WRITE (its meaning on linux/amd64)');
  });

  it('flags 64-bit atomics on a field misaligned on 32-bit targets; both fixes align it, as the compiler confirms', async () => {
    const fixture = copyFixture('atomicalign');
    const { file, text } = fixture;
    const hitsAt = (value: number) => [{ expr: 'unsafe.Offsetof(Stats{}.hits)', value }];
    for (const [goarch, offset] of Object.entries({ amd64: 8, arm64: 8, '386': 4, arm: 4 })) fixture.assertCompiles(goarch, hitsAt(offset));
    await start();
    const uri = await client.open(file, text);
    const diagnostics = await someDiagnostics(uri);
    const warning = (call: string) => ({
      range: rangeOf(text, `atomic.${call}`, '&s.hits'), severity: DiagnosticSeverity.Warning, source: SOURCE, code: 'atomicalign32',
      message: `atomic.${call} on Stats.hits, which is at offset 4 on linux/386, linux/arm: ` +
        '64-bit atomic operations there need 8-byte alignment and panic otherwise',
    });
    assert.deepStrictEqual(diagnostics, [warning('AddInt64'), warning('LoadInt64')]);

    const actions = await codeActions(uri, diagnostics[0].range, [diagnostics[0]]);
    assert.deepStrictEqual(actions.map((a) => [a.title, a.isPreferred]), [
      ['Move hits to the start of the struct (offset 0 is 8-aligned everywhere)', false],
      ['Use atomic.Int64 for hits (8-byte aligned on every target)', true],
    ]);
    const [move, wrap] = actions;

    const moved = applyTo(text, editsFor(move.edit, uri));
    assert.ok(moved.includes('type Stats struct {\n\thits    int64\n\tenabled bool\n}'), moved);
    fs.writeFileSync(file, moved);
    for (const goarch of ['386', 'arm', 'amd64']) fixture.assertCompiles(goarch, hitsAt(0));

    const wrapped = await apply(uri, text, wrap);
    assert.ok(wrapped.includes('\thits    atomic.Int64\n'), wrapped);
    assert.ok(wrapped.includes('\ts.hits.Add(1)\n\treturn s.hits.Load()\n'), wrapped);
    fs.writeFileSync(file, wrapped);
    for (const goarch of ['386', 'arm', 'amd64']) fixture.assertCompiles(goarch, hitsAt(8));
    await noDiagnostics(uri);
  });

  it('reports SYS_OPEN, which arm64 lacks, as an error and rewrites the call to openat, which then compiles on every target', async () => {
    const fixture = copyFixture('sysopen');
    const { file, text } = fixture;
    fixture.assertCompiles('amd64');
    assert.match(fixture.compilerOutput('arm64'), /undefined: syscall\.SYS_OPEN\b/);
    await start();
    const uri = await client.open(file, text);
    const diagnostics = await someDiagnostics(uri);
    assert.deepStrictEqual(diagnostics, [{
      range: rangeOf(text, 'syscall.Syscall(', 'syscall.SYS_OPEN'), severity: DiagnosticSeverity.Error, source: SOURCE,
      code: 'sysname',
      message: 'syscall.SYS_OPEN does not exist on linux/arm64 (nor on linux/loong64, linux/riscv64): use syscall.SYS_OPENAT with AT_FDCWD',
    }]);
    const actions = await codeActions(uri, diagnostics[0].range, diagnostics);
    assert.deepStrictEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [
      ['Call syscall.SYS_OPENAT with AT_FDCWD', CodeActionKind.QuickFix, true],
    ]);
    const fixed = await apply(uri, text, actions[0]);
    assert.ok(fixed.includes('\tfd, _, _ := syscall.Syscall6(syscall.SYS_OPENAT, ^uintptr(99) /* AT_FDCWD */, 0, 0, 0, 0, 0)\n'), fixed);
    fs.writeFileSync(file, fixed);
    for (const goarch of ['amd64', 'arm64', '386', 'arm']) fixture.assertCompiles(goarch);
    await noDiagnostics(uri);
  });

  it('reports Stat_t.Nlink assigned to a uint64 and converts it, which then compiles on every target', async () => {
    const fixture = copyFixture('nlink');
    const { file, text } = fixture;
    for (const goarch of ['arm64', '386']) {
      assert.match(fixture.compilerOutput(goarch), /cannot use st\.Nlink \(variable of type uint32\) as uint64 value/, goarch);
    }
    await start();
    const uri = await client.open(file, text);
    const diagnostics = await someDiagnostics(uri);
    assert.deepStrictEqual(diagnostics, [{
      range: rangeOf(text, 'var n uint64', 'st.Nlink'), severity: DiagnosticSeverity.Error, source: SOURCE, code: 'fieldtype',
      message: 'syscall.Stat_t.Nlink is uint64 on linux/amd64; uint32 on linux/arm64, linux/386, linux/arm: ' +
        'used as uint64 here, which does not compile on linux/arm64, linux/386, linux/arm',
    }]);
    const actions = await codeActions(uri, diagnostics[0].range, diagnostics);
    assert.deepStrictEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [
      ['Convert to uint64: uint64(st.Nlink)', CodeActionKind.QuickFix, true],
    ]);
    const fixed = await apply(uri, text, actions[0]);
    assert.ok(fixed.includes('\tvar n uint64 = uint64(st.Nlink)\n'), fixed);
    fs.writeFileSync(file, fixed);
    for (const goarch of ['amd64', 'arm64', '386', 'arm']) fixture.assertCompiles(goarch);
    await noDiagnostics(uri);
  });

  it('offers a field reordering on a padded struct as a refactoring, published as a hint only when asked', async () => {
    const fixture = copyFixture('fieldorder');
    const { file, text } = fixture;
    const assertSizes = (sizes: Record<string, number>) => {
      for (const [goarch, value] of Object.entries(sizes)) fixture.assertCompiles(goarch, [{ expr: 'unsafe.Sizeof(Wasteful{})', value }]);
    };
    assertSizes({ amd64: 24, arm64: 24, '386': 16, arm: 16 });
    await start();
    const uri = await client.open(file, text);
    const first = await diagnosticsWhen(uri, 'the first (empty) diagnostics', () => true);
    assert.deepStrictEqual(first, [], 'suggestions are not diagnostics by default');

    const name = rangeOf(text, 'type Wasteful', 'Wasteful');
    const cursor = (line: number, character = 1) => rangeAt(line, character, character);
    const savings = '8 B on linux/amd64, linux/arm64 (24 → 16 B); 4 B on linux/386, linux/arm (16 → 12 B)';
    const title = `Reorder fields of Wasteful to save ${savings}`;
    const atName = await codeActions(uri, cursor(name.start.line, 7), []);
    assert.deepStrictEqual(atName.map((a) => [a.title, a.kind, a.diagnostics]), [[title, CodeActionKind.RefactorRewrite, undefined]]);
    const offsetLine = rangeOf(text, '\tOffset int64 // byte offset', 'Offset').start.line;
    assert.deepStrictEqual((await codeActions(uri, cursor(offsetLine), [])).map((a) => a.title), [title], 'offered inside the body');
    assert.deepStrictEqual(await codeActions(uri, cursor(0), []), [], 'not on the package clause');
    const tight = rangeOf(text, 'type Tight', 'Tight');
    assert.deepStrictEqual(await codeActions(uri, cursor(tight.start.line, 6), []), [], 'not on a tight struct');
    const quickFixesOnly = await codeActions(uri, cursor(name.start.line, 7), [], [CodeActionKind.QuickFix]);
    assert.deepStrictEqual(quickFixesOnly, [], 'not when only quick fixes are asked for');
    assert.strictEqual((await codeActions(uri, cursor(name.start.line, 7), [], [CodeActionKind.Refactor])).length, 1, 'a refactoring');

    const reordered = await apply(uri, text, atName[0]);
    const tidy = [
      'type Wasteful struct {', '\tOffset int64 // byte offset', '\t// Valid says whether the record is in use.', '\tValid  bool',
      '\tFlags  uint8', '}',
    ];
    assert.ok(reordered.includes(tidy.join('\n')), reordered);
    fs.writeFileSync(file, reordered);
    assertSizes({ amd64: 16, arm64: 16, '386': 12, arm: 12 });
    assert.deepStrictEqual(await codeActions(uri, cursor(name.start.line, 7), []), [], 'nothing left to reorder');

    // Undo, and ask for the suggestions as hints.
    await client.change(uri, [{ text }]);
    await client.changeSettings({ ...ANALYZERS_ONLY, diagnostics: { fieldOrderHints: true } });
    const hints = await someDiagnostics(uri);
    assert.deepStrictEqual(hints, [{
      range: name, severity: DiagnosticSeverity.Hint, source: SOURCE, code: 'fieldorder',
      // Wasteful and its fields are exported: another package could list them by position.
      message: `reordering the fields of Wasteful saves ${savings} (other packages may build Wasteful with positional literals, which a reorder breaks)`,
    }]);
    const withHint = await codeActions(uri, name, hints);
    const offered = withHint.map((a) => [a.title, a.kind, a.diagnostics]);
    assert.deepStrictEqual(offered, [[title, CodeActionKind.RefactorRewrite, hints]], 'offered once, linked to the hint');
  });

  it('clears diagnostics when disabled or when their analyzer is switched off, and brings them back', async () => {
    const { file, text } = copyFixture('syscallnum');
    await start();
    const uri = await client.open(file, text);
    const shown = await someDiagnostics(uri);
    await client.changeSettings({ ...ANALYZERS_ONLY, diagnostics: { enable: false } });
    await noDiagnostics(uri);
    assert.deepStrictEqual(await codeActions(uri, shown[0].range, shown), [], 'no fixes for diagnostics that are gone');
    await client.changeSettings({ ...ANALYZERS_ONLY, diagnostics: { enable: true } });
    assert.deepStrictEqual(await someDiagnostics(uri), shown);
    await client.changeSettings({ ...ANALYZERS_ONLY, diagnostics: { analyzers: ['sysname', 'archsize', 'nosuch'] } });
    await noDiagnostics(uri);
    assert.deepStrictEqual(client.shownMessages.map((m) => m.message), [
      `Go Arch Lens: goArchLens.diagnostics.analyzers entry "nosuch" is not an analyzer (known: ${ALL_ANALYZERS.map((x) => x.name).join(', ')})`,
    ]);
    await client.changeSettings({ ...ANALYZERS_ONLY });
    assert.deepStrictEqual(await someDiagnostics(uri), shown);
  });

  it('never offers a fix computed for an older version of the document', async () => {
    const { file, text } = copyFixture('syscallnum');
    await start();
    const uri = await client.open(file, text);
    const [old] = await someDiagnostics(uri);
    // A line above the call moves it down; the code action request follows before the debounced analysis runs.
    await client.change(uri, [{ range: rangeAt(1, 0, 0), text: '// moved\n' }]);
    assert.deepStrictEqual(await codeActions(uri, old.range, [old]), [], 'the old diagnostic matches no current finding');
    const moved = { ...old, range: rangeAt(old.range.start.line + 1, old.range.start.character, old.range.end.character) };
    const actions = await codeActions(uri, moved.range, [moved]);
    assert.deepStrictEqual(editsFor(actions[0]?.edit, uri), [{ range: moved.range, newText: 'syscall.SYS_WRITE' }]);
    const caughtUp = await diagnosticsWhen(uri, 'the moved diagnostic', (d) => d[0]?.range.start.line === moved.range.start.line);
    assert.deepStrictEqual(caughtUp, [moved]);
  });

  it('analyzes in an untrusted workspace too (analyzers start no process)', async () => {
    const { file, text } = copyFixture('nlink');
    await start({}, false);
    const uri = await client.open(file, text);
    assert.deepStrictEqual((await someDiagnostics(uri)).map((d) => d.code), ['fieldtype']);
  });

  it('clears a closed document\'s diagnostics', async () => {
    const { file, text } = copyFixture('sysopen');
    await start();
    const uri = await client.open(file, text);
    await someDiagnostics(uri);
    await client.close(uri);
    await noDiagnostics(uri);
    assert.ok(client.alive);
  });
});

describe('diagnostics and fixes as LSP data', () => {
  const a = '/tmp/gal/a.go';
  const b = '/tmp/gal/b.go';
  const uriOf = (file: string) => pathToFileURL(file).href;
  const r = (line: number) => rangeAt(line, 1, 4);
  const finding: Finding = {
    analyzer: 'atomicalign32', file: b, range: r(7), severity: 'information', message: 'in another file',
    related: [{ file: a, range: r(2), message: 'used here' }],
    fixes: [{
      title: 'fix both',
      edits: [{ file: a, range: r(2), newText: 'x' }, { file: b, range: r(7), newText: 'y' }, { file: a, range: r(3), newText: 'z' }],
    }],
  };

  it('puts a finding in the diagnostics of the file it is in, with its related locations', () => {
    const byUri = diagnosticsByUri([finding], uriOf);
    assert.deepStrictEqual([...byUri.keys()], [uriOf(b)]);
    assert.deepStrictEqual(byUri.get(uriOf(b))![0].diagnostic, {
      range: r(7), severity: DiagnosticSeverity.Information, source: SOURCE, code: 'atomicalign32', message: 'in another file',
      relatedInformation: [{ location: { uri: uriOf(a), range: r(2) }, message: 'used here' }],
    });
  });

  it('turns a fix over several files into versioned document changes, or a changes map', () => {
    const target = (file: string) => ({ uri: uriOf(file), version: file === a ? 5 : null });
    assert.deepStrictEqual(workspaceEditOf(finding.fixes![0], target, true), {
      documentChanges: [
        { textDocument: { uri: uriOf(a), version: 5 }, edits: [{ range: r(2), newText: 'x' }, { range: r(3), newText: 'z' }] },
        { textDocument: { uri: uriOf(b), version: null }, edits: [{ range: r(7), newText: 'y' }] },
      ],
    });
    assert.deepStrictEqual(workspaceEditOf(finding.fixes![0], target, false), {
      changes: { [uriOf(a)]: [{ range: r(2), newText: 'x' }, { range: r(3), newText: 'z' }], [uriOf(b)]: [{ range: r(7), newText: 'y' }] },
    });
  });

  it('recognises the finding the engine makes of an analyzer\'s exception, which goes to the log, not the Problems', async () => {
    // No shipped analyzer is known to throw, so one that does stands in to see what the real engine reports.
    const crashing: Analyzer = {
      name: 'crashes', ruleId: 'GAL9999', doc: 'throws', appliesTo: () => true,
      run: () => {
        throw new Error('boom');
      },
    };
    const { file, text } = copyFixture('sysopen');
    const engine = await Engine.create(realGoEnv());
    engine.openFile(file, text);
    const findings = engine.analyzeFile(file, DEFAULT_TARGETS, [crashing, ...DEFAULT_ANALYZERS]);
    assert.ok(!('error' in findings), JSON.stringify(findings));
    assert.deepStrictEqual(findings.map((f) => [f.analyzer, isInternalError(f)]), [['crashes', true], ['sysname', false]]);
  });

  it('answers only for diagnostics of ours', () => {
    const published = [...diagnosticsByUri([finding], uriOf).get(uriOf(b))!];
    const ours = published[0].diagnostic;
    const inputs = (diagnostics: Diagnostic[]) => ({
      range: ours.range, context: { diagnostics }, published, suggestions: () => [],
      editTarget: (f: string) => ({ uri: uriOf(f), version: null }), documentChanges: false,
    });
    assert.deepStrictEqual(codeActionsFor(inputs([ours])).map((x) => x.title), ['fix both']);
    assert.deepStrictEqual(codeActionsFor(inputs([{ ...ours, source: 'gopls' }])), []);
    assert.deepStrictEqual(codeActionsFor(inputs([{ ...ours, message: 'edited since' }])), []);
  });
});

describe('diagnostics settings', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown; items?: { enum?: string[] } }> } };
  };
  const property = (name: string) => manifest.contributes.configuration.properties[`goArchLens.${name}`];

  it('package.json declares the defaults the server uses, and every analyzer', () => {
    assert.deepStrictEqual(property('diagnostics.analyzers').default, DEFAULT_ANALYZERS.map((x) => x.name));
    assert.deepStrictEqual(property('diagnostics.analyzers').items?.enum, ALL_ANALYZERS.map((x) => x.name));
    assert.deepStrictEqual(DEFAULT_SETTINGS.diagnostics.analyzers, DEFAULT_ANALYZERS.map((x) => x.name));
    assert.strictEqual(property('diagnostics.enable').default, DEFAULT_SETTINGS.diagnostics.enable);
    assert.strictEqual(property('diagnostics.fieldOrderHints').default, DEFAULT_SETTINGS.diagnostics.fieldOrderHints);
    assert.strictEqual(property('fallbackTarget').default, targetKey(DEFAULT_SETTINGS.fallbackTarget));
  });

  it('keeps known analyzers, reports the rest, and accepts an empty list', () => {
    const raw = { diagnostics: { analyzers: ['sysname', 'sysname', 7, 'fieldorder'], enable: 'no' } };
    const { settings, otherProblems } = parseSettings(raw);
    assert.deepStrictEqual(settings.diagnostics, { enable: true, analyzers: ['sysname', 'fieldorder'], fieldOrderHints: false });
    assert.strictEqual(otherProblems.length, 1);
    assert.match(otherProblems[0], /^goArchLens\.diagnostics\.analyzers entry 7 is not an analyzer/);
    assert.deepStrictEqual(parseSettings({ diagnostics: { analyzers: [] } }).settings.diagnostics.analyzers, []);
    assert.deepStrictEqual(parseSettings({ fallbackTarget: 'darwin/arm64' }).settings.fallbackTarget, { goos: 'darwin', goarch: 'arm64' });
  });
});
