import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fieldTypesAnalyzer } from '../../../core/src/analysis/analyzers/fieldTypes';
import { Engine } from '../../../core/src/engine';
import { applyEdits, checkFixtures } from '../../support/analysistest';
import { realGoEnv, writeModule } from '../../support/goModule';

const FIXTURE = path.join(__dirname, '../../../../test/fixtures/analysis/fieldtype');
const TARGETS = ['amd64', 'arm64', '386', 'arm'].map((goarch) => ({ goos: 'linux', goarch }));

function vetErrors(dir: string, goarch: string): string[] {
  const r = spawnSync('go', ['vet', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0' } });
  return r.status === 0 ? [] : r.stderr.split('\n').filter((l) => /\.go:\d+:\d+/.test(l));
}

describe('analyzer fieldtype', function () {
  this.timeout(120000);
  let engine: Engine;
  before(async () => {
    engine = await Engine.create(realGoEnv());
  });

  it('flags exactly the // want lines of its fixture', () => {
    checkFixtures(engine, fieldTypesAnalyzer, FIXTURE, TARGETS);
  });

  it('flags what does not compile on some target; after its fixes the fixture compiles on all four', () => {
    assert.ok(vetErrors(FIXTURE, '386').length > 0, 'the fixture really fails on 386');
    const text = fs.readFileSync(path.join(FIXTURE, 'stat_linux.go'), 'utf8');
    const root = writeModule({ 'go.mod': 'module example.com/fieldtype\n\ngo 1.26\n', 'stat_linux.go': text });
    const file = path.join(root, 'stat_linux.go');
    const findings = engine.analyzeFile(file, TARGETS, [fieldTypesAnalyzer]);
    assert.ok(!('error' in findings));
    const fixed = applyEdits(text, findings.flatMap((f) => f.fixes![0].edits));
    assert.match(fixed, /var n uint64 = uint64\(st\.Nlink\)/);
    fs.writeFileSync(file, fixed);
    for (const goarch of ['amd64', 'arm64', '386', 'arm']) assert.deepStrictEqual(vetErrors(root, goarch), [], goarch);
  });
});
