import * as assert from 'assert';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import { Engine } from '../../core/src/engine';
import { compilerRejects } from '../support/compilerCheck';
import { realGoEnv, writeModule } from '../support/goModule';
import { ensureXSys, XSYS_VERSION } from '../support/xsys';

const TARGETS: Target[] = [
  ...['amd64', 'arm64', '386', 'arm', 'riscv64', 's390x', 'mips'].map((goarch) => ({ goos: 'linux', goarch })),
  { goos: 'darwin', goarch: 'arm64' },
];

describe('golang.org/x/sys/unix from the module cache', function () {
  this.timeout(180000);

  it('lays out unix and syscall structs per target with their build constraints, as the compiler does', async () => {
    ensureXSys();
    const root = writeModule({
      'go.mod': `module example.com/m\n\ngo 1.26\n\nrequire golang.org/x/sys ${XSYS_VERSION}\n`,
      'a.go': [
        'package m', '', 'import (', '\t"syscall"', '', '\t"golang.org/x/sys/unix"', ')', '',
        'type FileInfo struct {', '\tst   unix.Stat_t', '\tts   unix.Timespec', '\tok   bool', '\traw  syscall.Stat_t', '}', '',
      ].join('\n'),
    });
    const engine = await Engine.create(realGoEnv());
    const info = engine.structsInFile(path.join(root, 'a.go'), TARGETS).find((s) => s.name === 'FileInfo')!;
    const sizes = new Set<number>();
    for (const target of TARGETS) {
      const layout = info.layouts[`${target.goos}/${target.goarch}`];
      assert.ok(layout.size !== null, `${target.goos}/${target.goarch}: ${layout.unknown}`);
      sizes.add(layout.size!);
      const claims = [
        { expr: 'unsafe.Sizeof(FileInfo{})', value: layout.size! },
        { expr: 'unsafe.Alignof(FileInfo{})', value: layout.align! },
        ...layout.fields.map((f) => ({ expr: `unsafe.Offsetof(FileInfo{}.${f.name})`, value: f.offset! })),
      ];
      assert.strictEqual(compilerRejects(root, 'm', target.goos, target.goarch, claims), undefined);
    }
    assert.ok(sizes.size > 2, 'Stat_t really differs between these targets');
  });
});
