// Helpers that poll the real editor instead of sleeping. The fixture's paths and compiler-checked sizes live in
// fixtureLayouts.ts, which has no `vscode` import so the Playwright UI checks can use the same numbers.
import * as vscode from 'vscode';
import { shapesFile } from './fixtureLayouts';

export * from './fixtureLayouts';

export const EXTENSION_ID = 'go-arch-lens.go-arch-lens';

/** Polls `probe` until it returns something other than undefined; fails with the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last === undefined ? '' : `; last: ${String(last)}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function openShapes(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(shapesFile));
  return vscode.window.showTextDocument(doc);
}

export function labelText(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

/** Where a struct's name ends in the document: the size hint sits there. */
export function structNameEnd(doc: vscode.TextDocument, name: string): vscode.Position {
  const offset = doc.getText().indexOf(`type ${name} struct`);
  if (offset < 0) throw new Error(`no type ${name} struct in ${doc.uri.fsPath}`);
  return doc.positionAt(offset + `type ${name}`.length);
}

export async function inlayHints(doc: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  return (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole)) ?? [];
}

/** The label of the size hint after `name`, or undefined while the server has not produced it. */
export async function sizeHintLabel(doc: vscode.TextDocument, name: string): Promise<string | undefined> {
  const at = structNameEnd(doc, name);
  const hint = (await inlayHints(doc)).find((h) => h.position.isEqual(at));
  return hint ? labelText(hint) : undefined;
}

/** Polls until the size hint after `name` satisfies `accept`; returns its label. */
export function waitForSizeHint(doc: vscode.TextDocument, name: string, accept: (label: string) => boolean, what: string): Promise<string> {
  let seen: string | undefined;
  return waitFor(what, async () => {
    seen = await sizeHintLabel(doc, name);
    return seen !== undefined && accept(seen) ? seen : undefined;
  }).catch((err: Error) => {
    throw new Error(`${err.message}; last size hint after ${name}: ${JSON.stringify(seen)}`);
  });
}

/** The numbers in a size label like `64-bit 16 B · 32-bit 12 B`, in order. */
export function bytesIn(label: string): number[] {
  return [...label.matchAll(/(\d+) B\b/g)].map((m) => Number(m[1]));
}

export function sorted(numbers: number[]): number[] {
  return [...numbers].sort((a, b) => a - b);
}

export async function setTargets(targets: string[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('goArchLens').update('targets', targets, vscode.ConfigurationTarget.Global);
}
