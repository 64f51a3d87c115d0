import * as assert from 'assert';
import { archSizes } from '../../../core/src/analysis/analyzers/archSizes';
import { compilerRejects } from '../../support/compilerCheck';
import { describeAnalyzer } from '../../support/analysistest';
import { ensureXSys } from '../../support/xsys';

describeAnalyzer(archSizes, ({ fixture }) => {
  before(() => ensureXSys());

  it('quotes values the compiler agrees with', () => {
    const targets = [['amd64', 24, 16, 8, 280], ['arm64', 24, 16, 8, 280], ['386', 12, 8, 4, 276], ['arm', 12, 8, 4, 280]] as const;
    for (const [goarch, size, capOffset, align, dirent] of targets) {
      const claims = [
        { expr: 'unsafe.Sizeof(Header{})', value: size },
        { expr: 'unsafe.Offsetof(Header{}.Cap)', value: capOffset },
        { expr: 'unsafe.Alignof(Header{})', value: align },
        // The clean lines rely on these being the same on every target.
        { expr: 'unsafe.Sizeof(Fixed{})', value: 8 },
        { expr: 'unsafe.Sizeof(Wire{})', value: 16 },
        { expr: 'unsafe.Offsetof(Wire{}.Flags)', value: 12 },
        { expr: 'unsafe.Sizeof(uintptr(0))', value: align },
        // Kernel ABI types differ per target as the kernel's layout does (not flagged, by design).
        { expr: 'unsafe.Sizeof(syscall.Dirent{})', value: dirent },
      ];
      assert.strictEqual(compilerRejects(fixture, 'archsize', 'linux', goarch, claims, ['syscall']), undefined);
    }
  });
});
