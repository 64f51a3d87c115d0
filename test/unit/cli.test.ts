import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cacheLineSize } from '../../core/src/layout/memoryCosts';
import { runCli } from '../support/cliRun';
import { compilerRejects, type LayoutClaim } from '../support/compilerCheck';
import { writeModule } from '../support/goModule';
import { HUNG_AFTER_MS } from '../support/timeouts';

interface JsonField { name: string; offset: number; size: number; align: number }
interface JsonLayout { size: number; align: number; fields: JsonField[] }

describe('go-arch-lens layout', function () {
  this.timeout(60000);
  const root = writeModule({
    'go.mod': 'module example.com/m\n\ngo 1.26\n',
    'a.go': 'package m\n\ntype Mixed struct {\n\ta int32\n\tb int64\n}\n\ntype Lost struct {\n\tx nowhere.T\n}\n',
    'b.go': 'package m\n\ntype Ok struct{ c uint16 }\n\nfunc broken( {\n',
  });

  it('prints the documented JSON with per-arch layouts, null for unknown values and the reason', async () => {
    const { code, out } = await runCli(['layout', '--json', '--goarch', 'amd64,386', path.join(root, 'a.go')]);
    assert.strictEqual(code, 0);
    const json = JSON.parse(out);
    const mixed = json.structs.find((s: { type: string }) => s.type === 'Mixed');
    assert.strictEqual(mixed.file, path.join(root, 'a.go'));
    assert.strictEqual(mixed.line, 3);
    assert.deepStrictEqual(mixed.layouts.amd64, {
      size: 16, align: 8, fields: [{ name: 'a', offset: 0, size: 4, align: 4 }, { name: 'b', offset: 8, size: 8, align: 8 }],
      ptrBytes: 0, heap: { kind: 'small', bytes: 16, mallocHeader: false }, cacheLine: 64,
    });
    assert.strictEqual(mixed.layouts['386'].size, 12);
    const lost = json.structs.find((s: { type: string }) => s.type === 'Lost');
    assert.strictEqual(lost.layouts.amd64.size, null);
    assert.strictEqual(lost.layouts.amd64.fields[0].offset, null);
    assert.match(lost.layouts.amd64.unknown, /undefined: nowhere/);
  });

  it('reports syntax errors with positions and still lays out the rest of a folder', async () => {
    const { code, out, err } = await runCli(['layout', root]);
    assert.strictEqual(code, 0);
    assert.match(err, /b\.go:\d+:\d+: syntax error/);
    assert.match(out, /Ok\n\s+amd64, arm64, 386, arm: size 2, align 2/);
  });

  it('exits 2 with a message on bad usage', async () => {
    for (const argv of [['layout'], ['layout', '--goarch', 'vax', root], ['layout', '--bogus', root], ['nonsense'], ['layout', path.join(root, 'missing.go')]]) {
      const { code, err } = await runCli(argv);
      assert.strictEqual(code, 2, argv.join(' '));
      assert.match(err, /go-arch-lens: /);
    }
  });

  it('says clearly when a file is too large to parse and goes on with the others', async () => {
    const huge = path.join(root, 'huge_table.go');
    fs.writeFileSync(huge, 'package m\n\n' + '// filler\n'.repeat(1024 * 1024));
    const { code, err, out } = await runCli(['layout', huge, path.join(root, 'a.go')]);
    fs.rmSync(huge);
    assert.strictEqual(code, 3, 'a skipped file has its own exit status');
    assert.match(err, /huge_table\.go: huge_table\.go is larger than 8 MiB/);
    assert.match(out, /Mixed/);
  });
});

