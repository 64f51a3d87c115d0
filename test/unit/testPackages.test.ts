// An external test package (package x_test) sees the package under test with its export_test.go, as go test
// builds it; constant lengths may select a field of a composite literal (x/sys: len(ifreq{}.Ifru)). The compiler
// (go test -c) checks the numbers.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../core/src/engine';
import { realGoEnv, writeModule } from '../support/goModule';

describe('test packages and field selectors in constants', function () {
  this.timeout(300_000);
  const go = realGoEnv();

  it('resolves export_test.go types from package x_test and len(T{}.f), as go test -c compiles them', async () => {
    const root = writeModule({
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'm.go': 'package m\n\ntype inner struct{ a int8 }\n\ntype raw struct {\n\thead [4]byte\n\tbody [24]byte\n}\n',
      'export_test.go': 'package m\n\ntype Node struct {\n\tnext *Node\n\tv    inner\n}\n',
      'ext_test.go': [
        'package m_test', '', 'import (', '\t"testing"', '', '\t. "example.com/m"', ')', '',
        'type Wrapped struct {', '\tNode', '\tdata int64', '}', '', 'func TestNothing(t *testing.T) {}', '',
      ].join('\n'),
      'sel.go': 'package m\n\nimport "unsafe"\n\ntype Sized struct {\n\tp unsafe.Pointer\n\t_ [len(raw{}.body) - 4]byte\n}\n',
    });
    const engine = await Engine.create(go);
    for (const goarch of ['amd64', '386']) {
      const t = { goos: 'linux', goarch };
      const wrapped = engine.structsInFile(path.join(root, 'ext_test.go'), [t]).find((s) => s.name === 'Wrapped')!;
      const sized = engine.structsInFile(path.join(root, 'sel.go'), [t]).find((s) => s.name === 'Sized')!;
      const w = wrapped.layouts[`linux/${goarch}`];
      const s = sized.layouts[`linux/${goarch}`];
      assert.ok(w.size !== null, w.unknown);
      assert.ok(s.size !== null, s.unknown);
      const claims = [
        `var _ = [1]struct{}{}[unsafe.Sizeof(Wrapped{})-${w.size}]`, `var _ = [1]struct{}{}[${w.size}-unsafe.Sizeof(Wrapped{})]`,
        `var _ = [1]struct{}{}[unsafe.Offsetof(Wrapped{}.data)-${w.fields[1].offset}]`,
        `var _ = [1]struct{}{}[${w.fields[1].offset}-unsafe.Offsetof(Wrapped{}.data)]`,
        `var _ = [1]struct{}{}[unsafe.Sizeof(m.Sized{})-${s.size}]`, `var _ = [1]struct{}{}[${s.size}-unsafe.Sizeof(m.Sized{})]`,
      ];
      const claimFile = path.join(root, 'zz_claims_test.go');
      fs.writeFileSync(claimFile, `package m_test\n\nimport (\n\t"unsafe"\n\n\tm "example.com/m"\n)\n\n${claims.join('\n')}\n`);
      const built = spawnSync('go', ['test', '-c', '-o', path.join(root, 'm.test')], {
        cwd: root, encoding: 'utf8', env: { ...process.env, GOOS: 'linux', GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '' },
      });
      fs.rmSync(claimFile);
      assert.strictEqual(built.status, 0, `${goarch}: ${built.stderr}`);
    }
  });
});
