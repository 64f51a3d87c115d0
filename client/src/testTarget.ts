// Which test a race run or race debug session is for: the named one in a file (the CodeLenses pass a name), or the
// one under the active editor's cursor. Shared by client/src/race and client/src/debug.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { findTestFunctions, isTestFile, testFunctionAt, type TestFunction } from '../../core/src/gotest/testFunctions';

export interface TestTarget {
  uri: vscode.Uri;
  packageDir: string;
  /** null: no test function under the cursor, so the package's tests */
  test: TestFunction | null;
}

/** A target naming one test function. */
export type SingleTestTarget = TestTarget & { test: TestFunction };

/** The active _test.go file's package and the test function under the cursor; undefined without such a file. */
export function testsInActiveEditor(): TestTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file' || !isTestFile(editor.document.fileName)) return undefined;
  const functions = findTestFunctions(editor.document.getText());
  const uri = editor.document.uri;
  return { uri, packageDir: path.dirname(uri.fsPath), test: testFunctionAt(functions, editor.selection.active.line) };
}

/**
 * The test function `name` of a file: from its open editor buffer when there is one (unsaved edits count), else
 * from disk. A message saying why when the file cannot be read or has no such function.
 */
export async function namedTest(uri: vscode.Uri, name: string): Promise<SingleTestTarget | string> {
  let text: string;
  try {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    text = open ? open.getText() : await fs.promises.readFile(uri.fsPath, 'utf8');
  } catch (err) {
    return `Cannot read ${uri.fsPath}: ${(err as Error).message}`;
  }
  const test = findTestFunctions(text).find((fn) => fn.name === name);
  return test ? { uri, packageDir: path.dirname(uri.fsPath), test } : `${path.basename(uri.fsPath)} has no test function ${name}.`;
}