describe('go-arch-lens layout --goos darwin', function () {
  // Two GOOS-dependent parts: a syscall type the standard library defines per GOOS, and a type of the package
  // itself that only a _darwin.go / _linux.go file defines.
  this.timeout(180000);
  const root = writeModule({
    'go.mod': 'module example.com/plat\n\ngo 1.26\n',
    'plat/holder.go': 'package plat\n\nimport "syscall"\n\ntype Holder struct {\n\ttag  bool\n\tst   syscall.Stat_t\n\tplat Plat\n}\n',
    'plat/plat_darwin.go': 'package plat\n\ntype Plat struct {\n\ta int64\n\tb [3]int32\n}\n',
    'plat/plat_linux.go': 'package plat\n\ntype Plat struct {\n\ta int8\n}\n',
  });
  const pkgDir = path.join(root, 'plat');
  const holderFile = path.join(pkgDir, 'holder.go');
  const arches = ['amd64', 'arm64'];

  async function holderLayouts(goos: string): Promise<Record<string, JsonLayout>> {
    const { code, out, err } = await runCli(['layout', '--json', '--goos', goos, '--goarch', arches.join(','), holderFile]);
    assert.strictEqual(code, 0, err);
    const holder = JSON.parse(out).structs.find((s: { type: string }) => s.type === 'Holder');
    assert.ok(holder, out);
    return holder.layouts;
  }

  it('gives the layouts GOOS=darwin go build confirms, which differ from linux', async () => {
    const darwin = await holderLayouts('darwin');
    for (const goarch of arches) {
      const layout = darwin[goarch];
      const claims: LayoutClaim[] = [
        { expr: 'unsafe.Sizeof(Holder{})', value: layout.size },
        { expr: 'unsafe.Alignof(Holder{})', value: layout.align },
        ...layout.fields.flatMap((f) => [
          { expr: `unsafe.Offsetof(Holder{}.${f.name})`, value: f.offset },
          { expr: `unsafe.Sizeof(Holder{}.${f.name})`, value: f.size },
          { expr: `unsafe.Alignof(Holder{}.${f.name})`, value: f.align },
        ]),
      ];
      assert.strictEqual(compilerRejects(pkgDir, 'plat', 'darwin', goarch, claims), undefined, `darwin/${goarch}`);
    }
    // The fixture only proves --goos if the darwin answer is not the linux one.
    const linux = await holderLayouts('linux');
    for (const goarch of arches) {
      const field = (l: JsonLayout, name: string) => l.fields.find((f) => f.name === name)?.size;
      assert.notStrictEqual(field(darwin[goarch], 'plat'), field(linux[goarch], 'plat'), `Plat must come from plat_darwin.go on ${goarch}`);
    }
    assert.notDeepStrictEqual(darwin, linux);
  });
});

describe('the bundled CLI (dist/cli.js)', function () {
  this.timeout(60000);
  const cliBundle = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const root = writeModule({
    'go.mod': 'module example.com/bundle\n\ngo 1.26\n',
    'b.go': 'package bundle\n\nimport "sync"\n\ntype Guarded struct {\n\tflag bool\n\tmu   sync.Mutex\n\tn    int64\n\tname string\n}\n',
  });
  const file = path.join(root, 'b.go');

  it('node dist/cli.js layout --json prints what the CLI source prints, exit 0, nothing on stderr', async () => {
    assert.ok(fs.existsSync(cliBundle), `${cliBundle} is missing: run npm run build`);
    const spawned = spawnSync(process.execPath, [cliBundle, 'layout', '--json', file], { encoding: 'utf8', timeout: HUNG_AFTER_MS });
    assert.strictEqual(spawned.error, undefined);
    assert.strictEqual(spawned.status, 0, spawned.stderr);
    assert.strictEqual(spawned.stderr, '');
    const bundled = JSON.parse(spawned.stdout);
    const guarded = bundled.structs.find((s: { type: string }) => s.type === 'Guarded');
    assert.ok(guarded, spawned.stdout);
    assert.deepStrictEqual(Object.keys(guarded.layouts).sort(), ['386', 'amd64', 'arm', 'arm64']);
    assert.ok(Object.values(guarded.layouts).every((l) => typeof (l as JsonLayout).size === 'number'), spawned.stdout);
    // Same engine, same answer: a stale or broken bundle shows up here (run npm run build after changing sources).
    const inProcess = await runCli(['layout', '--json', file]);
    assert.deepStrictEqual(bundled, JSON.parse(inProcess.out));
  });
});

