import type { FieldLayout, StructInfo, StructLayout, Target } from '../../../core/src/api';
import { targetKey } from '../../../core/src/targets';

export interface TargetLayout {
  target: Target;
  layout: StructLayout;
}

/** Layouts of the configured targets the declaring file builds for (excluded targets have nothing to show). */
export function builtLayouts(struct: StructInfo, targets: Target[]): TargetLayout[] {
  return targets.map((target) => ({ target, layout: layoutFor(struct, target) })).filter((t) => !t.layout.excluded);
}

/** Configured targets whose build constraints leave the declaring file out. */
export function excludedTargets(struct: StructInfo, targets: Target[]): Target[] {
  return targets.filter((t) => layoutFor(struct, t).excluded);
}

function layoutFor(struct: StructInfo, target: Target): StructLayout {
  return struct.layouts[targetKey(target)] ?? {
    size: null, align: null, fields: [], trailingPadding: null, unknown: `no layout was computed for ${targetKey(target)}`,
  };
}

/** The field's layout on one target; a field the engine did not lay out is unknown for the struct's reason. */
export function fieldLayout(layout: StructLayout, index: number): FieldLayout {
  return layout.fields[index] ?? {
    name: '?', offset: null, size: null, align: null, paddingBefore: null, unknown: layout.unknown ?? 'field not laid out',
  };
}

/** Padding between this field and the next, or after the last field: what the next thing's alignment costs. */
export function paddingAfter(layout: StructLayout, index: number): number | null {
  return index + 1 < layout.fields.length ? layout.fields[index + 1].paddingBefore : layout.trailingPadding;
}
