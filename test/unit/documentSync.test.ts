import * as assert from 'assert';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, Target, TextChange } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { applyChanges } from '../../core/src/parse/goParser';
import { OpenDocuments } from '../../server/src/documents';
import { writeModule } from '../support/goModule';
import { seededRandom } from '../support/seededRandom';

const TARGETS: Target[] = [{ goos: 'linux', goarch: 'amd64' }, { goos: 'linux', goarch: '386' }];

const PIECES = ['type S struct {', '\ta int8', '\tb int64', '}', '', '\tc [3]int16', 'type T struct{ x bool }', '// note'];
const BREAKS = ['\n', '\r\n', '\r'];

/** Go-ish text with every kind of line break, and a random edit with positions that may be reversed or out of range. */
function randomEdit(next: () => number, lineCount: number): TextChange {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const position = () => ({ line: Math.floor(next() * (lineCount + 4)) - 2, character: Math.floor(next() * 40) - 5 });
  const range: Range = { start: position(), end: position() };
  const text = next() < 0.3 ? '' : Array.from({ length: Math.floor(next() * 3) + 1 }, () => pick(PIECES) + pick(BREAKS)).join('');
  return { range, text };
}

describe('the engine\'s copy of an open document', () => {
  it('resolves ranges as vscode-languageserver-textdocument does: reversed and negative ranges, CRLF, lone CR', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      let text = 'package m\r\ntype A struct {\ra int8\n}\r\n';
      for (let step = 0; step < 20; step++) {
        // A document model made afresh each time: its line table, updated edit by edit, can miscount a CR and
        // an LF joined by an edit; the server hands the engine that model's offsets instead (test/lsp).
        let doc = TextDocument.create('file:///x.go', 'go', 1, text);
        const edit = randomEdit(next, doc.lineCount);
        doc = TextDocument.update(doc, [edit], doc.version + 1);
        text = applyChanges(text, undefined, [edit]);
        assert.strictEqual(JSON.stringify(text), JSON.stringify(doc.getText()), `seed ${seed}, step ${step}: ${JSON.stringify(edit)}`);
      }
    }
  });

  it('after such edits lays out what a fresh parse of the same text lays out (the syntax tree is edited correctly)', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' });
    const edited = await Engine.create();
    const fresh = await Engine.create();
    const file = path.join(root, 'x.go');
    for (let seed = 1; seed <= 60; seed++) {
      const next = seededRandom(seed);
      // The server's document model hands the engine its edits, as in didChange.
      const documents = new OpenDocuments();
      documents.open('file:///x.go', 1, 'package m\r\n\rtype A struct {\ra int8\n\tb int64\r\n}\n');
      edited.openFile(file, documents.get('file:///x.go')!.getText());
      for (let step = 0; step < 10; step++) {
        const edit = randomEdit(next, documents.get('file:///x.go')!.lineCount);
        edited.editFile(file, documents.change('file:///x.go', step + 2, [edit]));
      }
      fresh.openFile(file, documents.get('file:///x.go')!.getText());
      const describe = (engine: Engine) => JSON.stringify(engine.structsInFile(file, TARGETS).map((s) => [s.name, s.nameRange, s.layouts]));
      assert.strictEqual(describe(edited), describe(fresh), `seed ${seed}`);
      fresh.closeFile(file);
      edited.closeFile(file);
    }
  });

  it('is the document model\'s own text after each change, which the edits carry (no second copy per keystroke)', () => {
    const uri = 'file:///x.go';
    const documents = new OpenDocuments();
    documents.open(uri, 1, 'package m\n\ntype A struct {\n\ta int8\n}\n');
    const edits = documents.change(uri, 2, [
      { range: { start: { line: 3, character: 3 }, end: { line: 3, character: 7 } }, text: 'int64' },
      { range: { start: { line: 4, character: 1 }, end: { line: 4, character: 1 } }, text: '\ntype B int8' },
    ]);
    assert.deepStrictEqual(edits.map((e) => e.after), [
      'package m\n\ntype A struct {\n\ta int64\n}\n',
      'package m\n\ntype A struct {\n\ta int64\n}\ntype B int8\n',
    ]);
    assert.strictEqual(applyChanges('package m\n\ntype A struct {\n\ta int8\n}\n', undefined, edits), documents.get(uri)!.getText());
  });

  it('a reversed range replaces the same text as the well-formed one (the reported case)', () => {
    const text = 'package m\n\ntype A struct {\n\ta int8\n}\n';
    const reversed = applyChanges(text, undefined, [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 3 } }, text: 'int64' }]);
    assert.strictEqual(reversed, 'package m\n\ntype A struct {\n\ta int64\n}\n');
    const negative = applyChanges(text, undefined, [{ range: { start: { line: -1, character: -4 }, end: { line: 0, character: 7 } }, text: '' }]);
    assert.strictEqual(negative, ' m\n\ntype A struct {\n\ta int8\n}\n');
    const loneCr = applyChanges('package m\rtype A struct{ a int8 }\r', undefined, [{ range: { start: { line: 1, character: 17 }, end: { line: 1, character: 21 } }, text: 'int64' }]);
    assert.strictEqual(loneCr, 'package m\rtype A struct{ a int64 }\r');
  });
});
