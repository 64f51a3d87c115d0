// Package scopes parse other files lazily, one declaration at a time, and an editor buffer's first hints parse only
// the declarations on screen. These tests hold the lazy paths to the layouts of whole-file parsing, on real code.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { StructInfo, Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { DEFAULT_TARGETS } from '../../core/src/targets';
import { realGoEnv } from '../support/goModule';
import { ensureXSys } from '../support/xsys';

const TARGETS: Target[] = [...DEFAULT_TARGETS, { goos: 'darwin', goarch: 'arm64' }, { goos: 'linux', goarch: 'riscv64' }];

function goFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.endsWith('.go')).sort().map((n) => path.join(dir, n));
}

describe('lazy resolution gives the layouts of whole-file parsing', function () {
  this.timeout(600000);

  for (const [label, dirOf] of [
    ['golang.org/x/sys/unix', () => path.join(ensureXSys(), 'unix')],
    ['GOROOT/src/syscall', () => path.join(realGoEnv().goroot, 'src', 'syscall')],
  ] as const) {
    it(`every struct of ${label}, each file's scope parsed one declaration at a time`, async () => {
      const dir = dirOf();
      const files = goFiles(dir);
      const whole = await Engine.create(realGoEnv());
      await whole.preload(files);
      const lazy = await Engine.create(realGoEnv());
      let structs = 0;
      for (const file of files) {
        const expected = whole.structsInFile(file, TARGETS);
        assert.deepStrictEqual(lazy.structsInFile(file, TARGETS), expected, file);
        structs += expected.length;
      }
      assert.ok(structs > 300, `only ${structs} structs`);
    });
  }

  it('the first hints of an open ztypes_linux.go, a screenful at a time, before the buffer is parsed whole', async () => {
    const file = path.join(ensureXSys(), 'unix', 'ztypes_linux.go');
    const text = fs.readFileSync(file, 'utf8');
    const whole = await Engine.create(realGoEnv());
    whole.openFile(file, text);
    const all = whole.structsInFile(file, TARGETS);
    let checked = 0;
    // Screenfuls starting at every 8th struct, all through the file.
    for (const first of all.filter((_, i) => i % 8 === 0).map((s) => s.nameRange.start.line)) {
      const range = { start: { line: first, character: 0 }, end: { line: first + 60, character: 0 } };
      // A fresh engine per screenful: the buffer is not parsed whole before its first hints.
      const lazy = await Engine.create(realGoEnv());
      lazy.openFile(file, text);
      const shown: StructInfo[] = lazy.structsInFile(file, TARGETS, range);
      const expected = all.filter((s) => s.nameRange.start.line <= range.end.line && s.bodyRange.end.line >= range.start.line);
      assert.deepStrictEqual(shown, expected, `lines ${first}–${first + 60}`);
      checked += shown.length;
    }
    assert.ok(checked > 50, `only ${checked} structs checked`);
  });
});
