import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../../../core/src/api';
import { splitByTargets } from '../../../core/src/build/targetGroups';
import { resolveTargets } from '../../../core/src/projectTargets';
import { targetKey } from '../../../core/src/targets';
import { writeModule } from '../../support/goModule';

const targetsFor = (dir: string): Target[] => resolveTargets(dir).targets;
const summary = (root: string) => splitByTargets(root, targetsFor).map((g) => [g.targets.map(targetKey).join(','), g.patterns]);

describe('splitting ./... by project targets', () => {
  it('is the single ./... without a project file below the root', () => {
    const root = writeModule({ 'go.mod': 'module m\n', '.go-arch-lens.json': '{"targets": ["linux/386"]}', 'a.go': '', 'b/b.go': '' });
    assert.deepStrictEqual(summary(root), [['linux/386', ['./...']]]);
  });

  it('gives a folder under its own project file a run of its own, the root the rest', () => {
    const root = writeModule({
      'go.mod': 'module m\n', 'a.go': '', 'other/o.go': '', 'empty/readme.md': '',
      'x/x.go': '', 'x/y/.go-arch-lens.json': '{"targets": ["linux/riscv64"]}', 'x/y/y.go': '', 'x/y/z/z.go': '', 'x/w/w.go': '',
    });
    assert.deepStrictEqual(summary(root), [
      ['linux/amd64,linux/arm64,linux/386,linux/arm', ['.', './other/...', './x', './x/w/...']],
      ['linux/riscv64', ['./x/y/...']],
    ]);
    const [rest, own] = splitByTargets(root, targetsFor);
    assert.ok(rest.covers(path.join(root, 'x')) && rest.covers(path.join(root, 'x', 'w')) && !rest.covers(path.join(root, 'x', 'y')));
    assert.ok(own.covers(path.join(root, 'x', 'y', 'z')) && !own.covers(path.join(root, 'x')));
  });

  it('is one ./... with the project file\'s targets when every Go file is under it', () => {
    const root = writeModule({ 'go.mod': 'module m\n', 'sub/.go-arch-lens.json': '{"targets": ["linux/arm"]}', 'sub/s.go': '' });
    assert.deepStrictEqual(summary(root), [['linux/arm', ['./...']]]);
  });

  it('walks what go walks: no testdata, vendor, _ or . folder, other module or followed link; a FIFO is not opened', () => {
    const root = writeModule({
      'go.mod': 'module m\n', 'a.go': '',
      'testdata/.go-arch-lens.json': '{"targets": ["linux/arm"]}', 'testdata/t.go': '',
      'vendor/v/.go-arch-lens.json': '{"targets": ["linux/arm"]}', '.hidden/.go-arch-lens.json': '{"targets": ["linux/arm"]}', '_x/.go-arch-lens.json': '{"targets": ["linux/arm"]}',
      'nested/go.mod': 'module n\n', 'nested/.go-arch-lens.json': '{"targets": ["linux/arm"]}', 'nested/n.go': '',
      'real/.go-arch-lens.json': '{"targets": ["linux/arm"]}', 'real/r.go': '',
      'fifo/f.go': '',
    });
    fs.symlinkSync(root, path.join(root, 'loop'));
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'linked'));
    execFileSync('mkfifo', [path.join(root, 'fifo', '.go-arch-lens.json')]);
    assert.deepStrictEqual(summary(root), [
      // fifo/'s project file is no file: the default targets, which the root has too.
      ['linux/amd64,linux/arm64,linux/386,linux/arm', ['.', './fifo/...']],
      ['linux/arm', ['./real/...']],
    ]);
  });
});
