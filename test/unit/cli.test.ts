import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../cli/src/main';
import { writeModule } from '../support/goModule';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t + '\n'; }, err: (t) => { err += t + '\n'; } });
  return { code, out, err };
}

describe('go-arch-lens layout', function () {
  this.timeout(60000);
  const root = writeModule({
    'go.mod': 'module example.com/m\n\ngo 1.26\n',
    'a.go': 'package m\n\ntype Mixed struct {\n\ta int32\n\tb int64\n}\n\ntype Lost struct {\n\tx nowhere.T\n}\n',
    'b.go': 'package m\n\ntype Ok struct{ c uint16 }\n\nfunc broken( {\n',
  });

  it('prints the documented JSON with per-arch layouts, null for unknown values and the reason', async () => {
    const { code, out } = await run(['layout', '--json', '--goarch', 'amd64,386', path.join(root, 'a.go')]);
    assert.strictEqual(code, 0);
    const json = JSON.parse(out);
    const mixed = json.structs.find((s: { type: string }) => s.type === 'Mixed');
    assert.strictEqual(mixed.file, path.join(root, 'a.go'));
    assert.strictEqual(mixed.line, 3);
    assert.deepStrictEqual(mixed.layouts.amd64, {
      size: 16, align: 8, fields: [{ name: 'a', offset: 0, size: 4, align: 4 }, { name: 'b', offset: 8, size: 8, align: 8 }],
    });
    assert.strictEqual(mixed.layouts['386'].size, 12);
    const lost = json.structs.find((s: { type: string }) => s.type === 'Lost');
    assert.strictEqual(lost.layouts.amd64.size, null);
    assert.strictEqual(lost.layouts.amd64.fields[0].offset, null);
    assert.match(lost.layouts.amd64.unknown, /undefined: nowhere/);
  });

  it('reports syntax errors with positions and still lays out the rest of a folder', async () => {
    const { code, out, err } = await run(['layout', root]);
    assert.strictEqual(code, 0);
    assert.match(err, /b\.go:\d+:\d+: syntax error/);
    assert.match(out, /Ok\n\s+amd64, arm64, 386, arm: size 2, align 2/);
  });

  it('exits 2 with a message on bad usage', async () => {
    for (const argv of [['layout'], ['layout', '--goarch', 'vax', root], ['layout', '--bogus', root], ['nonsense'], ['layout', path.join(root, 'missing.go')]]) {
      const { code, err } = await run(argv);
      assert.strictEqual(code, 2, argv.join(' '));
      assert.match(err, /go-arch-lens: /);
    }
  });

  it('says clearly when a file is too large to parse and goes on with the others', async () => {
    const huge = path.join(root, 'huge_table.go');
    fs.writeFileSync(huge, 'package m\n\n' + '// filler\n'.repeat(1024 * 1024));
    const { code, err, out } = await run(['layout', huge, path.join(root, 'a.go')]);
    fs.rmSync(huge);
    assert.strictEqual(code, 0);
    assert.match(err, /huge_table\.go: huge_table\.go is larger than 8 MiB/);
    assert.match(out, /Mixed/);
  });
});
