// The fixture workspace the editor tests open and the sizes the go compiler gives its structs. fixtureFacts.test.ts
// asserts every number here against the real compiler, so a wrong one fails instead of being trusted.
import * as path from 'path';

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

/** The different sizes across ARCHES, ascending: what a size hint for the default targets shows. */
export function distinctSizes(sizes: Record<Arch, number>): number[] {
  return [...new Set(ARCHES.map((a) => sizes[a]))].sort((a, b) => a - b);
}


/** The Memory Layout view's fixture package. */
export const layoutViewDir = path.join(workspaceDir, 'layoutview');
export const layoutViewFile = path.join(layoutViewDir, 'view.go');
export const LAYOUT_VIEW_PACKAGE = 'layoutview';

/** `unsafe.Sizeof` and `unsafe.Offsetof` of the view fixture's structs per GOARCH (goos linux). */
export const VIEW_LAYOUTS: Record<'Loose' | 'Lines', Record<Arch, { size: number; offsets: Record<string, number> }>> = {
  Loose: {
    amd64: { size: 24, offsets: { flag: 0, count: 8, tag: 16, id: 20 } },
    arm64: { size: 24, offsets: { flag: 0, count: 8, tag: 16, id: 20 } },
    '386': { size: 20, offsets: { flag: 0, count: 4, tag: 12, id: 16 } },
    arm: { size: 20, offsets: { flag: 0, count: 4, tag: 12, id: 16 } },
  },
  Lines: {
    amd64: { size: 72, offsets: { head: 0, tail: 60, n: 68 } },
    arm64: { size: 72, offsets: { head: 0, tail: 60, n: 68 } },
    '386': { size: 72, offsets: { head: 0, tail: 60, n: 68 } },
    arm: { size: 72, offsets: { head: 0, tail: 60, n: 68 } },
  },
};

/** An unsaved edit the view tests type into Loose: a field after id. */
export const LOOSE_EDIT = { after: '\tid    int32\n', insert: '\tnext  *Loose\n' };
