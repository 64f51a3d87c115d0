import * as vscode from 'vscode';
import { bytesIn, openShapes, setTargets, sorted, waitForSizeHint } from './fixture';

const only = (...sizes: number[]) => (label: string) => JSON.stringify(sorted(bytesIn(label))) === JSON.stringify(sizes);

describe('goArchLens.targets setting', () => {
  after(() => setTargets(undefined));

  it('changes the hints of an open file without a reload', async () => {
    const doc: vscode.TextDocument = (await openShapes()).document;
    await setTargets(undefined);
    await waitForSizeHint(doc, 'Mixed', only(12, 16), 'Mixed at 12 and 16 B with the default targets');
    await setTargets(['linux/386', 'linux/arm']);
    await waitForSizeHint(doc, 'Mixed', only(12), 'Mixed at 12 B with only 32-bit targets');
    await setTargets(['linux/arm64']);
    await waitForSizeHint(doc, 'Mixed', only(16), 'Mixed at 16 B with only linux/arm64');
  });
});
