import * as assert from 'assert';
import { archSizes } from '../../../core/src/analysis/analyzers/archSizes';
import { compilerRejects } from '../../support/compilerCheck';
import { describeAnalyzer } from '../../support/analysistest';

describeAnalyzer(archSizes, ({ fixture }) => {
  it('quotes values the compiler agrees with', () => {
    for (const [goarch, size, capOffset] of [['amd64', 24, 16], ['arm64', 24, 16], ['386', 12, 8], ['arm', 12, 8]] as const) {
      const claims = [
        { expr: 'unsafe.Sizeof(Header{})', value: size },
        { expr: 'unsafe.Offsetof(Header{}.Cap)', value: capOffset },
        { expr: 'unsafe.Sizeof(Fixed{})', value: 8 },
      ];
      assert.strictEqual(compilerRejects(fixture, 'archsize', 'linux', goarch, claims), undefined);
    }
  });
});
