import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findProjectFile, PROJECT_FILE, resolveTargets } from '../../core/src/projectTargets';
import { DEFAULT_TARGETS, GC_ARCHES, KNOWN_GOOS } from '../../core/src/targets';
import { runCli } from '../support/cliRun';
import { writeModule } from '../support/goModule';

const REPO = path.join(__dirname, '../../..');
const t = (goos: string, goarch: string) => ({ goos, goarch });

/** A field at offset 4 on 32-bit targets used with a 64-bit atomic: flagged only when 386/arm/mips is a target. */
const MISALIGNED = `package m

import "sync/atomic"

type Stats struct {
	flag int32
	hits int64
}

func (s *Stats) Hit() { atomic.AddInt64(&s.hits, 1) }
`;

describe('project targets (.go-arch-lens.json)', () => {
  it('applies the nearest project file to the files of its folder and below', () => {
    const root = writeModule({
      [PROJECT_FILE]: JSON.stringify({ targets: ['linux/amd64', 'linux/arm64'] }),
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'a/a.go': 'package a\n',
      'b/.go-arch-lens.json': JSON.stringify({ targets: ['linux/386'] }),
      'b/b.go': 'package b\n',
    });
    assert.strictEqual(findProjectFile(path.join(root, 'a/a.go')), path.join(root, PROJECT_FILE));
    assert.deepStrictEqual(resolveTargets(path.join(root, 'a/a.go')), {
      targets: [t('linux', 'amd64'), t('linux', 'arm64')], source: 'project', projectFile: path.join(root, PROJECT_FILE), problems: [],
    });
    assert.deepStrictEqual(resolveTargets(path.join(root, 'b/b.go')).targets, [t('linux', '386')]);
    assert.deepStrictEqual(resolveTargets(path.join(root, 'b')).targets, [t('linux', '386')], 'a folder is its own start');
  });

  it('lets explicit targets (setting, --targets) win, and keeps the default without a project file', () => {
    const root = writeModule({ [PROJECT_FILE]: '{"targets":["linux/amd64"]}', 'm.go': 'package m\n' });
    const explicit = resolveTargets(path.join(root, 'm.go'), [t('linux', 'mips')]);
    assert.deepStrictEqual([explicit.targets, explicit.source], [[t('linux', 'mips')], 'explicit']);
    assert.strictEqual(resolveTargets(path.join(root, 'm.go'), []).source, 'project', 'an empty explicit list is no choice');
    const bare = writeModule({ 'm.go': 'package m\n' });
    assert.deepStrictEqual(resolveTargets(path.join(bare, 'm.go')), { targets: DEFAULT_TARGETS, source: 'default', problems: [] });
  });

  it('reports a broken project file and falls back to the default targets', () => {
    const cases: [string, RegExp][] = [
      ['{"targets": ["linux/amd64",', /not valid JSON/],
      ['["linux/amd64"]', /not a JSON object/],
      ['{"targets": "linux/amd64"}', /"targets" must be an array/],
      ['{"targets": ["linux/vax", 3]}', /"vax" is not a GOARCH[\s\S]*3 is not a "GOOS\/GOARCH" string[\s\S]*no valid target/],
      [' '.repeat(70 * 1024), /larger than 65536 bytes/],
    ];
    for (const [content, problem] of cases) {
      const root = writeModule({ [PROJECT_FILE]: content, 'm.go': 'package m\n' });
      const resolved = resolveTargets(path.join(root, 'm.go'));
      assert.deepStrictEqual([resolved.targets, resolved.source], [DEFAULT_TARGETS, 'default'], content.slice(0, 40));
      assert.match(resolved.problems.join('\n'), problem);
    }
    const partly = writeModule({ [PROJECT_FILE]: '{"targets": ["linux/amd64", "linux/x"], "goarch": 1}', 'm.go': 'package m\n' });
    const resolved = resolveTargets(path.join(partly, 'm.go'));
    assert.deepStrictEqual(resolved.targets, [t('linux', 'amd64')]);
    assert.match(resolved.problems.join('\n'), /ignoring unknown key "goarch"[\s\S]*ignoring target "x"/);
  });

  it('a FIFO or a link to /dev/zero as the project file, even with a valid one above, is named in a note without reading it; the default targets apply', async () => {
    for (const make of [(file: string) => spawnSync('mkfifo', [file]), (file: string) => fs.symlinkSync('/dev/zero', file)]) {
      const root = writeModule({ [PROJECT_FILE]: '{"targets":["linux/mips"]}', 'sub/m.go': 'package m\n\ntype A struct{ a int8 }\n' });
      make(path.join(root, 'sub', PROJECT_FILE));
      const resolved = resolveTargets(path.join(root, 'sub', 'm.go'));
      assert.deepStrictEqual([resolved.targets, resolved.source], [DEFAULT_TARGETS, 'default']);
      assert.deepStrictEqual(resolved.problems, [`${path.join(root, 'sub', PROJECT_FILE)}: not a regular file; using the default targets`]);
      const { code, out, err } = await runCli(['layout', 'sub'], root);
      assert.strictEqual(code, 0, err);
      assert.match(err, /^note: .*\.go-arch-lens\.json: not a regular file; using the default targets$/m);
      assert.match(out, /amd64, arm64, 386, arm: size 1/);
    }
  });

  it('re-reads a project file after it changes', () => {
    const root = writeModule({ [PROJECT_FILE]: '{"targets":["linux/amd64"]}', 'm.go': 'package m\n' });
    assert.deepStrictEqual(resolveTargets(path.join(root, 'm.go')).targets, [t('linux', 'amd64')]);
    fs.writeFileSync(path.join(root, PROJECT_FILE), '{"targets":["linux/riscv64","windows/arm64"]}');
    assert.deepStrictEqual(resolveTargets(path.join(root, 'm.go')).targets, [t('linux', 'riscv64'), t('windows', 'arm64')]);
  });

  it('contributes a JSON schema whose target pattern accepts exactly the targets the parser accepts', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const validation = manifest.contributes.jsonValidation.find((v: { fileMatch: string }) => v.fileMatch === PROJECT_FILE);
    assert.ok(validation, 'package.json contributes jsonValidation for .go-arch-lens.json');
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, validation.url), 'utf8'));
    const pattern = new RegExp(schema.properties.targets.items.pattern);
    const gcGoos = [...KNOWN_GOOS];
    for (const goos of gcGoos) for (const goarch of GC_ARCHES) assert.ok(pattern.test(`${goos}/${goarch}`), `${goos}/${goarch}`);
    for (const bad of ['linux/sparc', 'beos/amd64', 'linux-amd64', 'linux/amd64 ']) assert.ok(!pattern.test(bad), bad);
    assert.ok(fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8').includes('!schemas/**'), 'the schema is packaged');
    assert.deepStrictEqual(manifest.contributes.configuration.properties['goArchLens.targets'].default, [], 'unset means project file, else default');
  });

  it('go-arch-lens check and layout use the project file, --targets and --goarch override it', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'm.go': MISALIGNED, [PROJECT_FILE]: '{"targets":["linux/amd64","linux/arm64"]}' });
    const shipped = await runCli(['check', root]);
    assert.deepStrictEqual([shipped.code, shipped.out.trim()], [0, 'no findings'], '64-bit targets only: Stats.hits is aligned');
    const forced = await runCli(['check', '--targets', 'linux/amd64,linux/386', root]);
    assert.strictEqual(forced.code, 1, forced.out);
    assert.match(forced.out, /atomic\.AddInt64 on Stats\.hits/);
    fs.writeFileSync(path.join(root, PROJECT_FILE), '{"targets":["linux/arm"]}');
    assert.strictEqual((await runCli(['check', root])).code, 1, 'the project now ships linux/arm');
    const layout = JSON.parse((await runCli(['layout', '--json', root])).out);
    assert.deepStrictEqual(Object.keys(layout.structs[0].layouts), ['arm']);
    const overridden = JSON.parse((await runCli(['layout', '--json', '--goarch', 'amd64', root])).out);
    assert.deepStrictEqual(Object.keys(overridden.structs[0].layouts), ['amd64']);
    fs.writeFileSync(path.join(root, PROJECT_FILE), '{"targets":[');
    const broken = await runCli(['check', root]);
    assert.match(broken.err, /\.go-arch-lens\.json: not valid JSON.*using the default targets/);
    assert.strictEqual(broken.code, 1, 'the default targets include 386 and arm');
  });
});
