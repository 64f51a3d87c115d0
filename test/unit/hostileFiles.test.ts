import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../core/src/engine';
import { readSourceFile, type SkippedFile } from '../../core/src/resolve/sourceFiles';
import { writeModule } from '../support/goModule';
import { HOSTILE_SKIPS, OK_GO, writeHostilePackage } from '../support/hostileFiles';
import { HUNG_AFTER_MS } from '../support/timeouts';

function describeSkips(skipped: SkippedFile[]): string[] {
  return skipped.map((s) => `${path.basename(s.file)} ${s.reason}`);
}

describe('files that are not regular files', function () {
  this.timeout(120000);

  it('readSourceFile refuses FIFOs, devices, folders, link loops and dangling links without reading them', () => {
    const root = writeHostilePackage();
    const reasons = ['pipe.go', 'zero.go', 'random.go', 'loop1.go', 'dangling.go', 'folder.go'].map((name) => {
      const read = readSourceFile(path.join(root, name));
      assert.ok('skipped' in read, `${name} was read`);
      return `${name} ${read.skipped.reason}: ${read.skipped.message}`;
    });
    assert.deepStrictEqual(reasons, [
      'pipe.go not-regular: pipe.go is not a regular file (a named pipe); skipped',
      'zero.go not-regular: zero.go is not a regular file (a character device); skipped',
      'random.go not-regular: random.go is not a regular file (a character device); skipped',
      'loop1.go symlink-loop: loop1.go is a symbolic link in a loop; skipped',
      'dangling.go dangling-symlink: dangling.go is a symbolic link to "nowhere/missing.go", which does not exist; skipped',
      'folder.go not-regular: folder.go is not a regular file (a folder); skipped',
    ]);
    assert.deepStrictEqual(readSourceFile(path.join(root, 'ok.go')), { text: OK_GO });
  });

  it('readSourceFile follows a link to a regular file and applies the size cap to what it reads', () => {
    const root = writeModule({ 'real.go': OK_GO });
    fs.symlinkSync('real.go', path.join(root, 'link.go'));
    assert.deepStrictEqual(readSourceFile(path.join(root, 'link.go')), { text: OK_GO });
    const capped = readSourceFile(path.join(root, 'link.go'), OK_GO.length - 1);
    assert.ok('skipped' in capped);
    assert.strictEqual(capped.skipped.reason, 'too-large');
    assert.deepStrictEqual(readSourceFile(path.join(root, 'link.go'), OK_GO.length), { text: OK_GO });
  });

  it('the engine lays out the good file and lists every skipped file with its reason', async () => {
    const root = writeHostilePackage();
    const engine = await Engine.create();
    const structs = engine.structsInFile(path.join(root, 'ok.go'), [{ goos: 'linux', goarch: 'amd64' }]);
    assert.strictEqual(structs[0].layouts['linux/amd64'].size, 16);
    // Laying out ok.go consulted its package's other files for declarations.
    assert.deepStrictEqual(describeSkips(engine.skippedFiles()), HOSTILE_SKIPS);
    assert.match(engine.fileProblem(path.join(root, 'pipe.go'))!, /^pipe\.go is not a regular file \(a named pipe\); skipped$/);
    assert.strictEqual(engine.skippedFile(path.join(root, 'ok.go')), undefined);
  });

  it('node dist/cli.js layout . on the package finishes, lays out ok.go and names each skipped file', () => {
    const root = writeHostilePackage();
    const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
    // Before reads were bounded this never returned (FIFO) or grew by gigabytes (/dev/zero); the timeout and the
    // buffer limit turn either into a failure instead of a hung suite.
    const spawned = spawnSync(process.execPath, [cli, 'layout', '.'], { cwd: root, encoding: 'utf8', timeout: HUNG_AFTER_MS, maxBuffer: 1 << 20 });
    assert.strictEqual(spawned.error, undefined, `${spawned.error}`);
    assert.match(spawned.stdout, /ok\.go:3: Ok\n\s+amd64, arm64: size 16, align 8, 7 B padding/);
    for (const name of ['pipe.go', 'zero.go', 'random.go', 'loop1.go', 'dangling.go']) {
      assert.match(spawned.stderr, new RegExp(`${name.replace('.', '\\.')}: ${name.replace('.', '\\.')} is .*; skipped`), spawned.stderr);
    }
  });

  it('node dist/cli.js check, whose analyzers read the whole package, finishes too', () => {
    const root = writeHostilePackage();
    const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
    const spawned = spawnSync(process.execPath, [cli, 'check', '--format', 'json', 'ok.go'], { cwd: root, encoding: 'utf8', timeout: HUNG_AFTER_MS, maxBuffer: 1 << 20 });
    assert.strictEqual(spawned.error, undefined, `${spawned.error}`);
    assert.ok(Array.isArray(JSON.parse(spawned.stdout).findings), spawned.stdout);
  });
});
