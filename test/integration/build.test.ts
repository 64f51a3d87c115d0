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
import { EXTENSION_ID, setTargets, waitFor, workspaceDir } from './fixture';

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

  it('Check All Targets compiles every package of the workspace for every target and says so', async () => {
    // The fixture workspace's five packages build on all their targets: the four defaults, and for projecttargets/
    // the linux/386 and linux/arm of its own .go-arch-lens.json (`go-arch-lens check --build ./...` there prints
    // `linux/amd64 ok, linux/arm64 ok, linux/386 ok, linux/arm ok`).
    const packages = ['', 'debugrace', 'layoutview', 'projecttargets', 'racy'];
    const targetsOf = (pkg: string) => pkg === 'projecttargets' ? ['linux/386', 'linux/arm'] : ['linux/amd64', 'linux/arm64', 'linux/386', 'linux/arm'];
    const shown = await messagesShownWhile(() => vscode.commands.executeCommand<CheckAllResult | undefined>(CHECK_ALL_COMMAND));
    assert.deepStrictEqual(shown.result, { packages: packages.length, failing: [], problems: [], cancelled: false });
    assert.deepStrictEqual(shown.messages, ['Go Arch Lens: 5 packages build on every target']);
    // The verdicts behind each package's status bar item: one per target it ships, from this run of the compiler.
    for (const pkg of packages) {
      const dir = path.join(workspaceDir, pkg);
      assert.deepStrictEqual(api.build.packageState(dir), {
        dir, importPath: ['example.com/lensfixture', ...(pkg ? [pkg] : [])].join('/'), running: false,
        targets: targetsOf(pkg).map((target) => ({ target, status: 'ok', errors: 0, cgoSkipped: [] })),
      }, pkg || 'the root package');
    }
  });
});

/** What `run` returns and the information messages the extension showed meanwhile (each notification's text). */
async function messagesShownWhile<T>(run: () => Thenable<T>): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  const window = vscode.window as { showInformationMessage: (message: string) => Thenable<undefined> };
  const show = window.showInformationMessage;
  window.showInformationMessage = (message: string) => {
    messages.push(message);
    return Promise.resolve(undefined);
  };
  try {
    return { result: await run(), messages };
  } finally {
    window.showInformationMessage = show;
  }
}
