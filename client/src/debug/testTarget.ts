// Which test a race debug session runs: the named one in a file, or the one under the active editor's cursor.
import * as path from 'path';
import * as vscode from 'vscode';
import { findTestFunctions, isTestFile, testFunctionAt, type TestFunction } from '../../../core/src/gotest/testFunctions';

export interface TestTarget {
  packageDir: string;
  /** null: no test function under the cursor, so the package's tests */
  test: TestFunction | null;
}

export function testsInActiveEditor(): TestTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file' || !isTestFile(editor.document.fileName)) return undefined;
  const functions = findTestFunctions(editor.document.getText());
  return { packageDir: path.dirname(editor.document.uri.fsPath), test: testFunctionAt(functions, editor.selection.active.line) };
}

export async function namedTest(uri: vscode.Uri, testName: string): Promise<TestTarget | undefined> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const test = findTestFunctions(doc.getText()).find((fn) => fn.name === testName);
  return test ? { packageDir: path.dirname(uri.fsPath), test } : undefined;
}
