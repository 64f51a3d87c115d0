import * as path from 'path';
import type { StructLayout, Target } from '../../api';
import type { FieldDecl } from '../../model/ast';
import { fieldOf, rangeOf } from '../../model/extract';
import type { SyntaxNode } from '../../parse/goParser';
import { cacheLineSize } from '../../layout/memoryCosts';
import { ModuleFinder } from '../../resolve/modules';
import { targetKey } from '../../targets';
import type { Fix, TextEdit } from '../finding';
import { ensureImport } from '../imports';
import { isGeneratedFile } from '../packageLiterals';
import { Analyzer, localNameOf, nodesOfType, Pass } from '../pass';

const XSYS_MODULE = 'golang.org/x/sys';
const XSYS_CPU = 'golang.org/x/sys/cpu';

/** Element types a hand-written pad is made of: `_ [56]byte`, `_ [7]uint64`. */
const PAD_ELEMENTS = new Set(['byte', 'uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'uint64', 'int64', 'uint', 'int', 'uintptr']);

/** Names hand-written padding goes by: blank, or `pad`, `_pad`, `padding`, `pad1`… */
const PAD_NAME = /^(_|_?pad(ding)?_?\d*)$/i;

/** A padding array field of a struct and where it sits among the struct's fields (one entry per name). */
interface Pad {
  node: SyntaxNode;
  type: SyntaxNode;
  entry: number;
}

/** How a pad works out on one target. */
interface PadOnTarget {
  target: Target;
  line: number;
  padBytes: number;
  /** Bytes from the end of the previous pad (or the struct's start) to the end of this one. */
  segment: number;
  holds: boolean;
}

export const cacheLinePad: Analyzer = {
  name: 'cachelinepad',
  ruleId: 'GAL1007',
  doc: 'Hand-written cache-line padding (`_ [64 - 8]byte`, `_ [56]byte`) sized for one word or line size, which leaves fields sharing a cache line on targets with other sizes (128 B lines on arm64, 32-bit words on 386 and arm).',
  appliesTo: (model) => model.types.some((t) => t.type.kind === 'struct'),
  run(pass) {
    // Generated files mirror foreign layouts (kernel ABI structs padded to a union's size), and nobody edits them.
    if (pass.fileTargets.length === 0 || isGeneratedFile(pass.text)) return;
    const requiresXSys = new ModuleFinder().forDir(path.dirname(pass.file))?.requires.has(XSYS_MODULE) ?? false;
    for (const struct of nodesOfType(pass.root, 'struct_type')) checkStruct(pass, struct, requiresXSys);
  },
};

function checkStruct(pass: Pass, struct: SyntaxNode, requiresXSys: boolean): void {
  const list = struct.namedChildren.find((n) => n?.type === 'field_declaration_list');
  const declNodes = list?.namedChildren.filter((n): n is SyntaxNode => n?.type === 'field_declaration') ?? [];
  const fields = declNodes.map((node) => fieldOf(node));
  const pads = padsOf(declNodes, fields);
  if (pads.length === 0 || fields.some(isHostLayoutMarker)) return;
  const layouts = pass.fileTargets.flatMap((target) => {
    const layout = pass.oracle.structLayoutOf({ kind: 'struct', fields }, target)?.layout;
    return layout && layout.size !== null ? [{ target, layout }] : [];
  });
  // Segments run from one cache-line pad to the next; alignment pads in between (`_ [is64bit]int32`) are fields.
  let previous: Pad | undefined;
  for (const pad of pads) {
    const onTargets = layouts.flatMap(({ target, layout }) => padOnTarget(target, layout, pad, previous) ?? []);
    if (!looksLikeCacheLinePadding(pad, onTargets)) continue;
    const failing = onTargets.filter((p) => !p.holds);
    const holding = onTargets.filter((p) => p.holds);
    if (failing.length > 0 && holding.length > 0) report(pass, pad, holding, failing, previous !== undefined, requiresXSys);
    previous = pad;
  }
}

/** A `structs.HostLayout` field: the struct follows a layout defined outside Go, padding included. */
function isHostLayoutMarker(field: FieldDecl): boolean {
  return field.type.kind === 'name' && field.type.name === 'HostLayout' && field.type.qualifier !== undefined;
}

/** Padding-named fields of array type whose elements are integers: padding someone counted by hand. */
function padsOf(declNodes: SyntaxNode[], fields: FieldDecl[]): Pad[] {
  const pads: Pad[] = [];
  let entry = 0;
  declNodes.forEach((node, i) => {
    const field = fields[i];
    const type = node.childForFieldName('type');
    const element = type?.type === 'array_type' ? type.childForFieldName('element') : undefined;
    const padName = !field.embedded && field.names.length === 1 && PAD_NAME.test(field.names[0].name);
    if (type && padName && element?.type === 'type_identifier' && PAD_ELEMENTS.has(element.text)) pads.push({ node, type, entry });
    entry += field.embedded ? 1 : field.names.length;
  });
  return pads;
}

/**
 * On one target: a pad keeps the fields before it and after it off a shared line when it is a whole line itself,
 * or when it ends its segment on a line boundary (assuming, as such code does, that the struct starts on one).
 */
function padOnTarget(target: Target, layout: StructLayout, pad: Pad, previous: Pad | undefined): PadOnTarget | undefined {
  const line = cacheLineSize(target.goarch);
  const field = layout.fields[pad.entry];
  const before = previous ? layout.fields[previous.entry] : undefined;
  if (!line || !field || field.offset === null || field.size === null) return undefined;
  const start = before ? (before.offset ?? Number.NaN) + (before.size ?? Number.NaN) : 0;
  const segment = field.offset + field.size - start;
  if (Number.isNaN(segment)) return undefined;
  return { target, line, padBytes: field.size, segment, holds: field.size >= line || segment % line === 0 };
}

/**
 * Padding meant for cache lines: its length names a line size (64, 128, 256) or a cache-line constant, or it completes a
 * 64-byte block on some target with at least 32 bytes of its own (alignment pads are a few bytes).
 */
function looksLikeCacheLinePadding(pad: Pad, onTargets: PadOnTarget[]): boolean {
  const length = pad.type.childForFieldName('length')?.text ?? '';
  // Not 32: objects are sized to 32 bytes for the allocator's size classes as often as for arm's lines.
  if (/\b(64|128|256)\b|cache|line/i.test(length)) return true;
  return onTargets.some((p) => p.padBytes >= 32 && p.segment % 64 === 0);
}

function report(pass: Pass, pad: Pad, holding: PadOnTarget[], failing: PadOnTarget[], afterPad: boolean, requiresXSys: boolean): void {
  const from = afterPad ? 'the previous padding' : "the struct's start";
  const failures = failing.map((p) => `${targetKey(p.target)} (${p.line} B lines: ends ${p.segment} B after ${from}, ${p.padBytes} B of padding)`);
  const padText = pad.node.text.replace(/\s+/g, ' ');
  const fix = requiresXSys ? lineFix(pass, pad) : undefined;
  const advice = requiresXSys
    ? (fix ? '' : `; ${XSYS_CPU}.CacheLinePad would pad each target's own line, but this file already uses the name cpu for another package`)
    : `; ${XSYS_CPU}.CacheLinePad pads each target's own line, but this module does not require ${XSYS_MODULE}`;
  pass.report({
    range: rangeOf(pad.node),
    severity: 'warning',
    message: `cache-line padding ${padText} keeps fields on separate lines on ${byLine(holding)} but not on ${failures.join(', ')}${advice}`,
    fixes: fix ? [fix] : undefined,
  });
}

/** `linux/amd64, linux/386 (64 B lines), linux/arm (32 B lines)`. */
function byLine(entries: PadOnTarget[]): string {
  const groups = new Map<number, string[]>();
  for (const e of entries) groups.set(e.line, [...(groups.get(e.line) ?? []), targetKey(e.target)]);
  return [...groups].map(([line, targets]) => `${targets.join(', ')} (${line} B lines)`).join(', ');
}

/** Replaces the pad's type with x/sys's CacheLinePad, adding the import; none when `cpu` names something else. */
function lineFix(pass: Pass, pad: Pad): Fix | undefined {
  const taken = pass.model.imports.some((imp) => imp.path !== XSYS_CPU && (imp.alias ?? path.posix.basename(imp.path)) === 'cpu');
  if (taken && !localNameOf(pass.model, XSYS_CPU)) return undefined;
  const { name, edits } = ensureImport(pass.file, pass.model, pass.root, XSYS_CPU, 'cpu');
  return {
    title: `Pad with ${name}.CacheLinePad (${XSYS_CPU}: a whole cache line on every target)`,
    preferred: true,
    edits: [...edits, { file: pass.file, range: rangeOf(pad.type), newText: `${name}.CacheLinePad` }, ...orphanedImports(pass, pad.type)],
  };
}

/**
 * Deletes the imports only the pad's length used (`unsafe` in `[64 - unsafe.Sizeof(x)]byte`): Go rejects an
 * unused import, so the fix would not build otherwise.
 */
function orphanedImports(pass: Pass, padType: SyntaxNode): TextEdit[] {
  const uses = nodesOfType(pass.root, ['identifier', 'package_identifier']).filter((n) =>
    n.parent?.type === 'qualified_type' || (n.parent?.type === 'selector_expression' && n.parent.childForFieldName('operand')?.id === n.id));
  const inside = (n: SyntaxNode) => n.startIndex >= padType.startIndex && n.endIndex <= padType.endIndex;
  const edits: TextEdit[] = [];
  for (const spec of nodesOfType(pass.root, 'import_spec')) {
    const importPath = spec.childForFieldName('path')?.text.slice(1, -1);
    const local = importPath && localNameOf(pass.model, importPath);
    if (!local) continue;
    const used = uses.filter((n) => n.text === local);
    if (used.length === 0 || !used.every(inside)) continue;
    // A lone `import "unsafe"` goes with its declaration; in a parenthesised list, its own line.
    const whole = spec.parent?.type === 'import_declaration' ? spec.parent : spec;
    edits.push({ file: pass.file, range: { start: { line: whole.startPosition.row, character: 0 }, end: { line: whole.endPosition.row + 1, character: 0 } }, newText: '' });
  }
  return edits;
}
