import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { bytesIn, setTargets, sorted, waitFor, waitForSizeHint, workspaceDir } from './fixture';

const only = (...sizes: number[]) => (label: string) => JSON.stringify(sorted(bytesIn(label))) === JSON.stringify(sizes);

describe('a project\'s own targets (.go-arch-lens.json)', () => {
  after(() => setTargets(undefined));

  it('lays out a folder\'s files for its project file\'s targets unless goArchLens.targets is set', async () => {
    await setTargets(undefined);
    const file = path.join(workspaceDir, 'projecttargets', 'mixed.go');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    await waitForSizeHint(doc, 'Mixed', only(12), 'Mixed at 12 B only: the project ships linux/386 and linux/arm');
    await setTargets(['linux/amd64']);
    await waitForSizeHint(doc, 'Mixed', only(16), 'Mixed at 16 B: the user setting overrides the project file');
    await setTargets(undefined);
    await waitForSizeHint(doc, 'Mixed', only(12), 'back to the project file once the setting is cleared');
  });

  it('validates the project file with the contributed JSON schema', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-schema-'));
    const file = path.join(dir, '.go-arch-lens.json');
    fs.writeFileSync(file, '{\n  "targets": ["linux/amd64", "linux/sparc"]\n}\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    const problems = await waitFor('a schema diagnostic on "linux/sparc"', () => {
      const found = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.range.start.line === 1);
      return found.length > 0 ? found : undefined;
    }, 60_000);
    const sparc = doc.getText().indexOf('"linux/sparc"');
    if (!problems.some((d) => d.range.contains(doc.positionAt(sparc + 1)))) {
      throw new Error(`the schema diagnostic is not on "linux/sparc": ${JSON.stringify(problems.map((d) => d.message))}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
