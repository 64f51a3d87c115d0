import * as assert from 'assert';
import * as path from 'path';
import { PublishDiagnosticsNotification, type Diagnostic, type InlayHint } from 'vscode-languageserver-protocol';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { deepSources } from '../support/deepSources';
import { realGoEnv, writeModule } from '../support/goModule';
import { labelOf, LspTestClient, serverPerTest, tooltipOf } from './lspClient';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
const SIZES_ONLY = { targets: ['linux/amd64', 'linux/386'], inlayHints: { structSize: true, fieldOffsets: true, padding: false } };

function describeHints(hints: InlayHint[] | null): string[] {
  return (hints ?? []).map((h) => `${h.position.line}:${h.position.character} ${labelOf(h)}`);
}

describe('language server on hostile documents', function () {
  this.timeout(300000);
  const go = realGoEnv();
  const startServer = serverPerTest();

  function start(): Promise<LspTestClient> {
    return startServer({ settings: SIZES_ONLY, initializationOptions: { ...go, trusted: true } });
  }

  it('answers for a file with structs nested 5,000 deep, keystroke after keystroke, saying what is too deep', async () => {
    const sources = deepSources(5000);
    const root = writeModule({ 'go.mod': GO_MOD, ...sources });
    const c = await start();
    let text = sources['anonymous.go'];
    const uri = await c.open(path.join(root, 'anonymous.go'), text);
    const lines = text.split('\n');
    const deepLine = lines.findIndex((l) => l.startsWith('type Deep'));
    const afterLine = lines.findIndex((l) => l.startsWith('type After'));
    for (let keystroke = 0; keystroke <= 5; keystroke++) {
      const hints = await c.inlayHints(uri);
      const deep = hints!.find((h) => h.position.line === deepLine)!;
      assert.strictEqual(labelOf(deep), '? B');
      assert.match(tooltipOf(deep), /field x: nested deeper than 200 levels/);
      assert.deepStrictEqual(describeHints(hints).filter((h) => h.startsWith(`${afterLine}:`)), [`${afterLine}:10 8 B`]);
      // A keystroke: a comment character typed at the end of the file, so the line numbers stay put.
      const end = { line: lines.length - 1, character: 0 };
      await c.change(uri, [{ range: { start: end, end }, text: '/' }]);
      text += '/';
    }
    assert.ok(c.alive);
    assert.doesNotMatch(c.stderr, /RangeError|call stack/);
  });

  it('keeps its copy of a document equal to the editor\'s through reversed and negative ranges and lone CRs', async () => {
    const root = writeModule({ 'go.mod': GO_MOD });
    const c = await start();
    let editor = TextDocument.create('file:///unused', 'go', 1, 'package m\r\rtype A struct {\r\ta int8\r\n\tb int16\n}\r');
    const uri = await c.open(path.join(root, 'edited.go'), editor.getText());
    const edits: TextDocumentContentChangeEvent[][] = [
      // Reversed: `int8` → `int64`.
      [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 3 } }, text: 'int64' }],
      // Negative positions mean the start of the text.
      [{ range: { start: { line: -3, character: -1 }, end: { line: 0, character: 0 } }, text: '// edited\r' }],
      // Past the end of a CRLF line: lands before the CR, not between CR and LF.
      [{ range: { start: { line: 4, character: 99 }, end: { line: 4, character: 99 } }, text: '\r\tc int32' }],
      // An LF typed right after a lone CR, then a field on the new line.
      [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '\n' }],
      [{ range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, text: '\td bool\r' }],
    ];
    for (const change of edits) {
      editor = TextDocument.update(editor, change, editor.version + 1);
      await c.change(uri, change);
    }
    assert.strictEqual(editor.getText(), '// edited\rpackage m\r\n\rtype A struct {\r\ta int64\r\tc int32\r\n\tb int16\n\td bool\r}\r');
    // The same text opened afresh, beside it, must get the same hints as the edited document.
    const freshUri = await c.open(path.join(root, 'fresh.go'), editor.getText().replace('type A', 'type F'));
    const edited = describeHints(await c.inlayHints(uri));
    assert.deepStrictEqual(edited, describeHints(await c.inlayHints(freshUri)));
    assert.ok(edited.length > 0);
  });
  it('gives a buffer over the 1 MiB analysis limit its hints but no analysis, and says so once', async () => {
    const c = await startServer({ settings: { ...SIZES_ONLY, diagnostics: { fieldOrderHints: true } }, initializationOptions: { ...go, trusted: true } });
    const published = new Map<string, Diagnostic[]>();
    c.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => published.set(uri, diagnostics));
    const wasteful = 'package m\n\ntype Wasteful struct {\n\ta bool\n\tb int64\n\tc bool\n}\n';
    const root = writeModule({ 'go.mod': GO_MOD });
    const small = await c.open(path.join(root, 'small.go'), wasteful);
    // The same struct, then 1.1 MB of comment lines.
    let big = wasteful + '// filler line of a generated file, long enough to make the buffer big quickly\n'.repeat(14000);
    const bigUri = await c.open(path.join(root, 'big.go'), big);
    await c.waitFor('the small file\'s field order hint', () => (published.get(small)?.length ?? 0) > 0);
    for (let keystroke = 0; keystroke < 3; keystroke++) {
      const end = { line: big.split('\n').length - 1, character: 0 };
      await c.change(bigUri, [{ range: { start: end, end }, text: '/' }]);
      big += '/';
      assert.ok(describeHints(await c.inlayHints(bigUri)).some((h) => h.startsWith('2:')), 'the big file\'s struct has its hints');
    }
    await c.waitFor('the analysis limit in the log', () => c.logMessages.some((m) => m.message.includes('big.go is not analyzed while open')));
    // Analyses of the small file after the big one's edits, and of the big one, ran meanwhile: none published for it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepStrictEqual(published.get(bigUri) ?? [], []);
    assert.strictEqual(c.logMessages.filter((m) => m.message.includes('big.go is not analyzed while open')).length, 1);
  });
});
