import * as assert from 'assert';
import * as path from 'path';
import { CodeActionRequest, PublishDiagnosticsNotification, type CodeAction, type Diagnostic, type InlayHint, type TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { realGoEnv, writeModule } from '../support/goModule';
import { hoverText, labelOf, serverPerTest, type LspTestClient } from './lspClient';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
const SETTINGS = {
  targets: ['linux/amd64', 'linux/386'],
  inlayHints: { structSize: true, fieldOffsets: true, padding: true },
  diagnostics: { fieldOrderHints: true },
  build: { enable: false },
};

/**
 * A lone CR inside a comment: Go's scanner (and tree-sitter) count lines by LF only, so for them the comment is one
 * line; the editor (VS Code, vscode-languageserver-textdocument) breaks the line there. Every position the server
 * sends must be in the editor's lines, so the file must get what the same file with an LF there gets (for Go the
 * two files are the same program: the CR or LF sits inside a line comment).
 */
const WITH_LONE_CR = [
  'package m', '', '// Wasteful is padded.\r// The CR above ends a line for the editor only.',
  'type Wasteful struct {', '\tValid  bool', '\tOffset int64 // byte offset\r// still the same comment for Go', '\tFlags  uint8', '}', '',
].join('\n');
const WITH_LF = WITH_LONE_CR.replace(/\r/g, '\n');

function describeHints(hints: InlayHint[] | null): string[] {
  return (hints ?? []).map((h) => `${h.position.line}:${h.position.character} ${labelOf(h)}`).sort();
}

describe('language server on a document with lone CR line breaks', () => {
  const go = realGoEnv();
  const startServer = serverPerTest();

  it('places hints, hovers, diagnostics and fixes on the editor\'s lines', async () => {
    const c: LspTestClient = await startServer({ settings: SETTINGS, initializationOptions: { ...go, trusted: true } });
    const published = new Map<string, Diagnostic[]>();
    c.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => published.set(uri, diagnostics));
    const cr = await c.open(path.join(writeModule({ 'go.mod': GO_MOD }), 'cr.go'), WITH_LONE_CR);
    const lf = await c.open(path.join(writeModule({ 'go.mod': GO_MOD }), 'lf.go'), WITH_LF);

    const hints = describeHints(await c.inlayHints(lf));
    assert.ok(hints.some((h) => h.startsWith('4:')), `the LF file's struct is on line 4: ${hints.join(', ')}`);
    assert.deepStrictEqual(describeHints(await c.inlayHints(cr)), hints);
    // A viewport of the struct's last lines only, in the editor's numbers.
    const tail = { start: { line: 7, character: 0 }, end: { line: 9, character: 0 } };
    assert.deepStrictEqual(describeHints(await c.inlayHints(cr, tail)), describeHints(await c.inlayHints(lf, tail)));

    for (const [line, character] of [[4, 7], [6, 2], [8, 2]]) {
      const [atCr, atLf] = [await c.hover(cr, line, character), await c.hover(lf, line, character)];
      assert.ok(atLf, `a hover at ${line}:${character}`);
      // The same but for the document a Show memory layout link names, and the toolchain tags' source (the table
      // until go list answers, which may happen between the two hovers).
      const text = (hover: typeof atCr, uri: string) => hoverText(hover).split(encodeURIComponent(JSON.stringify(uri))).join('URI')
        .split('\n').filter((line) => !line.includes('toolchain tags')).join('\n');
      assert.deepStrictEqual([text(atCr, cr), atCr?.range], [text(atLf, lf), atLf.range], `hover at ${line}:${character}`);
    }

    await c.waitFor('fieldorder hints in both files', () => (published.get(cr)?.length ?? 0) > 0 && (published.get(lf)?.length ?? 0) > 0);
    assert.deepStrictEqual(published.get(cr), published.get(lf));
    const fixes = async (uri: string) => {
      const params = { textDocument: { uri }, range: published.get(uri)![0].range, context: { diagnostics: published.get(uri)! } };
      const found = await c.connection.sendRequest(CodeActionRequest.type, params) as CodeAction[];
      assert.ok(found.length > 0, `code actions for ${uri}`);
      const first = found[0].edit!;
      const edits: TextEdit[] = [...Object.values(first.changes ?? {}).flat(), ...(first.documentChanges ?? []).flatMap((d) => ('edits' in d ? d.edits : []))];
      return { titles: found.map((a) => a.title), edits };
    };
    const [atCr, atLf] = [await fixes(cr), await fixes(lf)];
    assert.deepStrictEqual(atCr.titles, atLf.titles);
    assert.deepStrictEqual(atCr.edits.map((e) => e.range), atLf.edits.map((e) => e.range));
    // Applied by the editor, the fix reorders the fields; for Go the second comment line is still on Offset's line
    // in the CR file (it goes with Offset), and a line of its own before Flags in the LF file (it goes with Flags).
    const fieldsAfter = (text: string, edits: TextEdit[]) => {
      const applied = TextDocument.applyEdits(TextDocument.create('file:///fixed.go', 'go', 1, text), edits);
      return applied.slice(applied.indexOf('{') + 1, applied.indexOf('}'));
    };
    assert.strictEqual(fieldsAfter(WITH_LONE_CR, atCr.edits), '\n\tOffset int64 // byte offset\r// still the same comment for Go\n\tValid  bool\n\tFlags  uint8\n');
    assert.strictEqual(fieldsAfter(WITH_LF, atLf.edits), '\n\tOffset int64 // byte offset\n\tValid  bool\n// still the same comment for Go\n\tFlags  uint8\n');
  });

  it('keeps both copies and the hints right through reversed and negative edit ranges', async () => {
    const c: LspTestClient = await startServer({ settings: SETTINGS, initializationOptions: { ...go, trusted: true } });
    const cr = await c.open(path.join(writeModule({ 'go.mod': GO_MOD }), 'cr.go'), WITH_LONE_CR);
    const lf = await c.open(path.join(writeModule({ 'go.mod': GO_MOD }), 'lf.go'), WITH_LF);
    // Both files have the same lines for the editor, so the same changes edit the same text in both.
    const changes: TextDocumentContentChangeEvent[][] = [
      // Reversed: Offset's `int64` (editor line 6) becomes `int32`.
      [{ range: { start: { line: 6, character: 13 }, end: { line: 6, character: 8 } }, text: 'int32' }],
      // Negative positions mean the start of the text.
      [{ range: { start: { line: -2, character: -7 }, end: { line: 0, character: 0 } }, text: '// head\n' }],
      // Past the end of line 9 (`\tFlags  uint8`): a field after it.
      [{ range: { start: { line: 9, character: 99 }, end: { line: 9, character: 99 } }, text: '\n\tCount  uint16' }],
    ];
    let editor = TextDocument.create('file:///unused', 'go', 1, WITH_LONE_CR);
    for (const change of changes) {
      editor = TextDocument.update(editor, change, editor.version + 1);
      await c.change(cr, change);
      await c.change(lf, change);
    }
    assert.strictEqual(editor.getText(), '// head\n' + WITH_LONE_CR.replace('Offset int64', 'Offset int32').replace('\tFlags  uint8', '\tFlags  uint8\n\tCount  uint16'));
    const hints = describeHints(await c.inlayHints(lf));
    // Offset is an int32 now (12 bytes in all), and Count is on the editor's line 10 (Go's line 8).
    for (const hint of ['5:13 12 B', '7:28 @4', '10:14 @10']) assert.ok(hints.includes(hint), `${hint} in ${hints.join(', ')}`);
    assert.deepStrictEqual(describeHints(await c.inlayHints(cr)), hints);
    const fresh = await c.open(path.join(writeModule({ 'go.mod': GO_MOD }), 'fresh.go'), editor.getText());
    assert.deepStrictEqual(describeHints(await c.inlayHints(fresh)), hints);
  });
});
