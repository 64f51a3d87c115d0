// The sizes the editor tests expect come from the compiler, not from memory: each is asserted at compile time
// for its GOARCH against a copy of the fixture package (the copy keeps the workspace the editor has open untouched).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { applyPackedEdit, ARCHES, FIXTURE_PACKAGE, LAYOUT_VIEW_PACKAGE, VIEW_LAYOUTS, MIXED_B_OFFSETS, PACKED_EDITED_SIZES, SIZES, shapesFile, workspaceDir } from './fixture';

function copyOfFixture(edit?: (source: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-fixture-'));
  fs.cpSync(workspaceDir, dir, { recursive: true });
  if (edit) fs.writeFileSync(path.join(dir, path.basename(shapesFile)), edit(fs.readFileSync(shapesFile, 'utf8')));
  return dir;
}

describe('fixture sizes agree with the go compiler', () => {
  const copies: string[] = [];
  after(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  for (const arch of ARCHES) {
    it(`linux/${arch}: struct sizes and offsets, before and after the test edit`, function () {
      this.timeout(120_000);
      const original = copyOfFixture();
      const edited = copyOfFixture(applyPackedEdit);
      copies.push(original, edited);
      const claims: LayoutClaim[] = [
        ...Object.entries(SIZES).map(([name, sizes]) => ({ expr: `unsafe.Sizeof(${name}{})`, value: sizes[arch] })),
        { expr: 'unsafe.Offsetof(Mixed{}.b)', value: MIXED_B_OFFSETS[arch] },
      ];
      assert.strictEqual(compilerRejects(original, FIXTURE_PACKAGE, 'linux', arch, claims), undefined);
      const editedClaims = [{ expr: 'unsafe.Sizeof(Packed{})', value: PACKED_EDITED_SIZES[arch] }];
      assert.strictEqual(compilerRejects(edited, FIXTURE_PACKAGE, 'linux', arch, editedClaims), undefined);
      const viewClaims: LayoutClaim[] = Object.entries(VIEW_LAYOUTS).flatMap(([name, byArch]) => [
        { expr: `unsafe.Sizeof(${name}{})`, value: byArch[arch].size },
        ...Object.entries(byArch[arch].offsets).map(([field, value]) => ({ expr: `unsafe.Offsetof(${name}{}.${field})`, value })),
      ]);
      assert.strictEqual(compilerRejects(path.join(original, LAYOUT_VIEW_PACKAGE), LAYOUT_VIEW_PACKAGE, 'linux', arch, viewClaims), undefined);
    });
  }
});