describe('go-arch-lens layout --json on output larger than a JavaScript string', function () {
  // Six 7 MB files, each with 70 structs of one field whose name is 100,000 characters long: the JSON for all 14
  // GOARCHes is 589 MB, more than V8's longest string (2^29 - 24 characters), which JSON.stringify of the whole
  // document failed on ("RangeError: Invalid string length"). The layout work is small; the size is in the names.
  this.timeout(600000);
  const FILES = 6;
  const STRUCTS = 70;
  const NAME_TAIL = 'x'.repeat(100000);
  const files: Record<string, string> = { 'go.mod': 'module example.com/wide\n\ngo 1.26\n' };
  for (let f = 0; f < FILES; f++) {
    let text = 'package wide\n\n';
    for (let i = 0; i < STRUCTS; i++) text += `type T${f}_${i} struct {\n\tf${f}_${i}${NAME_TAIL} int8\n}\n\n`;
    files[`w${f}.go`] = text;
  }
  const root = writeModule(files, 'gal-wide-');
  const cliBundle = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const abbrevSource = path.resolve(__dirname, '..', '..', '..', 'test', 'support', 'abbrevjson', 'main.go');

  it('streams the whole document (checked by a streaming Go decoder), exit 0', async () => {
    const abbrev = path.join(root, 'abbrevjson');
    const built = spawnSync('go', ['build', '-o', abbrev, abbrevSource], { encoding: 'utf8', cwd: path.dirname(abbrevSource) });
    assert.strictEqual(built.status, 0, built.stderr);
    assert.strictEqual(spawnSync('go', ['vet', '.'], { cwd: root, encoding: 'utf8' }).status, 0, 'the fixture is valid Go');
    const cli = spawn(process.execPath, [cliBundle, 'layout', '--json', '--goarch', 'all', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reader = spawn(abbrev, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let bytes = 0;
    cli.stdout.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    cli.stdout.pipe(reader.stdin);
    const collect = (stream: NodeJS.ReadableStream) => new Promise<string>((resolve) => {
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => { text += c; });
      stream.on('end', () => resolve(text));
    });
    const exited = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => child.on('close', resolve));
    const [cliErr, abbreviated, readerErr, cliCode, readerCode] = await Promise.all([
      collect(cli.stderr), collect(reader.stdout), collect(reader.stderr), exited(cli), exited(reader),
    ]);
    assert.strictEqual(cliCode, 0, cliErr);
    assert.strictEqual(cliErr, '');
    assert.strictEqual(readerCode, 0, readerErr);
    assert.ok(bytes > 2 ** 29, `only ${bytes} bytes: the case must not fit in one string`);
    const document = JSON.parse(abbreviated);
    assert.deepStrictEqual(document.skipped, []);
    const structs = document.structs as { file: string; type: string; layouts: Record<string, JsonLayout> }[];
    assert.strictEqual(structs.length, FILES * STRUCTS);
    for (const [n, s] of structs.entries()) {
      const f = Math.floor(n / STRUCTS);
      const i = n % STRUCTS;
      assert.strictEqual(s.type, `T${f}_${i}`);
      assert.strictEqual(s.file, path.join(root, `w${f}.go`));
      assert.strictEqual(Object.keys(s.layouts).length, 14);
      const name = `f${f}_${i}${NAME_TAIL}`;
      for (const [goarch, layout] of Object.entries(s.layouts)) {
        assert.deepStrictEqual(layout, {
          size: 1, align: 1, fields: [{ name: `<${name.length} bytes: ${name.slice(0, 16)}>`, offset: 0, size: 1, align: 1 }],
          ptrBytes: 0, heap: { kind: 'tiny', bytes: 1, block: 16 }, cacheLine: cacheLineSize(goarch),
        });
      }
    }
  });
});
