// The compiler's verdict per target inside a real VS Code: open a file of a package that does not build on one target,
// see the diagnostic naming it and the status bar verdict, fix it, see both change.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GoArchLensApi } from '../../client/src/extension';
import { CHECK_ALL_COMMAND } from '../../client/src/build';
import type { CheckAllResult } from '../../server/src/buildProtocol';
import { EXTENSION_ID, setTargets, waitFor } from './fixture';

/** A module with one package per case (test/fixtures/build/targets). */
const fixtureModule = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'build', 'targets');

function buildDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'go-arch-lens' && d.code === 'build');
}

describe('the compiler\'s verdict per target', () => {
  let copy: string;
  let api: GoArchLensApi;

  before(async () => {
    await setTargets(undefined);
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-build-'));
    fs.cpSync(fixtureModule, copy, { recursive: true });
    const extension = vscode.extensions.getExtension<GoArchLensApi>(EXTENSION_ID);
    assert.ok(extension, 'the extension is not installed');
    api = await extension.activate();
  });
  after(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('names the target a function is missing on, shows ✗ in the status bar, and clears both once the per-arch file is fixed', async () => {
    const nameUri = vscode.Uri.file(path.join(copy, 'perarch', 'name.go'));
    const doc = await vscode.workspace.openTextDocument(nameUri);
    await vscode.window.showTextDocument(doc);
    const diagnostic = await waitFor('the build diagnostic', () => buildDiagnostics(nameUri)[0], 240_000);
    assert.strictEqual(diagnostic.message, 'undefined: archName (linux/arm64)');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('archName()'));
    assert.strictEqual(diagnostic.range.start.line, line);
    await waitFor('✗ in the status bar', () => (api.build.statusBar.text === '✗ linux/arm64' ? true : undefined), 60_000);
    const tooltip = api.build.statusBar.tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /- `linux\/amd64`: builds\n- `linux\/arm64`: 1 error\n- `linux\/386`: builds\n- `linux\/arm`: builds/);

    const armUri = vscode.Uri.file(path.join(copy, 'perarch', 'name_linux_arm64.go'));
    const arm = await vscode.workspace.openTextDocument(armUri);
    const editor = await vscode.window.showTextDocument(arm);
    await editor.edit((b) => b.insert(new vscode.Position(arm.lineCount, 0), '\nfunc archName() string { return "arm64" }\n'));
    assert.ok(await arm.save(), 'the editor did not save the file');
    await waitFor('the diagnostic to vanish', () => (buildDiagnostics(nameUri).length === 0 ? true : undefined), 240_000);
    await vscode.window.showTextDocument(doc);
    await waitFor('✓ in the status bar', () => (api.build.statusBar.text === '✓ 4/4 targets' ? true : undefined), 240_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Check All Targets compiles the workspace for every target', async () => {
    const result = await vscode.commands.executeCommand<CheckAllResult | undefined>(CHECK_ALL_COMMAND);
    assert.ok(result, 'the command returned nothing');
    assert.ok(result.packages > 0, JSON.stringify(result));
    assert.deepStrictEqual(result.failing, []);
    assert.deepStrictEqual(result.problems, []);
  });
});
