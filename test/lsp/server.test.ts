import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InlayHint } from 'vscode-languageserver-protocol';
import { compilerRejects } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';
import { FIXTURE_SOURCE } from './fixtures';
import { hoverText, labelOf, LspTestClient, SERVER_BUNDLE, tooltipOf, type Transport } from './lspClient';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
const ALL_HINTS = { inlayHints: { structSize: true, fieldOffsets: true, padding: true } };

/** Hints as `line:character label`, the shape a reader can check against the source. */
function describeHints(hints: InlayHint[] | null): string[] {
  return (hints ?? []).map((h) => `${h.position.line}:${h.position.character} ${labelOf(h)}`);
}

function lineOf(source: string, text: string): number {
  const line = source.split('\n').findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${text} not in source`);
  return line;
}

/** Asserts the compiler agrees with `claims` on every GOARCH listed, so the hint strings below rest on facts. */
function assertCompilerAgrees(root: string, byArch: Record<string, { expr: string; value: number }[]>): void {
  for (const [goarch, claims] of Object.entries(byArch)) {
    assert.strictEqual(compilerRejects(root, 'm', 'linux', goarch, claims), undefined, `compiler disagrees on ${goarch}`);
  }
}

describe('language server over LSP', function () {
  this.timeout(60000);
  const go = realGoEnv();
  const trustedInit = { goroot: go.goroot, gomodcache: go.gomodcache, trusted: true };
  let client: LspTestClient;

  async function start(settings: Record<string, unknown> = {}, transport: Transport = 'ipc'): Promise<LspTestClient> {
    client = await LspTestClient.start({ settings, transport, initializationOptions: trustedInit });
    return client;
  }

  afterEach(async () => {
    if (client) await client.stop();
  });

  for (const transport of ['ipc', 'stdio'] as const) {
    it(`shows struct sizes, offsets and padding as inlay hints (${transport})`, async () => {
      const root = writeModule({ 'go.mod': GO_MOD, 'm.go': FIXTURE_SOURCE });
      await start(ALL_HINTS, transport);
      const uri = await client.open(path.join(root, 'm.go'), FIXTURE_SOURCE);
      const hints = describeHints(await client.inlayHints(uri));
      // Numbers from test/lsp/fixtures.ts, checked against the compiler in format.test.ts.
      assert.deepStrictEqual(hints, [
        '2:10 64-bit 16 B · 32-bit 12 B', '3:8 @0', '4:8 @8/@4', '3:8 +4 B pad (64-bit)',
        '7:13 64-bit 16 B · 32-bit 12 B', '8:8 @0', '9:11 @8', '9:11 +8 B pad (64-bit) · +4 B pad (32-bit)',
        '12:9 8 B', '13:11 a @0, b @4',
        '16:13 64-bit 72 B · 32-bit 68 B', '17:11 @0', '18:8 @64/@60', '17:11 +4 B pad (64-bit)',
      ]);
    });
  }

  it('answers hover on a struct name and on a field with a table per target', async () => {
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': FIXTURE_SOURCE });
    await start();
    const uri = await client.open(path.join(root, 'm.go'), FIXTURE_SOURCE);
    const straddle = lineOf(FIXTURE_SOURCE, 'type Straddle');
    const structText = hoverText(await client.hover(uri, straddle, 7));
    assert.ok(structText.includes('| linux/amd64 | 72 B | 8 | 4 B | 0 B | 2 (64 B lines) | 0 B | 80 B class |'), structText);
    assert.ok(structText.includes('| linux/386 | 68 B | 4 | 0 B | 0 B | 2 (64 B lines) | 0 B | 80 B class |'), structText);
    const fieldText = hoverText(await client.hover(uri, straddle + 2, 1));
    assert.ok(fieldText.includes('| linux/arm64 | 64 | 8 B | 8 | 4 B | 0 B | no (128 B lines) |'), fieldText);
    assert.ok(fieldText.includes('| linux/arm | 60 | 8 B | 4 | 0 B | 0 B | yes (32 B lines) |'), fieldText);
    assert.strictEqual(await client.hover(uri, 0, 2), null, 'no hover on the package clause');
  });

  it('updates hints after an incremental edit', async () => {
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': FIXTURE_SOURCE });
    await start();
    const uri = await client.open(path.join(root, 'm.go'), FIXTURE_SOURCE);
    const line = lineOf(FIXTURE_SOURCE, '\ta int32');
    await client.change(uri, [{ range: { start: { line, character: 3 }, end: { line, character: 8 } }, text: 'int64' }]);
    const edited = FIXTURE_SOURCE.replace('\ta int32', '\ta int64');
    const editedRoot = writeModule({ 'go.mod': GO_MOD, 'm.go': edited });
    assertCompilerAgrees(editedRoot, {
      amd64: [{ expr: 'unsafe.Sizeof(Mixed{})', value: 16 }],
      '386': [{ expr: 'unsafe.Sizeof(Mixed{})', value: 16 }],
    });
    const hints = describeHints(await client.inlayHints(uri, { start: { line: 2, character: 0 }, end: { line: 5, character: 1 } }));
    assert.deepStrictEqual(hints, ['2:10 16 B']);
  });

  it('applies a change of targets without restarting, warning once about invalid entries', async () => {
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': FIXTURE_SOURCE });
    await start();
    const uri = await client.open(path.join(root, 'm.go'), FIXTURE_SOURCE);
    const mixedRange = { start: { line: 2, character: 0 }, end: { line: 5, character: 1 } };
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri, mixedRange)), ['2:10 64-bit 16 B · 32-bit 12 B', '3:8 +4 B pad (64-bit)']);

    await client.changeSettings({ targets: ['linux/amd64', 'linux/sparc'], inlayHints: { padding: false } });
    await client.waitFor('a hint refresh', () => client.refreshRequests === 1);
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri, mixedRange)), ['2:10 16 B']);
    const warnings = client.shownMessages.map((m) => m.message);
    assert.deepStrictEqual(warnings, ['Go Arch Lens ignores these goArchLens.targets entries: "sparc" is not a GOARCH the gc compiler supports']);

    await client.changeSettings({ targets: ['linux/arm', 'linux/sparc', 'linux/arm64'], inlayHints: { padding: false } });
    await client.waitFor('a second hint refresh', () => client.refreshRequests === 2);
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri, mixedRange)), ['2:10 64-bit 16 B · 32-bit 12 B']);
    assert.strictEqual(client.shownMessages.length, 1, 'the same invalid entry is not reported again');
  });

  it("uses the project's .go-arch-lens.json targets unless goArchLens.targets is set, re-reading it when it changes", async () => {
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': FIXTURE_SOURCE, '.go-arch-lens.json': '{"targets":["linux/amd64","linux/arm64"]}' });
    await start();
    const uri = await client.open(path.join(root, 'm.go'), FIXTURE_SOURCE);
    const mixedRange = { start: { line: 2, character: 0 }, end: { line: 5, character: 1 } };
    // Mixed is 16 B on 64-bit and 12 B on 32-bit targets (test/lsp/fixtures.ts, checked by the compiler in format.test.ts).
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri, mixedRange)), ['2:10 16 B', '3:8 +4 B pad']);
    assert.ok(hoverText(await client.hover(uri, 2, 7)).includes('| linux/arm64 |'));
    assert.ok(!hoverText(await client.hover(uri, 2, 7)).includes('linux/386'), 'only the project targets');

    fs.writeFileSync(path.join(root, '.go-arch-lens.json'), '{"targets":["linux/386"]}');
    await client.fileChangedOnDisk(path.join(root, '.go-arch-lens.json'));
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri, mixedRange)), ['2:10 12 B']);

    // The server handles messages in order and hints wait for the settings a change notification started to load.
    await client.changeSettings({ targets: ['linux/amd64', 'linux/386'] });
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri, mixedRange)), ['2:10 64-bit 16 B · 32-bit 12 B', '3:8 +4 B pad (64-bit)']);

    await client.changeSettings({ targets: [] });
    fs.writeFileSync(path.join(root, '.go-arch-lens.json'), '{"targets":"linux/386"}');
    await client.fileChangedOnDisk(path.join(root, '.go-arch-lens.json'));
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri, mixedRange)), ['2:10 64-bit 16 B · 32-bit 12 B', '3:8 +4 B pad (64-bit)'], 'a broken file: the default targets');
    await client.waitFor('a warning about the broken project file', () => client.shownMessages.some((m) => /"targets" must be an array/.test(m.message)));
  });

  it('keeps serving when a file is broken, with hints for the structs that parse', async () => {
    const source = [
      'package m', '', 'type Good struct {', '\ta int32', '\tb int64', '}', '',
      'func broken( {', '\tx := ', '}', '', 'type Later struct {', '\tp *int', '\tq bool', '}', '',
    ].join('\n');
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': source });
    await start();
    const uri = await client.open(path.join(root, 'm.go'), source);
    const laterAlone = writeModule({ 'go.mod': GO_MOD, 'm.go': 'package m\n\ntype Later struct {\n\tp *int\n\tq bool\n}\n' });
    assertCompilerAgrees(laterAlone, {
      amd64: [{ expr: 'unsafe.Sizeof(Later{})', value: 16 }],
      '386': [{ expr: 'unsafe.Sizeof(Later{})', value: 8 }],
    });
    const hints = describeHints(await client.inlayHints(uri));
    // Good is Mixed under another name: {int32; int64}, 16 B on 64-bit and 12 B on 32-bit (FACTS.md, fixtures).
    assert.ok(hints.includes('2:9 64-bit 16 B · 32-bit 12 B'), hints.join('\n'));
    assert.ok(hints.includes('11:10 64-bit 16 B · 32-bit 8 B'), hints.join('\n'));
    await client.change(uri, [{ range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: '\ta int32 {{{ (\n' }]);
    await client.inlayHints(uri);
    assert.ok(client.alive, `server died: ${client.stderr}`);
    assert.ok(Array.isArray(await client.inlayHints(uri)), 'still answering');
  });

  it('shows ? B for a type it cannot resolve, with the reason in the tooltip and the hover', async () => {
    const source = 'package m\n\nimport "example.com/elsewhere/pkg"\n\ntype Foreign struct {\n\tp pkg.Thing\n\tn int\n}\n';
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': source });
    await start();
    const uri = await client.open(path.join(root, 'm.go'), source);
    const hints = (await client.inlayHints(uri)) ?? [];
    assert.deepStrictEqual(describeHints(hints), ['4:12 ? B']);
    assert.match(tooltipOf(hints[0]),
      /^- linux\/amd64, linux\/arm64, linux\/386, linux\/arm: size unknown — field p: cannot find package "example\\\.com\/elsewhere\/pkg"/m);
    const hover = hoverText(await client.hover(uri, 5, 1));
    assert.ok(hover.includes('| linux/386 | unknown | unknown | unknown | unknown | unknown | unknown |'), hover);
  });

  it('follows edits to other open files and files changed on disk', async () => {
    const outer = 'package m\n\ntype Outer struct {\n\tin Inner\n\tc  bool\n}\n';
    const inner32 = 'package m\n\ntype Inner struct {\n\tx int32\n}\n';
    const inner64 = 'package m\n\ntype Inner struct {\n\tx int64\n}\n';
    const root = writeModule({ 'go.mod': GO_MOD, 'outer.go': outer, 'inner.go': inner32 });
    assertCompilerAgrees(root, {
      amd64: [{ expr: 'unsafe.Sizeof(Outer{})', value: 8 }],
      '386': [{ expr: 'unsafe.Sizeof(Outer{})', value: 8 }],
    });
    await start({ targets: ['linux/amd64', 'linux/386'], inlayHints: { padding: false } });
    const outerUri = await client.open(path.join(root, 'outer.go'), outer);
    const outerHints = async () => describeHints(await client.inlayHints(outerUri, { start: { line: 2, character: 0 }, end: { line: 2, character: 20 } }));
    assert.deepStrictEqual(await outerHints(), ['2:10 8 B']);
    assert.deepStrictEqual(client.registrations.map((r) => [r.method, r.registerOptions]), [
      ['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/*.go' }, { globPattern: '**/go.mod' }, { globPattern: '**/.go-arch-lens.json' }] }],
    ]);

    fs.writeFileSync(path.join(root, 'inner.go'), inner64);
    assertCompilerAgrees(root, {
      amd64: [{ expr: 'unsafe.Sizeof(Outer{})', value: 16 }],
      '386': [{ expr: 'unsafe.Sizeof(Outer{})', value: 12 }],
    });
    await client.fileChangedOnDisk(path.join(root, 'inner.go'));
    await client.waitFor('a refresh after the disk change', () => client.refreshRequests === 1);
    assert.deepStrictEqual(await outerHints(), ['2:10 64-bit 16 B · 32-bit 12 B']);

    // Unsaved edits to an open dependency count too, and the other open file's hints are refreshed.
    const innerUri = await client.open(path.join(root, 'inner.go'), inner64);
    await client.change(innerUri, [{ range: { start: { line: 3, character: 3 }, end: { line: 3, character: 8 } }, text: 'int32' }]);
    await client.waitFor('a refresh after editing the dependency', () => client.refreshRequests >= 2);
    assert.deepStrictEqual(await outerHints(), ['2:10 8 B']);
  });

  it('lays out untitled Go buffers', async () => {
    await start({ targets: ['linux/amd64', 'linux/386'] });
    await client.openUri('untitled:Untitled-1', 'package main\n\ntype Mixed struct {\n\ta int32\n\tb int64\n}\n');
    assert.deepStrictEqual(describeHints(await client.inlayHints('untitled:Untitled-1')), ['2:10 64-bit 16 B · 32-bit 12 B', '3:8 +4 B pad (64-bit)']);
  });

  it('uses the built-in std table when the workspace is untrusted, even if folders are sent', async () => {
    const source = 'package m\n\nimport "time"\n\ntype Stamp struct {\n\tt time.Time\n}\n';
    const root = writeModule({ 'go.mod': GO_MOD, 'm.go': source });
    assertCompilerAgrees(root, {
      amd64: [{ expr: 'unsafe.Sizeof(Stamp{})', value: 24 }],
      '386': [{ expr: 'unsafe.Sizeof(Stamp{})', value: 20 }],
    });
    client = await LspTestClient.start({
      settings: { targets: ['linux/amd64', 'linux/386'] },
      initializationOptions: { goroot: '/nonexistent/goroot', trusted: false },
    });
    const uri = await client.open(path.join(root, 'm.go'), source);
    assert.deepStrictEqual(describeHints(await client.inlayHints(uri)), ['4:10 64-bit 24 B · 32-bit 20 B']);
    assert.ok(client.logMessages.some((m) => m.message.includes('no GOROOT (standard-library types from the built-in table)')));
  });

  it('reports an engine that cannot start instead of crashing, and answers with nothing', async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-bare-server-'));
    try {
      fs.copyFileSync(SERVER_BUNDLE, path.join(bare, 'server.js'));
      client = await LspTestClient.start({ serverPath: path.join(bare, 'server.js') });
      const shown = client.shownMessages[0]?.message ?? '';
      assert.match(shown, /^Go Arch Lens could not start its layout engine: Cannot find module 'web-tree-sitter\/tree-sitter\.wasm'$/);
      const uri = await client.open(path.join(bare, 'm.go'), FIXTURE_SOURCE);
      assert.strictEqual(await client.inlayHints(uri), null);
      assert.ok(client.alive);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
