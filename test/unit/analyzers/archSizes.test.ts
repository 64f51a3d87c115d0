import * as assert from 'assert';
import * as path from 'path';
import { archSizes } from '../../../core/src/analysis/analyzers/archSizes';
import { Engine } from '../../../core/src/engine';
import { compilerRejects } from '../../support/compilerCheck';
import { checkFixtures } from '../../support/analysistest';
import { realGoEnv } from '../../support/goModule';

const FIXTURE = path.join(__dirname, '../../../../test/fixtures/analysis/archsize');
const TARGETS = ['amd64', 'arm64', '386', 'arm'].map((goarch) => ({ goos: 'linux', goarch }));

describe('analyzer archsize', function () {
  this.timeout(60000);
  let engine: Engine;
  before(async () => {
    engine = await Engine.create(realGoEnv());
  });

  it('flags exactly the // want lines of its fixture', () => {
    checkFixtures(engine, archSizes, FIXTURE, TARGETS);
  });

  it('quotes values the compiler agrees with', () => {
    for (const [goarch, size, capOffset] of [['amd64', 24, 16], ['arm64', 24, 16], ['386', 12, 8], ['arm', 12, 8]] as const) {
      const claims = [
        { expr: 'unsafe.Sizeof(Header{})', value: size },
        { expr: 'unsafe.Offsetof(Header{}.Cap)', value: capOffset },
        { expr: 'unsafe.Sizeof(Fixed{})', value: 8 },
      ];
      assert.strictEqual(compilerRejects(FIXTURE, 'archsize', 'linux', goarch, claims), undefined);
    }
  });
});
