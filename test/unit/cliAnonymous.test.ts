// `go-arch-lens layout` lists anonymous struct types after the named ones, named after the field or variable
// holding them and marked `"anonymous": true` in JSON; the compiler checks every figure it prints.
import * as assert from 'assert';
import * as path from 'path';
import { runCli as run } from '../support/cliRun';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { writeModule } from '../support/goModule';

const GO_MOD = 'module example.com/m\n\ngo 1.26\n';
const ARCHES = ['amd64', '386', 'arm64', 'arm', 'riscv64'];

// `cases` lives in a function: its figures are asserted in place against constants written from the CLI's answer.
const SOURCE = `package m

import "unsafe"

type Config struct {
	id    int32
	limit struct {
		on  bool
		max int64
	}
	signal chan struct{}
}

var stats = struct {
	hits uint16
	sum  float64
}{}

func Check() int {
	cases := []struct {
		in  string
		out int8
	}{{"x", 1}}
	var _ = [1]struct{}{}[unsafe.Sizeof(cases[0])-wantCases]
	var _ = [1]struct{}{}[unsafe.Offsetof(cases[0].out)-wantCasesOut]
	return len(cases)
}
`;

interface JsonLayout { size: number; align: number; fields: { name: string; offset: number }[] }
interface JsonStruct { type: string; line: number; anonymous?: boolean; layouts: Record<string, JsonLayout> }

describe('go-arch-lens layout on anonymous struct types', function () {
  this.timeout(300_000);
  const root = writeModule({ 'go.mod': GO_MOD, 'm.go': SOURCE, 'want.go': 'package m\n\nconst wantCases, wantCasesOut = 0, 0\n' });
  const file = path.join(root, 'm.go');

  it('lists them in JSON after the named structs, marked anonymous, with the compiler\'s figures', async () => {
    const { code, out, err } = await run(['layout', '--json', '--goarch', ARCHES.join(','), file]);
    assert.strictEqual(code, 0, err);
    const structs: JsonStruct[] = JSON.parse(out).structs;
    assert.deepStrictEqual(structs.map((s) => [s.type, s.line, s.anonymous]),
      [['Config', 5, undefined], ['Config.limit', 7, true], ['stats', 14, true], ['Check.cases', 20, true]]);
    const byName = (name: string) => structs.find((s) => s.type === name)!;
    const offset = (layout: JsonLayout, field: string) => layout.fields.find((f) => f.name === field)!.offset;
    for (const goarch of ARCHES) {
      const limit = byName('Config.limit').layouts[goarch];
      const stats = byName('stats').layouts[goarch];
      const cases = byName('Check.cases').layouts[goarch];
      const claims: LayoutClaim[] = [
        { expr: 'unsafe.Sizeof(Config{}.limit)', value: limit.size },
        { expr: 'unsafe.Alignof(Config{}.limit)', value: limit.align },
        { expr: 'unsafe.Offsetof(Config{}.limit.max)', value: offset(limit, 'max') },
        { expr: 'unsafe.Sizeof(stats)', value: stats.size },
        { expr: 'unsafe.Offsetof(stats.sum)', value: offset(stats, 'sum') },
      ];
      const checked = writeModule({
        'go.mod': GO_MOD, 'm.go': SOURCE, 'want.go': `package m\n\nconst wantCases, wantCasesOut = ${cases.size}, ${offset(cases, 'out')}\n`,
      });
      assert.strictEqual(compilerRejects(checked, 'm', 'linux', goarch, claims), undefined, `compiler disagrees on ${goarch}`);
    }
  });

  it('prints them in text with their readable name, as anonymous, grouping targets that agree', async () => {
    const { code, out } = await run(['layout', '--goarch', 'amd64,386', file]);
    assert.strictEqual(code, 0);
    const blocks = out.trim().split(/\n(?=\S)/).map((b) => b.replace(/^\S*m\.go/, 'm.go'));
    // Figures as in the JSON test above, which the compiler checks.
    assert.deepStrictEqual(blocks, [
      'm.go:5: Config\n  amd64: size 32, align 8, 4 B padding\n  386: size 20, align 4',
      'm.go:7: Config.limit (anonymous struct)\n  amd64: size 16, align 8, 7 B padding\n  386: size 12, align 4, 3 B padding',
      'm.go:14: stats (anonymous struct)\n  amd64: size 16, align 8, 6 B padding\n  386: size 12, align 4, 2 B padding',
      'm.go:20: Check.cases (anonymous struct)\n  amd64: size 24, align 8, 7 B padding\n  386: size 12, align 4, 3 B padding',
    ]);
  });
});
