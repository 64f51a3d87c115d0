import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver/node';
import type { StructInfo, Target } from '../../core/src/api';
import { fieldHover, structHover } from './format/hover';
import { showMemoryLayoutLink } from './showLayoutLink';
import { anchorOf } from './structAnchor';
import type { ToolTags } from '../../core/src/toolchain/toolTags';

/**
 * Layout hover for the struct name (an anonymous struct's `struct` keyword, or the variable it is the type of) or
 * struct field under `position`, if any. Structs come outer first, so a field holding an anonymous struct shows
 * its offset in the outer struct.
 */
export function hoverAt(uri: string, structs: StructInfo[], position: Position, targets: Target[], toolTagsOf?: (target: Target) => ToolTags): Hover | null {
  for (const struct of structs) {
    const anchor = anchorOf(struct);
    const title = contains(anchor, position) ? anchor : contains(struct.nameRange, position) ? struct.nameRange : undefined;
    if (title) {
      return markdown(`${structHover(struct, targets, toolTagsOf)}\n\n${showMemoryLayoutLink(uri, anchor.start)}`, title);
    }
    if (!contains(struct.bodyRange, position)) continue;
    const index = struct.fields.findIndex((f) => contains(f.range, position));
    if (index >= 0) return markdown(fieldHover(struct, index, targets), struct.fields[index].range);
  }
  return null;
}

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** Whether `p` is inside `r`, its end included so that a cursor right after a name still hovers it. */
function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}
