import type { FileModel } from '../model/ast';
import type { SyntaxNode } from '../parse/goParser';
import type { TextEdit } from './finding';
import { localNameOf } from './pass';

/**
 * The name to write for `importPath` in this file, and the edit that adds the import when the file lacks it
 * (a new import declaration after the last one, which gofmt accepts as is).
 */
export function ensureImport(file: string, model: FileModel, root: SyntaxNode, importPath: string, defaultName: string): { name: string; edits: TextEdit[] } {
  const existing = localNameOf(model, importPath);
  if (existing) return { name: existing, edits: [] };
  const decls = root.namedChildren.filter((n): n is SyntaxNode => n?.type === 'import_declaration');
  const anchor = decls[decls.length - 1] ?? root.namedChildren.find((n) => n?.type === 'package_clause');
  const line = (anchor?.endPosition.row ?? 0) + 1;
  return {
    name: defaultName,
    edits: [{ file, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `\nimport "${importPath}"\n` }],
  };
}
