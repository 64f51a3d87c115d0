// The engine's pointer bytes (what the GC scans) against the compiler's type descriptors, for every struct of the
// generated corpus (see corpus.ts) declared at package level of its root package, on every gc GOARCH. The corpus's
// own assertion files are written first (its local structs compare against per-target constants they define);
// then a TestMain reads internal/abi.Type.PtrBytes of each struct (test/support/runtimeProbe.ts says how), and
// the test binary runs on the target (qemu-user-static, Node for wasm).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { GC_ARCHES } from '../../core/src/targets';
import { realGoEnv } from '../support/goModule';
import { PTR_BYTES_FUNC, runOnTarget } from '../support/runtimeProbe';
import { insideBraces, planAssertions, runGo, targetKey, type ReportedStruct } from './assertions';
import { writeCorpus, type Corpus } from './corpus';

const SEED = 20240611;
const TARGETS: Target[] = GC_ARCHES.map((goarch) => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch }));

function fixturesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', 'corpus');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
  }
  throw new Error('test/fixtures/corpus not found above ' + __dirname);
}

describe('pointer bytes vs the compiler (corpus, every GOARCH)', function () {
  this.timeout(60 * 60 * 1000);
  let corpus: Corpus;
  let structs: ReportedStruct[];

  before(async () => {
    corpus = writeCorpus(fs.mkdtempSync(path.join(os.tmpdir(), 'gal-ptrbytes-')), { seed: SEED, structs: 400, fixturesDir: fixturesDir() });
    const engine = await Engine.create(realGoEnv());
    structs = corpus.goFiles.flatMap((file) => {
      const pkg = corpus.packages.find((p) => p.dir === path.dirname(file));
      if (!pkg) return [];
      const source = fs.readFileSync(file, 'utf8');
      return engine.structsInFile(file, TARGETS).map((info) => ({ pkg, info, local: insideBraces(source, info.nameRange.start) }));
    });
  });

  after(() => fs.rmSync(corpus.root, { recursive: true, force: true }));

  for (const target of TARGETS) {
    it(`agree on ${target.goarch}`, async () => {
      const checked = structs.filter((s) => s.pkg.dir === corpus.root && !s.local && !s.info.generic &&
        /^\w+$/.test(s.info.name) && s.info.layouts[targetKey(target)].ptrBytes !== null);
      assert.ok(checked.length > 300, `only ${checked.length} structs to check`);
      const plan = planAssertions(corpus, structs, target);
      for (const [file, content] of plan.files) fs.writeFileSync(file, content);
      const probe = path.join(corpus.root, 'zz_ptrbytes_probe_test.go');
      const pkgName = corpus.packages.find((p) => p.dir === corpus.root)!.name;
      fs.writeFileSync(probe, `package ${pkgName}\n\nimport (\n\t"fmt"\n\t"os"\n\t"reflect"\n\t"testing"\n)\n${PTR_BYTES_FUNC}\n` +
        `func TestMain(m *testing.M) {\n${checked.map((s) => `\tfmt.Println("${s.info.name}", galPtrBytes(reflect.TypeFor[${s.info.name}]()))\n`).join('')}\tos.Exit(0)\n}\n`);
      const binary = path.join(corpus.root, `probe.${target.goarch}`);
      try {
        const built = await runGo(['test', '-c', '-o', binary, '.'], corpus.root, target);
        assert.strictEqual(built.code, 0, built.stderr);
        const real = new Map(runOnTarget(binary, target.goarch, corpus.root).trim().split('\n').map((l) => l.split(' ') as [string, string]));
        const mismatches = checked.filter((s) => String(s.info.layouts[targetKey(target)].ptrBytes) !== real.get(s.info.name))
          .map((s) => `${s.info.name}: engine ${s.info.layouts[targetKey(target)].ptrBytes}, compiler ${real.get(s.info.name)}`);
        assert.deepStrictEqual(mismatches, [], `${mismatches.length} of ${checked.length} structs differ`);
        assert.strictEqual(real.size, checked.length);
      } finally {
        for (const file of [probe, binary, ...plan.files.keys()]) fs.rmSync(file, { force: true });
      }
    });
  }
});
