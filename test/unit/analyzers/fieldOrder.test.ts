import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fieldOrder } from '../../../core/src/analysis/analyzers/fieldOrder';
import { Engine } from '../../../core/src/engine';
import { compilerRejects } from '../../support/compilerCheck';
import { applyEdits, checkFixtures } from '../../support/analysistest';
import { realGoEnv, writeModule } from '../../support/goModule';

const FIXTURE = path.join(__dirname, '../../../../test/fixtures/analysis/fieldorder');
const TARGETS = ['amd64', 'arm64', '386', 'arm'].map((goarch) => ({ goos: 'linux', goarch }));

describe('analyzer fieldorder', function () {
  this.timeout(60000);
  let engine: Engine;
  before(async () => {
    engine = await Engine.create(realGoEnv());
  });

  it('suggests exactly the // want structs of its fixture', () => {
    checkFixtures(engine, fieldOrder, FIXTURE, TARGETS);
  });

  it('quotes sizes the compiler agrees with', () => {
    const sizes: Record<string, [string, number][]> = {
      amd64: [['Wasteful', 24], ['TrailingZero', 16], ['AtomicInMiddle', 24]],
      '386': [['Wasteful', 16], ['TrailingZero', 12], ['AtomicInMiddle', 24]],
      arm: [['Wasteful', 16], ['TrailingZero', 12], ['AtomicInMiddle', 24]],
    };
    for (const [goarch, claims] of Object.entries(sizes)) {
      const exprs = claims.map(([type, value]) => ({ expr: `unsafe.Sizeof(${type}{})`, value }));
      assert.strictEqual(compilerRejects(FIXTURE, 'fieldorder', 'linux', goarch, exprs), undefined);
    }
  });

  it('reorders keeping doc comments, trailing comments and tags with their fields; the compiler confirms the sizes', () => {
    const text = fs.readFileSync(path.join(FIXTURE, 'structs.go'), 'utf8');
    const root = writeModule({ 'go.mod': 'module example.com/fieldorder\n\ngo 1.26\n', 'structs.go': text });
    const file = path.join(root, 'structs.go');
    const findings = engine.analyzeFile(file, TARGETS, [fieldOrder]);
    assert.ok(!('error' in findings));
    const wasteful = findings.find((f) => f.message.includes('Wasteful'))!;
    const fixed = applyEdits(text, wasteful.fixes![0].edits);
    assert.match(fixed, /type Wasteful struct \{ \/\/ want [^\n]*\n\tOffset int64 \/\/ byte offset\n\t\/\/ Valid says whether the record is in use\.\n\tValid  bool  `json:"valid"`\n\tFlags  uint8\n\}/);
    fs.writeFileSync(file, fixed);
    for (const [goarch, size] of [['amd64', 16], ['386', 12]] as const) {
      assert.strictEqual(compilerRejects(root, 'fieldorder', 'linux', goarch, [{ expr: 'unsafe.Sizeof(Wasteful{})', value: size }]), undefined);
    }
  });
});
