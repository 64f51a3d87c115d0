import * as assert from 'assert';
import * as vscode from 'vscode';
import { ARCHES, MIXED_B_OFFSETS, openShapes, setTargets, SIZES, structNameEnd, waitFor } from './fixture';

/** All markdown of the hovers at a position, once some hover mentions `mustMention`. */
async function hoverText(doc: vscode.TextDocument, position: vscode.Position, mustMention: string): Promise<string> {
  return waitFor(`a hover mentioning ${mustMention}`, async () => {
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    return text.includes(mustMention) ? text : undefined;
  });
}

/** The cells of the markdown table row whose first cell is `first`. */
function tableRow(markdown: string, first: string): string[] {
  const row = markdown
    .split('\n')
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
    .find((cells) => cells[0] === first);
  assert.ok(row, `no table row for ${first} in hover:\n${markdown}`);
  return row;
}

describe('hover', () => {
  before(() => setTargets(undefined));

  it('on a struct name shows its size on every target in a table', async () => {
    const doc = (await openShapes()).document;
    const text = await hoverText(doc, structNameEnd(doc, 'Mixed').translate(0, -2), 'linux/386');
    for (const arch of ARCHES) {
      assert.strictEqual(tableRow(text, `linux/${arch}`)[1], `${SIZES.Mixed[arch]} B`, `size of Mixed on ${arch}`);
    }
  });

  it('on a field shows its offset on every target', async () => {
    const doc = (await openShapes()).document;
    const fieldAt = doc.positionAt(doc.getText().indexOf('\tb int64') + 1);
    const text = await hoverText(doc, fieldAt, 'linux/386');
    for (const arch of ARCHES) {
      assert.strictEqual(tableRow(text, `linux/${arch}`)[1], String(MIXED_B_OFFSETS[arch]), `offset of Mixed.b on ${arch}`);
    }
  });
});
