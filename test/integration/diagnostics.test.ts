import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { setTargets, waitFor } from './fixture';

/** A module whose only file passes a hard-coded syscall number (test/fixtures/lsp/syscallnum). */
const fixtureModule = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'lsp', 'syscallnum');
const SOURCE = 'go-arch-lens';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

describe('diagnostics', () => {
  let copy: string;
  before(async () => {
    await setTargets(undefined);
    // A copy, so the fix never touches the repository even if the editor saved it.
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-diagnostics-'));
    fs.cpSync(fixtureModule, copy, { recursive: true });
  });
  after(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('show a hard-coded syscall number in the Problems, and its quick fix replaces it with the named constant', async () => {
    const uri = vscode.Uri.file(path.join(copy, 'raw_linux.go'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    try {
      const diagnostic = await waitFor('the syscall-number diagnostic', () => ours(uri).find((d) => d.code === 'syscallnum'));
      const line = doc.getText().split('\n').findIndex((l) => l.includes('syscall.Syscall(1,'));
      const column = doc.lineAt(line).text.indexOf('(1,') + 1;
      assert.ok(diagnostic.range.isEqual(new vscode.Range(line, column, line, column + 1)), `range ${JSON.stringify(diagnostic.range)}`);
      assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.strictEqual(diagnostic.message, 'syscall number 1 means write on linux/amd64; io_destroy on linux/arm64; ' +
        'exit on linux/386, linux/arm: use the named constant of each target');

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value) ?? [];
      const titles = actions.map((a) => a.title);
      const fix = actions.find((a) => a.title === 'Replace 1 with syscall.SYS_WRITE (its meaning on linux/amd64)');
      assert.ok(fix?.edit, `no quick fix with an edit among ${JSON.stringify(titles)}`);
      assert.strictEqual(fix.isPreferred, true);
      assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
      assert.ok(titles.includes('Replace 1 with unix.SYS_WRITE (its meaning on linux/amd64)'), JSON.stringify(titles));

      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the editor refused the edit');
      assert.ok(doc.getText().includes('\tsyscall.Syscall(syscall.SYS_WRITE, uintptr(fd),'), doc.getText());
      await waitFor('the diagnostic to go away after the fix', () => (ours(uri).length === 0 ? true : undefined));
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
