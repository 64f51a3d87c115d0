// The toolchain's own build tags (goexperiment.*, amd64.v1, 386.sse2…) decide which runtime files build, and so
// runtime layouts (issue 10: runtime.p was 11,664 B on amd64 instead of gc's 15,920 with greenteagc's gcWork).
// The generated table must match `go list` for every target and setting, and the layouts it leads to must be
// what the compiler builds (assertions compiled into GOROOT packages through `go build -overlay`).

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { StructInfo, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { GC_ARCHES } from '../../core/src/targets';
import { goListToolTags, tableToolTags, type ToolchainEnv } from '../../core/src/toolchain/toolTags';
import { stdCompilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { realGoEnv } from '../support/goModule';

const withoutCgo = (tags: string[]) => tags.filter((t) => t !== 'cgo');

const linux = (goarch: string): Target => ({ goos: goarch === 'wasm' ? 'js' : 'linux', goarch });

function claimsFor(struct: StructInfo, target: Target): LayoutClaim[] {
  const layout = struct.layouts[`${target.goos}/${target.goarch}`];
  assert.ok(layout.size !== null, `${struct.name} on ${target.goarch}: ${layout.unknown}`);
  const value = `${struct.name}{}`;
  return [
    { expr: `unsafe.Sizeof(${value})`, value: layout.size },
    { expr: `unsafe.Alignof(${value})`, value: layout.align! },
    ...layout.fields.filter((f) => f.name !== '_').map((f) => ({ expr: `unsafe.Offsetof(${value}.${f.name})`, value: f.offset! })),
  ];
}

describe('toolchain build tags', function () {
  this.timeout(900_000);
  const go = realGoEnv();

  it('the generated table gives what go list gives, for every GOARCH and several GOOS', async () => {
    const targets = [...GC_ARCHES.map(linux), { goos: 'darwin', goarch: 'arm64' }, { goos: 'windows', goarch: 'amd64' }, { goos: 'wasip1', goarch: 'wasm' }];
    for (const target of targets) {
      const listed = await goListToolTags('go', target, {});
      assert.ok(!('error' in listed), 'error' in listed ? listed.error : '');
      // go list adds `cgo` where cgo is on (the host with a C compiler); the table, for when go may not run, never does.
      assert.deepStrictEqual(tableToolTags(target, {}).tags.sort(), withoutCgo(listed.tags).sort(), `${target.goos}/${target.goarch}`);
    }
  });

  it('applies GOEXPERIMENT and the level variables as the go command does', async () => {
    const cases: [Target, ToolchainEnv][] = [
      [linux('amd64'), { GOAMD64: 'v3' }],
      [linux('amd64'), { GOEXPERIMENT: 'nogreenteagc,arenas' }],
      [linux('386'), { GO386: 'softfloat', GOEXPERIMENT: 'none' }],
      [linux('arm'), { GOARM: '6' }],
      [linux('arm64'), { GOARM64: 'v9.0', GOEXPERIMENT: 'noregabiargs,noregabiwrappers' }],
      [linux('ppc64le'), { GOPPC64: 'power10' }],
      [linux('riscv64'), { GORISCV64: 'rva23u64' }],
      [linux('mipsle'), { GOMIPS: 'softfloat' }],
    ];
    for (const [target, env] of cases) {
      const listed = await goListToolTags('go', target, env);
      assert.ok(!('error' in listed), `${JSON.stringify(env)}: ${'error' in listed ? listed.error : ''}`);
      const fromTable = tableToolTags(target, env);
      assert.deepStrictEqual(fromTable.problems, []);
      assert.deepStrictEqual(fromTable.tags.sort(), withoutCgo(listed.tags).sort(), `${target.goarch} ${JSON.stringify(env)}`);
    }
  });

  it('adds the cgo tag where go list says cgo is on: the host target, not cross targets', async () => {
    const cgoOn = execFileSync('go', ['env', 'CGO_ENABLED'], { encoding: 'utf8', env: { ...process.env, GOOS: '', GOARCH: '' } }).trim() === '1';
    const host = { goos: execFileSync('go', ['env', 'GOHOSTOS'], { encoding: 'utf8' }).trim(), goarch: execFileSync('go', ['env', 'GOHOSTARCH'], { encoding: 'utf8' }).trim() };
    const hostTags = await goListToolTags('go', host, {});
    assert.ok(!('error' in hostTags));
    assert.strictEqual(hostTags.tags.includes('cgo'), cgoOn);
    const cross = await goListToolTags('go', { goos: 'linux', goarch: host.goarch === 'arm64' ? 'amd64' : 'arm64' }, {});
    assert.ok(!('error' in cross) && !cross.tags.includes('cgo'));
  });

  it('says which settings it cannot honour and when the toolchain is another release', () => {
    const tags = tableToolTags(linux('amd64'), { GOAMD64: 'v9', GOEXPERIMENT: 'nosuchthing' }, 'go1.99.1');
    assert.strictEqual(tags.problems.length, 3, tags.problems.join('\n'));
    assert.match(tags.problems.join('\n'), /GOAMD64=v9/);
    assert.match(tags.problems.join('\n'), /nosuchthing/);
    assert.match(tags.problems.join('\n'), /go1\.99\.1/);
    assert.ok(tags.tags.includes('amd64.v1'), 'the default level stays');
  });

  it('lays out runtime.p, gcWork and mstats as gc builds them on amd64, 386 and arm64', async () => {
    const engine = await Engine.create(go);
    const targets = ['amd64', '386', 'arm64'].map(linux);
    const runtime = path.join(go.goroot, 'src', 'runtime');
    const structs = [
      ...engine.structsInFile(path.join(runtime, 'runtime2.go'), targets).filter((s) => s.name === 'p'),
      ...engine.structsInFile(path.join(runtime, 'mgcwork.go'), targets).filter((s) => s.name === 'gcWork'),
      ...engine.structsInFile(path.join(runtime, 'mstats.go'), targets).filter((s) => s.name === 'mstats'),
    ];
    assert.deepStrictEqual(structs.map((s) => s.name), ['p', 'gcWork', 'mstats']);
    for (const target of targets) {
      const claims = structs.flatMap((s) => claimsFor(s, target));
      assert.strictEqual(stdCompilerRejects(go.goroot, 'runtime', 'runtime', target.goos, target.goarch, claims), undefined,
        `${target.goarch}: ${structs.map((s) => `${s.name} ${s.layouts[`linux/${target.goarch}`].size} B`).join(', ')}`);
    }
  });

  it('follows GOEXPERIMENT: runtime layouts without greenteagc are what gc builds then', async () => {
    const env = { GOEXPERIMENT: 'nogreenteagc' };
    const engine = await Engine.create({ ...go, toolchainEnv: env });
    const target = linux('amd64');
    assert.ok(!engine.toolTags(target).tags.includes('goexperiment.greenteagc'));
    const runtime = path.join(go.goroot, 'src', 'runtime');
    const structs = [
      ...engine.structsInFile(path.join(runtime, 'runtime2.go'), [target]).filter((s) => s.name === 'p'),
      ...engine.structsInFile(path.join(runtime, 'mgcwork.go'), [target]).filter((s) => s.name === 'gcWork'),
    ];
    const withGreenTea = (await Engine.create(go)).structsInFile(path.join(runtime, 'mgcwork.go'), [target]).find((s) => s.name === 'gcWork')!;
    assert.notStrictEqual(structs[1].layouts['linux/amd64'].size, withGreenTea.layouts['linux/amd64'].size, 'the experiment changes gcWork');
    const claims = structs.flatMap((s) => claimsFor(s, target));
    assert.strictEqual(stdCompilerRejects(go.goroot, 'runtime', 'runtime', 'linux', 'amd64', claims, env), undefined);
  });
});
