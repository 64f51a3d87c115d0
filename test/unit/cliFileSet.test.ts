// Which files the CLI lays out and which the engine counts as built: std's vendored packages (part of `std` and
// `cmd`), a module's vendor/ left out as `go list ./...` leaves it out, cgo files on the host target where cgo is
// on (and on no cross target), and export_test.go with the package it extends. The go command is the judge.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { goListToolTags } from '../../core/src/toolchain/toolTags';
import { expandGoPaths } from '../../cli/src/paths';
import { realGoEnv, writeModule } from '../support/goModule';

const MODULE = {
  'go.mod': 'module example.com/m\n\ngo 1.26\n\nrequire example.com/dep v0.1.0\n',
  'vendor/modules.txt': '# example.com/dep v0.1.0\n## explicit\nexample.com/dep\n',
  'vendor/example.com/dep/dep.go': 'package dep\n\ntype Vendored struct{ a int8; b int64 }\n',
  'a.go': 'package m\n\nimport "example.com/dep"\n\ntype Main struct {\n\ta int8\n\td dep.Vendored\n}\n',
  'export_test.go': 'package m\n\ntype Exported struct {\n\tm Main\n\tb int16\n}\n',
  'cgo.go': 'package m\n\n// #include <stdint.h>\nimport "C"\n\ntype WithCgo struct{ a int32; b int64 }\n',
};

function goList(dir: string, format: string, env: Record<string, string> = {}): string {
  return execFileSync('go', ['list', '-mod=vendor', '-f', format, './...'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOFLAGS: '', ...env } }).trim();
}

describe('the files that belong to the build', function () {
  this.timeout(300_000);
  const go = realGoEnv();

  it('keeps GOROOT\'s vendored packages in dir/... (they are part of std and cmd) and leaves a module\'s vendor out, as go list does', () => {
    const std = expandGoPaths([path.join(go.goroot, 'src', '...')]);
    assert.ok(std.some((f) => f.includes(`${path.sep}src${path.sep}vendor${path.sep}golang.org${path.sep}x${path.sep}`)), 'no file of GOROOT/src/vendor');
    assert.ok(std.some((f) => f.includes(`${path.sep}cmd${path.sep}vendor${path.sep}`)), 'no file of GOROOT/src/cmd/vendor');
    const stdVendorPackages = execFileSync('go', ['list', 'std'], { encoding: 'utf8' }).split('\n').filter((p) => p.startsWith('vendor/'));
    assert.ok(stdVendorPackages.length > 0, 'go list std names no vendor/ package');

    const root = writeModule(MODULE);
    const files = expandGoPaths([`${root}/...`]).map((f) => path.relative(root, f));
    const listed = goList(root, '{{join .GoFiles " "}} {{join .CgoFiles " "}} {{join .TestGoFiles " "}}').split(/\s+/).filter(Boolean);
    assert.deepStrictEqual(files.sort(), listed.sort());
  });

  it('builds cgo files for the host target when go list says cgo is on, and for no cross target', async () => {
    const root = writeModule(MODULE);
    const host: Target = {
      goos: execFileSync('go', ['env', 'GOHOSTOS'], { encoding: 'utf8' }).trim(),
      goarch: execFileSync('go', ['env', 'GOHOSTARCH'], { encoding: 'utf8' }).trim(),
    };
    const cross: Target = { goos: 'linux', goarch: host.goarch === 'arm64' ? 'amd64' : 'arm64' };
    const engine = await Engine.create(go);
    for (const target of [host, cross]) {
      const tags = await goListToolTags('go', target, {});
      assert.ok(!('error' in tags), 'error' in tags ? tags.error : '');
      engine.useToolTags(target, tags);
    }
    const withCgo = engine.structsInFile(path.join(root, 'cgo.go'), [host, cross])[0];
    for (const target of [host, cross]) {
      const cgoFiles = goList(root, '{{join .CgoFiles " "}}', { GOOS: target.goos, GOARCH: target.goarch });
      const layout = withCgo.layouts[`${target.goos}/${target.goarch}`];
      assert.strictEqual(layout.excluded === true, cgoFiles === '', `${target.goos}/${target.goarch}: go list CgoFiles "${cgoFiles}"`);
    }
  });

  it('lays out export_test.go types with the package they extend', async () => {
    const root = writeModule(MODULE);
    const engine = await Engine.create(go);
    const target: Target = { goos: 'linux', goarch: 'amd64' };
    const exported = engine.structsInFile(path.join(root, 'export_test.go'), [target]).find((s) => s.name === 'Exported');
    assert.ok(exported);
    // Main is {int8, {int8, int64}}: 24 B on amd64; Exported adds an int16 after it.
    const main = engine.structsInFile(path.join(root, 'a.go'), [target]).find((s) => s.name === 'Main')!;
    assert.strictEqual(main.layouts['linux/amd64'].size, 24, main.layouts['linux/amd64'].unknown);
    assert.strictEqual(exported.layouts['linux/amd64'].size, 32, exported.layouts['linux/amd64'].unknown);
  });
});
