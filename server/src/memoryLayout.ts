import type { LayoutEngine, Position, StructInfo, StructLayout, Target } from '../../core/src/api';
import type { Finding } from '../../core/src/analysis/finding';
import { cacheLineSize, heapCost, heapCostText } from '../../core/src/layout/memoryCosts';
import { archInfo, targetKey } from '../../core/src/targets';
import { workspaceEditOf, type EditTarget } from './format/diagnostics';
import type { MemoryLayoutModel, ViewLayout, ViewReorder, ViewTarget } from './layoutViewProtocol';
import { anchorOf, isAnonymous } from './structAnchor';

export interface MemoryLayoutInputs {
  uri: string;
  version: number;
  file: string;
  position: Position;
  /** The structs (named, then anonymous) declared on the position's line. */
  structs: StructInfo[];
  targets: Target[];
  engine: Pick<LayoutEngine, 'layoutsInFieldOrder' | 'literalLayoutsInFieldOrder'>;
  /** The field-order suggestions for the document as it is now. */
  suggestions: () => Finding[];
  editTarget: EditTarget;
  documentChanges: boolean;
}

/** The Memory Layout view's model of the struct declaration around `position`, or null outside any struct. */
export function memoryLayoutAt(inputs: MemoryLayoutInputs): MemoryLayoutModel | null {
  const struct = structAround(inputs.structs, inputs.position);
  if (!struct) return null;
  return {
    uri: inputs.uri,
    version: inputs.version,
    struct: {
      name: struct.name,
      nameRange: struct.nameRange,
      fields: struct.fields.map((f) => ({ name: f.name, typeText: oneLine(f.typeText), range: f.range })),
    },
    targets: inputs.targets.map((target) => viewTarget(target, struct.layouts[targetKey(target)])),
    reorders: struct.generic ? [] : reordersOf(struct, inputs),
  };
}

/**
 * The struct whose declaration, from the name's line to the closing brace, holds the position; the innermost wins
 * (an anonymous struct inside another, or several on one line: the last one starting before the position).
 */
function structAround(structs: StructInfo[], position: Position): StructInfo | undefined {
  const around = structs.filter((s) => s.nameRange.start.line <= position.line && position.line <= s.bodyRange.end.line);
  const rank = (s: StructInfo) => {
    const start = s.bodyRange.start;
    const startsAfterCursor = start.line === position.line && start.character > position.character;
    return [start.line, startsAfterCursor ? 0 : 1, start.character];
  };
  return around.sort((a, b) => compareRanks(rank(b), rank(a)))[0];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function viewTarget(target: Target, computed: StructLayout | undefined): ViewTarget {
  const layout = computed ?? {
    size: null, align: null, fields: [], trailingPadding: null, ptrBytes: null, unknown: `no layout was computed for ${targetKey(target)}`,
  };
  return {
    target: targetKey(target),
    wordSize: archInfo(target.goarch)?.wordSize ?? 8,
    cacheLine: cacheLineSize(target.goarch) ?? null,
    layout: viewLayoutOf(layout),
    heapCost: heapCostOf(layout, target.goarch),
  };
}

/** The engine's layout as the view draws it: the known leading fields' offsets and sizes. */
export function viewLayoutOf(layout: StructLayout): ViewLayout {
  const offsets: number[] = [];
  const sizes: number[] = [];
  for (const field of layout.fields) {
    if (field.offset === null || field.size === null) break;
    offsets.push(field.offset);
    sizes.push(field.size);
  }
  return {
    size: layout.size, align: layout.align, offsets, sizes, ptrBytes: layout.ptrBytes,
    ...(layout.unknown ? { unknown: layout.unknown } : {}),
    ...(layout.excluded ? { excluded: true } : {}),
  };
}

/** The heap cost of `new(T)` in words, when size and pointer bytes are known. */
function heapCostOf(layout: StructLayout, goarch: string): string | null {
  if (layout.size === null || layout.ptrBytes === null || layout.excluded) return null;
  const cost = heapCost(layout.size, layout.ptrBytes, goarch);
  return cost ? heapCostText(cost) : null;
}

/** Each goal the reorder refactoring offers for the struct (the code action's fixes), with the layouts it gives. */
function reordersOf(struct: StructInfo, inputs: MemoryLayoutInputs): ViewReorder[] {
  // The field-order finding sits where the struct is pointed at: its name, or an anonymous struct's keyword.
  const anchor = anchorOf(struct).start;
  const finding = inputs.suggestions().find((f) => f.file === inputs.file && samePosition(f.range.start, anchor));
  const reorders: ViewReorder[] = [];
  for (const fix of finding?.fixes ?? []) {
    if (!fix.fieldOrder || !fix.reorderGoal) continue;
    const layouts = isAnonymous(struct)
      ? inputs.engine.literalLayoutsInFieldOrder(inputs.file, anchor, fix.fieldOrder, inputs.targets)
      : inputs.engine.layoutsInFieldOrder(inputs.file, struct.name, fix.fieldOrder, inputs.targets);
    if (!layouts) continue;
    const heapCosts = Object.fromEntries(inputs.targets.map((t) => [targetKey(t), layouts[targetKey(t)] ? heapCostOf(layouts[targetKey(t)], t.goarch) : null]));
    reorders.push({
      goal: fix.reorderGoal,
      title: fix.title,
      fieldOrder: fix.fieldOrder,
      layouts: Object.fromEntries(Object.entries(layouts).map(([key, layout]) => [key, viewLayoutOf(layout)])),
      heapCosts,
      edit: workspaceEditOf(fix, inputs.editTarget, inputs.documentChanges),
    });
  }
  return reorders;
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
