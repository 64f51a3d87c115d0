import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import {
  bytesIn, distinctSizes, inlayHints, labelText, openShapes, PACKED_EDIT, PACKED_EDITED_SIZES, setTargets, shapesFile,
  SIZES, sorted, waitFor, waitForSizeHint,
} from './fixture';

const sameNumbers = (a: number[], b: number[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

describe('inlay hints', () => {
  before(() => setTargets(undefined));

  it('show every struct size of the default targets after the struct name', async () => {
    const doc = (await openShapes()).document;
    for (const name of ['Mixed', 'Packed', 'Words'] as const) {
      const expected = distinctSizes(SIZES[name]);
      const label = await waitForSizeHint(doc, name, (l) => bytesIn(l).length > 0, `the size hint after ${name}`);
      assert.deepStrictEqual(sorted(bytesIn(label)), expected, `size hint after ${name}: ${JSON.stringify(label)}`);
    }
  });

  it('mark the 4 bytes of padding 64-bit targets put after Mixed.a', async () => {
    const doc = (await openShapes()).document;
    const line = doc.getText().split('\n').findIndex((l) => l.trim() === 'a int32');
    assert.ok(line >= 0, 'shapes.go has no `a int32` line');
    const label = await waitFor('a padding hint on the `a int32` line', async () => {
      const hint = (await inlayHints(doc)).find((h) => h.position.line === line);
      return hint ? labelText(hint) : undefined;
    });
    assert.match(label, /\b4 B\b/);
    assert.match(label, /pad/);
    assert.match(label, /64/, `padding exists only on 64-bit targets: ${JSON.stringify(label)}`);
  });

  it('follow an unsaved edit, and its revert', async () => {
    const editor = await openShapes();
    const doc = editor.document;
    const onDisk = fs.readFileSync(shapesFile, 'utf8');
    const at = doc.positionAt(doc.getText().indexOf(PACKED_EDIT.after) + PACKED_EDIT.after.length);
    try {
      assert.ok(await editor.edit((e) => e.insert(at, PACKED_EDIT.insert)), 'the edit was not applied');
      const edited = distinctSizes(PACKED_EDITED_SIZES);
      await waitForSizeHint(doc, 'Packed', (l) => sameNumbers(bytesIn(l), edited), `Packed to show ${edited.join(' and ')} B`);
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.strictEqual(doc.isDirty, false, 'revert left shapes.go modified');
    assert.strictEqual(fs.readFileSync(shapesFile, 'utf8'), onDisk, 'the edit reached the disk (is files.autoSave on?)');
    const original = distinctSizes(SIZES.Packed);
    await waitForSizeHint(doc, 'Packed', (l) => sameNumbers(bytesIn(l), original), `Packed back at ${original.join(', ')} B`);
  });
});
