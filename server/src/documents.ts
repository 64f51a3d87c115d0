import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TextChange } from '../../core/src/api';

/**
 * The engine's file path for a document URI. Untitled buffers get a path in a folder that does not exist, so the
 * engine treats each as a package of its own; other schemes (git:, vscode-vfs:) have no file and get no hints.
 */
export function fileOfUri(uri: string): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  if (uri.startsWith('untitled:')) {
    const name = uri.slice('untitled:'.length).replace(/[^A-Za-z0-9._-]/g, '_');
    return path.join(os.tmpdir(), 'go-arch-lens-untitled', `${name}.go`);
  }
  return undefined;
}

/** Text of the documents the editor has open, kept in step with its edits (the engine keeps its own copy). */
export class OpenDocuments {
  private readonly docs = new Map<string, TextDocument>();

  open(uri: string, version: number, text: string): void {
    this.docs.set(uri, TextDocument.create(uri, 'go', version, text));
  }

  /**
   * Applies the editor's changes in order and returns them as ranged edits for the engine: a change without a
   * range replaces the whole text as it stood before that change.
   */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): TextChange[] {
    let doc = this.docs.get(uri);
    if (!doc) throw new Error(`change to a document that was never opened: ${uri}`);
    const edits: TextChange[] = [];
    for (const change of changes) {
      const range = 'range' in change ? change.range : { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
      // Resolved by this document model, whose copy the hints are placed in: the engine then keeps the same text.
      const ends = [doc.offsetAt(range.start), doc.offsetAt(range.end)];
      doc = TextDocument.update(doc, [change], version);
      edits.push({ range, text: change.text, offsets: { start: Math.min(...ends), end: Math.max(...ends) }, after: doc.getText() });
    }
    this.docs.set(uri, doc);
    return edits;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri);
  }

  get count(): number {
    return this.docs.size;
  }
}
