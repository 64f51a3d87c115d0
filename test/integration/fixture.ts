// The fixture workspace the integration tests open, the sizes the go compiler gives its structs (checked by
// fixtureFacts.test.ts against the real compiler, so a wrong number here fails), and small helpers that poll
// the real editor instead of sleeping.
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'go-arch-lens.go-arch-lens';
export const workspaceDir = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace');
export const shapesFile = path.join(workspaceDir, 'shapes.go');
export const FIXTURE_PACKAGE = 'lensfixture';

export type Arch = 'amd64' | 'arm64' | '386' | 'arm';
export const ARCHES: Arch[] = ['amd64', 'arm64', '386', 'arm'];

/** `unsafe.Sizeof` of each fixture struct per GOARCH (goos linux). */
export const SIZES: Record<'Mixed' | 'Packed' | 'Words', Record<Arch, number>> = {
  Mixed: { amd64: 16, arm64: 16, '386': 12, arm: 12 },
  Packed: { amd64: 16, arm64: 16, '386': 16, arm: 16 },
  Words: { amd64: 32, arm64: 32, '386': 16, arm: 16 },
};

/** `unsafe.Offsetof(Mixed{}.b)` per GOARCH: after 4 bytes of padding on 64-bit, right after `a` on 32-bit. */
export const MIXED_B_OFFSETS: Record<Arch, number> = { amd64: 8, arm64: 8, '386': 4, arm: 4 };

/** An unsaved edit the tests type into shapes.go: a bool after Packed's last field. */
export const PACKED_EDIT = { after: '\tz int32\n', insert: '\tw bool\n' };
/** Packed's size once PACKED_EDIT is applied: 17 bytes of fields rounded up to each target's alignment. */
export const PACKED_EDITED_SIZES: Record<Arch, number> = { amd64: 24, arm64: 24, '386': 20, arm: 20 };

export function applyPackedEdit(source: string): string {
  const at = source.indexOf(PACKED_EDIT.after);
  if (at < 0) throw new Error(`shapes.go no longer contains ${JSON.stringify(PACKED_EDIT.after)}`);
  const end = at + PACKED_EDIT.after.length;
  return source.slice(0, end) + PACKED_EDIT.insert + source.slice(end);
}

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

export function distinctSizes(sizes: Record<Arch, number>, arches: Arch[] = ARCHES): number[] {
  return [...new Set(arches.map((a) => sizes[a]))].sort((a, b) => a - b);
}

export function sorted(numbers: number[]): number[] {
  return [...numbers].sort((a, b) => a - b);
}

export async function setTargets(targets: string[] | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('goArchLens').update('targets', targets, vscode.ConfigurationTarget.Global);
}
