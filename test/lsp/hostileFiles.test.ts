import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { realGoEnv, writeModule } from '../support/goModule';
import { HOSTILE_SKIPS, OK_GO, writeHostilePackage } from '../support/hostileFiles';
import { labelOf, serverPerTest } from './lspClient';

describe('language server beside files that are not regular files', function () {
  this.timeout(120000);
  const go = realGoEnv();
  const startServer = serverPerTest();

  for (const trusted of [true, false]) {
    it(`answers hints for ok.go next to a FIFO and links to /dev/zero, and logs each skipped file (${trusted ? 'trusted' : 'Restricted Mode'})`, async () => {
      const root = writeHostilePackage();
      const client = await startServer({
        settings: { inlayHints: { structSize: true, fieldOffsets: true, padding: false } },
        initializationOptions: { ...go, trusted },
      });
      const uri = await client.open(path.join(root, 'ok.go'), OK_GO);
      // Before reads were bounded, this request never came back (FIFO) or the server grew by gigabytes (/dev/zero).
      const hints = await client.inlayHints(uri);
      assert.deepStrictEqual((hints ?? []).map(labelOf), ['64-bit 16 B · 32-bit 12 B', '@0', '@8/@4']);
      const warned = () => client.logMessages.map((m) => m.message).filter((m) => m.includes('; skipped'));
      await client.waitFor('a warning per skipped file', () => warned().length >= HOSTILE_SKIPS.length);
      assert.deepStrictEqual(
        warned().map((m) => m.replace(root + path.sep, '')).sort(),
        HOSTILE_SKIPS.map((s) => s.split(' ')[0]).map((name) => expect(name)).sort(),
      );
      // The analyzers ran too (they read the package's other files) and the server still answers.
      assert.ok(client.alive);
      assert.ok((await client.inlayHints(uri))!.length > 0);
    });
  }

  it('names a skipped file whose name holds a line feed and an escape sequence escaped in its log, on one line', async () => {
    const root = writeModule({ 'go.mod': 'module example.com/m\n\ngo 1.26\n', 'ok.go': OK_GO });
    // Raw, the line feed would start a log line of the repository's wording and the escape sequence colour the rest.
    const name = 'p\n[Error - 0:00:00] forged\u001b[31m.go';
    assert.strictEqual(spawnSync('mkfifo', [path.join(root, name)]).status, 0);
    const client = await startServer({ initializationOptions: { ...go, trusted: false } });
    await client.inlayHints(await client.open(path.join(root, 'ok.go'), OK_GO));
    const skipped = () => client.logMessages.map((m) => m.message).filter((m) => m.includes('; skipped'));
    await client.waitFor('the skipped file\'s warning', () => skipped().length > 0);
    const escaped = 'p\\n[Error - 0:00:00] forged\\x1b[31m.go';
    assert.deepStrictEqual(skipped(), [`${path.join(root, escaped)}: ${escaped} is not a regular file (a named pipe); skipped`]);
  });
});

function expect(name: string): string {
  const what: Record<string, string> = {
    'dangling.go': 'a symbolic link to "nowhere/missing.go", which does not exist',
    'loop1.go': 'a symbolic link in a loop', 'loop2.go': 'a symbolic link in a loop',
    'pipe.go': 'not a regular file (a named pipe)',
    'random.go': 'not a regular file (a character device)', 'zero.go': 'not a regular file (a character device)',
  };
  return `${name}: ${name} is ${what[name]}; skipped`;
}
