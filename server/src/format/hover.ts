import type { StructInfo, StructLayout, Target } from '../../../core/src/api';
import { cacheLineSize, heapCost, heapCostText } from '../../../core/src/layout/memoryCosts';
import type { ToolTags } from '../../../core/src/toolchain/toolTags';
import { targetKey } from '../../../core/src/targets';
import { escapeMarkdown, markdownTable } from './markdown';
import { linesByText } from './targetGroups';
import { builtLayouts, excludedTargets, fieldLayout, paddingAfter } from './targetLayouts';

/** Cache lines of `line` bytes a value of `size` bytes touches when it starts on a line boundary. */
export function cacheLinesSpanned(size: number, line: number): number {
  return Math.ceil(size / line);
}

/** Whether bytes [offset, offset+size) straddle a `line`-byte boundary, counting from the start of the struct. */
export function crossesCacheLine(offset: number, size: number, line: number): boolean {
  return size > 0 && Math.floor(offset / line) !== Math.floor((offset + size - 1) / line);
}

/** The line size named in a cell, as each target's runtime pads to it: `128 B lines` on arm64. */
function linesNote(target: Target): string {
  return `(${cacheLineSize(target.goarch)} B lines)`;
}

const UNKNOWN = 'unknown';

function cell(value: number | null, unit = ''): string {
  return value === null ? UNKNOWN : `${value}${unit}`;
}

/** Hover for a struct's name: size, alignment, padding and cache lines per target. */
export function structHover(struct: StructInfo, targets: Target[], toolTagsOf?: (target: Target) => ToolTags): string {
  const built = builtLayouts(struct, targets);
  const rows = built.map(({ target, layout }) => [
    targetKey(target), cell(layout.size, ' B'), cell(layout.align), cell(totalPadding(layout), ' B'),
    cell(layout.trailingPadding, ' B'),
    layout.size === null ? UNKNOWN : `${cacheLinesSpanned(layout.size, lineOf(target))} ${linesNote(target)}`,
    cell(layout.ptrBytes, ' B'), newCost(layout, target),
  ]);
  const table = markdownTable(['target', 'size', 'align', 'padding', 'trailing padding', 'cache lines', 'pointer bytes', 'new(T) on the heap'], rows);
  const reasons = unknownNotes(built.filter((b) => b.layout.size === null).map(({ target, layout }) => ({ target, reason: layout.unknown })));
  const pointerReasons = linesByText(built.filter((b) => b.layout.size !== null && b.layout.ptrBytes === null)
    .map(({ target, layout }) => ({ target, text: `pointer bytes unknown — ${escapeMarkdown(layout.ptrBytesUnknown ?? 'no reason given')}` })));
  const tagLines = toolTagsOf ? toolTagNotes(built.map(({ target }) => target), toolTagsOf) : [];
  return compose(`**${structTitle(struct)}** — layout per target`, built.length ? table : '', [...reasons, ...pointerReasons, ...tagLines], struct, targets);
}

/**
 * Which of the toolchain's own build tags chose the files (goexperiment.*, amd64.v1…), per group of targets, and
 * where they come from: `go list` or the built-in table (with what it could not honour).
 */
export function toolTagNotes(targets: Target[], toolTagsOf: (target: Target) => ToolTags): string[] {
  return linesByText(targets.map((target) => {
    const { tags, source, problems } = toolTagsOf(target);
    const experiments = tags.filter((t) => t.startsWith('goexperiment.')).map((t) => t.slice('goexperiment.'.length)).sort();
    const levels = tags.filter((t) => !t.startsWith('goexperiment.'));
    const parts = [...levels, ...(experiments.length ? [`goexperiment.{${experiments.join(',')}}`] : [])];
    const text = `toolchain tags ${escapeMarkdown(parts.join(' ') || 'none')} (from ${escapeMarkdown(source)}` +
      `${problems.length ? `; ${escapeMarkdown(problems.join('; '))}` : ''})`;
    return { target, text };
  }));
}

