import type { Target } from '../../../core/src/api';
import { archInfo, targetKey } from '../../../core/src/targets';

/** Targets that share one value (a size, an offset, a padding), in the order the user configured them. */
export interface TargetGroup<V> {
  value: V;
  targets: Target[];
}

export interface LabeledGroup<V> extends TargetGroup<V> {
  /** Empty when the group is every configured target, so no label is needed. */
  label: string;
}

/** Groups targets whose values have the same `key`, keeping the first-seen order of values. */
export function groupTargets<V>(entries: { target: Target; value: V }[], key: (value: V) => string): TargetGroup<V>[] {
  const groups = new Map<string, TargetGroup<V>>();
  for (const { target, value } of entries) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.targets.push(target);
    else groups.set(k, { value, targets: [target] });
  }
  return [...groups.values()];
}

/**
 * Names each group for display. One group holding every configured target needs no name. When every group is
 * exactly the configured targets of one word size, the groups are called `64-bit` and `32-bit` (64-bit first);
 * otherwise each is named by its architectures, e.g. `amd64,arm64`.
 */
export function labelGroups<V>(groups: TargetGroup<V>[], configured: Target[]): LabeledGroup<V>[] {
  if (groups.length === 1 && sameTargets(groups[0].targets, configured)) return [{ ...groups[0], label: '' }];
  const classic = groups.map((g) => classicLabel(g.targets, configured));
  if (classic.every((label): label is string => label !== undefined)) {
    return groups
      .map((g, i) => ({ ...g, label: classic[i] }))
      .sort((a, b) => (a.label === b.label ? 0 : a.label === '64-bit' ? -1 : 1));
  }
  return groups.map((g) => ({ ...g, label: archNames(g.targets, configured) }));
}

/** `64-bit` or `32-bit` when `targets` are exactly the configured targets of that word size. */
function classicLabel(targets: Target[], configured: Target[]): string | undefined {
  const wordSize = wordSizeOf(targets[0]);
  if (wordSize === undefined || !targets.every((t) => wordSizeOf(t) === wordSize)) return undefined;
  const sameWord = configured.filter((t) => wordSizeOf(t) === wordSize);
  return sameTargets(targets, sameWord) ? `${wordSize * 8}-bit` : undefined;
}

/** GOARCH names joined by commas; `GOOS/GOARCH` for an architecture configured with more than one GOOS. */
export function archNames(targets: Target[], configured: Target[]): string {
  return targets.map((t) => (configured.filter((c) => c.goarch === t.goarch).length > 1 ? targetKey(t) : t.goarch)).join(',');
}

function wordSizeOf(target: Target): number | undefined {
  return archInfo(target.goarch)?.wordSize;
}

function sameTargets(a: Target[], b: Target[]): boolean {
  const keys = new Set(a.map(targetKey));
  return a.length === b.length && b.every((t) => keys.has(targetKey(t)));
}

/**
 * Lines of `targets: text`, one per distinct text: four targets failing for one reason make one line, not four.
 */
export function linesByText(entries: { target: Target; text: string }[]): string[] {
  return groupTargets(entries.map(({ target, text }) => ({ target, value: text })), (text) => text)
    .map((g) => `${g.targets.map(targetKey).join(', ')}: ${g.value}`);
}
