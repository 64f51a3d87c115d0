import type { StructInfo, Target } from '../../../core/src/api';
import { escapeMarkdown } from './markdown';
import { groupTargets, labelGroups, linesByText, type LabeledGroup } from './targetGroups';
import { builtLayouts, fieldLayout, type TargetLayout } from './targetLayouts';

/** Text of one inlay hint and the markdown explaining it. */
export interface HintText {
  label: string;
  tooltip: string;
}

function formatBytes(size: number | null): string {
  return size === null ? '? B' : `${size} B`;
}

/**
 * Struct size per target group, e.g. `64-bit 24 B · 32-bit 16 B`, or `24 B` when all targets agree.
 * Undefined when the declaring file builds for none of the targets.
 */
export function structSizeHint(struct: StructInfo, targets: Target[]): HintText | undefined {
  const built = builtLayouts(struct, targets);
  if (built.length === 0) return undefined;
  const groups = labeled(built.map(({ target, layout }) => ({ target, value: layout.size })), targets);
  const label = groups.map((g) => withLabel(g.label, formatBytes(g.value))).join(' · ');
  const lines = linesByText(built.map(({ target, layout }) => ({
    target,
    text: layout.size === null ? `size unknown — ${escapeMarkdown(layout.unknown ?? 'no reason given')}` : `${layout.size} B, align ${layout.align}`,
  })));
  return { label, tooltip: `**${escapeMarkdown(struct.name)}**\n\n${bulleted(lines)}` };
}

/**
 * Offsets of the fields declared on one source line: `@8/@4` (64-bit/32-bit) or `@0` when all targets agree;
 * several fields on the line are named, `a @0, b @4`.
 */
export function fieldOffsetsHint(struct: StructInfo, fieldIndexes: number[], targets: Target[]): HintText | undefined {
  const built = builtLayouts(struct, targets);
  if (built.length === 0 || fieldIndexes.length === 0) return undefined;
  const parts = fieldIndexes.map((index) => {
    const text = offsetText(built, index, targets);
    return fieldIndexes.length > 1 ? `${struct.fields[index].name} ${text}` : text;
  });
  const lines = fieldIndexes.flatMap((index) => linesByText(built.map(({ target, layout }) => {
    const field = fieldLayout(layout, index);
    const name = `**${escapeMarkdown(struct.fields[index].name)}**`;
    const text = field.offset === null
      ? `${name} offset unknown — ${escapeMarkdown(field.unknown ?? layout.unknown ?? 'no reason given')}`
      : `${name} offset ${field.offset}, size ${field.size}, align ${field.align}`;
    return { target, text };
  })));
  return { label: parts.join(', '), tooltip: bulleted(lines) };
}

function offsetText(built: TargetLayout[], index: number, targets: Target[]): string {
  const groups = labeled(built.map(({ target, layout }) => ({ target, value: fieldLayout(layout, index).offset })), targets);
  const offset = (value: number | null) => `@${value ?? '?'}`;
  if (groups.length === 2 && groups[0].label === '64-bit') return `${offset(groups[0].value)}/${offset(groups[1].value)}`;
  return groups.map((g) => withLabel(g.label, offset(g.value))).join(' · ');
}

/** Padding the compiler inserts before field `index`, on the targets where there is some: `+4 B pad (64-bit)`. */
export function paddingBeforeHint(struct: StructInfo, index: number, targets: Target[]): HintText | undefined {
  const built = builtLayouts(struct, targets);
  const padded = built.map(({ target, layout }) => ({ target, value: fieldLayout(layout, index).paddingBefore }));
  return paddingHint(padded, targets, `before ${escapeMarkdown(struct.fields[index]?.name ?? '?')}`);
}

/** Padding after the last field (rounding the size up to the alignment, or after a final zero-size field). */
export function trailingPaddingHint(struct: StructInfo, targets: Target[]): HintText | undefined {
  const padded = builtLayouts(struct, targets).map(({ target, layout }) => ({ target, value: layout.trailingPadding }));
  return paddingHint(padded, targets, `after the last field of ${escapeMarkdown(struct.name)}`);
}

function paddingHint(entries: { target: Target; value: number | null }[], targets: Target[], where: string): HintText | undefined {
  const padded = entries.filter((e): e is { target: Target; value: number } => e.value !== null && e.value > 0);
  if (padded.length === 0) return undefined;
  const groups = labeled(padded, targets);
  const label = groups.map((g) => `+${g.value} B pad${g.label ? ` (${g.label})` : ''}`).join(' · ');
  const lines = linesByText(padded.map(({ target, value }) => ({ target, text: `${value} B` })));
  return { label, tooltip: `Padding ${where}\n\n${bulleted(lines)}` };
}

function labeled<V extends number | null>(entries: { target: Target; value: V }[], targets: Target[]): LabeledGroup<V>[] {
  return labelGroups(groupTargets(entries, (v) => String(v)), targets);
}

function withLabel(label: string, text: string): string {
  return label ? `${label} ${text}` : text;
}

function bulleted(lines: string[]): string {
  return lines.map((l) => `- ${l}`).join('\n');
}