/** `type T struct`, or for an alias or defined type the struct type it names: `type A = Header`. */
function structTitle(struct: StructInfo): string {
  const name = escapeMarkdown(struct.name);
  if (!struct.form) return `type ${name} struct`;
  if (struct.form.kind === 'literal') return struct.form.of === 'struct{…}' ? 'struct{…}' : `struct{…} of ${name}`;
  return `type ${name} ${struct.form.kind === 'alias' ? '= ' : ''}${escapeMarkdown(inlineType(struct.form.of))}`;
}

/**
 * The size class (or tiny block, or pages) `new(T)` gets. It depends on the pointers too: above a word-size
 * dependent size, objects with pointers carry a malloc header.
 */
function newCost(layout: StructLayout, target: Target): string {
  if (layout.size === null || layout.ptrBytes === null) return UNKNOWN;
  const cost = heapCost(layout.size, layout.ptrBytes, target.goarch);
  return cost ? heapCostText(cost) : UNKNOWN;
}

/** Hover for a field: offset, size, alignment, padding around it and whether it straddles a cache line. */
export function fieldHover(struct: StructInfo, index: number, targets: Target[]): string {
  const info = struct.fields[index];
  const built = builtLayouts(struct, targets);
  const rows = built.map(({ target, layout }) => {
    const field = fieldLayout(layout, index);
    const crosses = field.offset === null || field.size === null ? UNKNOWN
      : `${crossesCacheLine(field.offset, field.size, lineOf(target)) ? 'yes' : 'no'} ${linesNote(target)}`;
    return [
      targetKey(target), cell(field.offset), cell(field.size, ' B'), cell(field.align),
      cell(field.paddingBefore, ' B'), cell(paddingAfter(layout, index), ' B'), crosses,
    ];
  });
  const header = ['target', 'offset', 'size', 'align', 'padding before', 'padding after', 'crosses a cache line'];
  const reasons = unknownNotes(built
    .filter(({ layout }) => fieldLayout(layout, index).offset === null || fieldLayout(layout, index).size === null)
    .map(({ target, layout }) => ({ target, reason: fieldLayout(layout, index).unknown ?? layout.unknown })));
  const title = `**${escapeMarkdown(info.name)}** \`${inlineType(info.typeText)}\` in **${escapeMarkdown(struct.name)}**`;
  return compose(title, built.length ? markdownTable(header, rows) : '', reasons, struct, targets);
}

/** Every target in `builtLayouts` is a gc GOARCH (settings reject others), so the table has its line size. */
function lineOf(target: Target): number {
  return cacheLineSize(target.goarch) ?? Number.NaN;
}

function compose(title: string, table: string, reasons: string[], struct: StructInfo, targets: Target[]): string {
  const excluded = excludedTargets(struct, targets);
  const notes = [
    ...reasons,
    ...(excluded.length ? [`not built for ${excluded.map(targetKey).join(', ')} (build constraints)`] : []),
  ];
  return [title, table, notes.map((n) => `- ${n}`).join('\n')].filter(Boolean).join('\n\n');
}

/** A type as one line of inline code: an inline struct type may span lines or hold backquoted tags. */
function inlineType(typeText: string): string {
  const oneLine = typeText.replace(/`/g, "'").replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
}

function unknownNotes(entries: { target: Target; reason: string | undefined }[]): string[] {
  return linesByText(entries.map(({ target, reason }) => ({ target, text: `${UNKNOWN} — ${escapeMarkdown(reason ?? 'no reason given')}` })));
}

/** Padding inside the struct: before each field plus after the last one. */
function totalPadding(layout: StructLayout): number | null {
  let total = layout.trailingPadding;
  for (const field of layout.fields) total = total === null || field.paddingBefore === null ? null : total + field.paddingBefore;
  return total;
}
