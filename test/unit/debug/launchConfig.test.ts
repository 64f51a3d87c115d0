// The race debug configurations for a test, a benchmark and a whole package, and their test-binary flags checked
// against a real compiled test binary: the flags must select exactly the function the configuration names.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildsWithRace, GO_EXTENSION_DEBUG_TYPE, OWN_DEBUG_TYPE, raceDebugConfiguration, testBinaryArgs } from '../../../core/src/debug/launchConfig';
import { findTestFunctions } from '../../../core/src/gotest/testFunctions';
import { DEBUGRACE_DIR, DEBUGRACE_TEST_FILE } from './debugFixture';

const functions = findTestFunctions(fs.readFileSync(DEBUGRACE_TEST_FILE, 'utf8'));
function fn(kind: 'test' | 'benchmark', name: string) {
  const found = functions.find((f) => f.kind === kind && f.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the fixture`);
  return found;
}

describe('race debug configurations', () => {
  it('debug one test: test mode, -race, the package directory, -test.run anchored on the name', () => {
    const config = raceDebugConfiguration({ type: GO_EXTENSION_DEBUG_TYPE, packageDir: DEBUGRACE_DIR, test: fn('test', 'TestTallyRace'), env: { GORACE: 'halt_on_error=1' } });
    assert.deepStrictEqual(config, {
      name: 'Debug TestTallyRace with -race',
      type: 'go',
      request: 'launch',
      mode: 'test',
      program: DEBUGRACE_DIR,
      buildFlags: '-race',
      args: ['-test.run', '^TestTallyRace$'],
      env: { GORACE: 'halt_on_error=1' },
      outputMode: 'remote',
    });
  });

  it('debug one benchmark: no test runs with it, and -test.bench selects it', () => {
    const config = raceDebugConfiguration({ type: OWN_DEBUG_TYPE, packageDir: DEBUGRACE_DIR, test: fn('benchmark', 'BenchmarkTally') });
    assert.strictEqual(config.type, 'go-arch-lens-dlv');
    assert.deepStrictEqual(config.args, ['-test.run', '^$', '-test.bench', '^BenchmarkTally$']);
  });

  it('debug the package tests: no selection flags', () => {
    const config = raceDebugConfiguration({ type: OWN_DEBUG_TYPE, packageDir: '${fileDirname}' });
    assert.strictEqual(config.name, 'Debug Package Tests with -race');
    assert.strictEqual(config.program, '${fileDirname}');
    assert.deepStrictEqual(config.args, []);
    assert.strictEqual(config.buildFlags, '-race');
  });

  it('the test-binary flags select exactly the named function in a real compiled test binary', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-debug-args-'));
    try {
      const binary = path.join(dir, 'debugrace.test');
      execFileSync('go', ['test', '-c', '-o', binary, '.'], { cwd: DEBUGRACE_DIR, env: { ...process.env, GOWORK: 'off', GOTOOLCHAIN: 'local' } });
      const run = (args: string[]) => execFileSync(binary, [...args, '-test.v', '-test.benchtime=1x'], { cwd: DEBUGRACE_DIR, encoding: 'utf8' });
      const calm = run(testBinaryArgs(fn('test', 'TestTallyCalm')));
      assert.deepStrictEqual([...calm.matchAll(/^=== RUN\s+(\S+)/gm)].map((m) => m[1]), ['TestTallyCalm']);
      const bench = run(testBinaryArgs(fn('benchmark', 'BenchmarkTally')));
      assert.deepStrictEqual([...bench.matchAll(/^=== RUN\s+(\S+)/gm)].map((m) => m[1]), [], 'a benchmark run must run no test');
      assert.match(bench, /^BenchmarkTally\b/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('buildsWithRace recognizes -race in string and array buildFlags only', () => {
    assert.strictEqual(buildsWithRace({ buildFlags: '-tags=x -race' }), true);
    assert.strictEqual(buildsWithRace({ buildFlags: ['-race'] }), true);
    assert.strictEqual(buildsWithRace({ buildFlags: '-tags=race' }), false);
    assert.strictEqual(buildsWithRace({}), false);
  });
});
