import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeModule } from './goModule';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
export const OK_GO = 'package m\n\ntype Ok struct {\n\ta int8\n\tb int64\n}\n';

/**
 * A package as a hostile repository could ship it: one good file beside a FIFO, links to endless devices, a link
 * loop, a dangling link and a folder named like a Go file.
 */
export function writeHostilePackage(): string {
  const root = writeModule({ 'go.mod': GO_MOD, 'ok.go': OK_GO });
  const mkfifo = spawnSync('mkfifo', [path.join(root, 'pipe.go')]);
  assert.strictEqual(mkfifo.status, 0, `mkfifo failed: ${mkfifo.stderr}`);
  fs.symlinkSync('/dev/zero', path.join(root, 'zero.go'));
  fs.symlinkSync('/dev/urandom', path.join(root, 'random.go'));
  fs.symlinkSync('loop2.go', path.join(root, 'loop1.go'));
  fs.symlinkSync('loop1.go', path.join(root, 'loop2.go'));
  fs.symlinkSync('nowhere/missing.go', path.join(root, 'dangling.go'));
  fs.mkdirSync(path.join(root, 'folder.go'));
  return root;
}

/** The hostile package's skipped files as `name reason`. */
export const HOSTILE_SKIPS = [
  'dangling.go dangling-symlink', 'loop1.go symlink-loop', 'loop2.go symlink-loop', 'pipe.go not-regular',
  'random.go not-regular', 'zero.go not-regular',
];

