import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cliRun';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/analysis');
const MULTITOOL = path.join(__dirname, '../../../node_modules/@microsoft/sarif-multitool/bin.js');

/** Runs Microsoft's SARIF Multitool with the given rule kind (Sarif: the spec; Gh: GitHub code scanning's ingestion rules). */
function validate(sarifFile: string, ruleKind: string): string {
  const outFile = sarifFile + `.${ruleKind}.validation.sarif`;
  const result = spawnSync(process.execPath, [MULTITOOL, 'validate', sarifFile, '--rule-kind', ruleKind, '-o', outFile], { encoding: 'utf8' });
  assert.strictEqual(result.status, 0, result.stdout + result.stderr);
  return result.stdout;
}

describe('go-arch-lens check', function () {
  this.timeout(120000);

  it('exits 1 with findings in text, 0 on clean input', async () => {
    const dirty = await runCli(['check', path.join(FIXTURES, 'atomicalign32')]);
    assert.strictEqual(dirty.code, 1);
    assert.match(dirty.out, /counters\.go:14:\d+: atomic\.AddInt64 on Stats\.hits.*\(atomicalign32\)/);
    const clean = await runCli(['check', '--targets', 'linux/amd64,linux/arm64', path.join(FIXTURES, 'atomicalign32')]);
    assert.strictEqual(clean.code, 0, clean.out);
    assert.match(clean.out, /no findings/);
  });

  it('exits 2 on bad usage', async () => {
    for (const argv of [['check'], ['check', '--format', 'xml', FIXTURES], ['check', '--targets', 'linux/vax', FIXTURES], ['check', '--analyzers', 'nope', FIXTURES]]) {
      assert.strictEqual((await runCli(argv)).code, 2, argv.join(' '));
    }
  });

  it('prints JSON findings with 1-based positions and fixes', async () => {
    const { code, out } = await runCli(['check', '--format', 'json', path.join(FIXTURES, 'atomicalign32')]);
    assert.strictEqual(code, 1);
    const json = JSON.parse(out);
    const first = json.findings[0];
    assert.strictEqual(first.analyzer, 'atomicalign32');
    assert.strictEqual(first.line, 14);
    assert.ok(first.fixes.length >= 1);
  });

  it('writes SARIF 2.1.0 that the SARIF Multitool accepts under the spec rules and GitHub code scanning rules', async () => {
    const cwd = process.cwd();
    process.chdir(FIXTURES);
    let out: string;
    try {
      ({ out } = await runCli(['check', '--format', 'sarif', '--analyzers', 'atomicalign32,archsize,fieldorder', './...']));
    } finally {
      process.chdir(cwd);
    }
    const log = JSON.parse(out);
    assert.strictEqual(log.version, '2.1.0');
    const results = log.runs[0].results;
    assert.ok(results.length >= 5, `${results.length} results`);
    assert.ok(results.every((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      !r.locations[0].physicalLocation.artifactLocation.uri.startsWith('/')), 'paths relative to the source root');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gal-sarif-')), 'check.sarif');
    fs.writeFileSync(file, out);
    for (const kind of ['Sarif', 'Gh']) {
      const report = validate(file, kind);
      assert.doesNotMatch(report, /: error /, report);
      // The one warning left asks for a homepage (informationUri), which this tool does not have.
      const warnings = report.split('\n').filter((l) => /: warning /.test(l) && !/SARIF2005/.test(l));
      assert.deepStrictEqual(warnings, []);
    }
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
