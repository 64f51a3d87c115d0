import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  CodeActionKind, CodeActionRequest, DidSaveTextDocumentNotification, PublishDiagnosticsNotification,
  type CodeAction, type Diagnostic, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { BUILD_STATUS_NOTIFICATION, CHECK_ALL_REQUEST, type BuildStatusParams, type CheckAllResult, type PackageState } from '../../server/src/buildProtocol';
import { BUILD_DELAY_MS } from '../../server/src/buildDiagnostics';
import { realGoEnv } from '../support/goModule';
import { ensureXSys } from '../support/xsys';
import { LspTestClient, REPO_ROOT } from './lspClient';

const FIXTURE_MODULE = path.join(REPO_ROOT, 'test', 'fixtures', 'build', 'targets');

describe('the compiler\'s verdict per target over LSP', function () {
  this.timeout(600_000);
  const go = realGoEnv();
  let client: LspTestClient;
  let moduleDir: string;
  let published: Map<string, Diagnostic[][]>;
  let statuses: BuildStatusParams[];
  let progress: { kind: string; message?: string; title?: string }[];

  before(() => ensureXSys());

  beforeEach(() => {
    // A copy, so fixes can be saved to disk as an editor would.
    moduleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-build-lsp-'));
    fs.cpSync(FIXTURE_MODULE, moduleDir, { recursive: true });
  });

  afterEach(async () => {
    if (client) await client.stop();
    fs.rmSync(moduleDir, { recursive: true, force: true });
  });

  async function start(trusted = true, settings: Record<string, unknown> = {}, configurationDelayMs = 0): Promise<void> {
    client = await LspTestClient.start({ settings, configurationDelayMs, initializationOptions: { goroot: go.goroot, gomodcache: go.gomodcache, trusted } });
    published = new Map();
    statuses = [];
    progress = [];
    client.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      published.set(uri, [...(published.get(uri) ?? []), diagnostics]);
    });
    client.connection.onNotification(BUILD_STATUS_NOTIFICATION, (params: BuildStatusParams) => statuses.push(params));
    client.connection.onNotification('$/progress', (params: { value: { kind: string; message?: string; title?: string } }) => progress.push(params.value));
  }

  async function diagnosticsWhen(uri: string, what: string, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const latest = () => published.get(uri)?.at(-1);
    await client.waitFor(`${what} (latest: ${JSON.stringify(latest())})`, () => latest() !== undefined && accept(latest()!));
    return latest()!;
  }

  function packageState(dir: string): PackageState | undefined {
    return statuses.at(-1)?.packages.find((p) => p.dir === dir);
  }

  async function statusWhen(dir: string, what: string, accept: (p: PackageState) => boolean): Promise<PackageState> {
    await client.waitFor(`${what} (latest: ${JSON.stringify(packageState(dir))})`, () => {
      const state = packageState(dir);
      return state !== undefined && accept(state);
    }, 300_000);
    return packageState(dir)!;
  }

  async function openFile(rel: string): Promise<{ file: string; uri: string; text: string }> {
    const file = path.join(moduleDir, rel);
    const text = fs.readFileSync(file, 'utf8');
    return { file, uri: await client.open(file, text), text };
  }

  /** Writes the new text as an editor saving it would: didChange, the file on disk, didSave. */
  async function editAndSave(uri: string, file: string, text: string): Promise<void> {
    await client.change(uri, [{ text }]);
    fs.writeFileSync(file, text);
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * Applies the quick fix (one edit on one line) as an editor would and saves; then the package must build on all
   * 4 targets, with no diagnostic left. Returns the new text.
   */
  async function applyAndSave(uri: string, file: string, text: string, fix: CodeAction): Promise<string> {
    const edits = (fix.edit?.changes?.[uri] ?? []) as TextEdit[];
    assert.strictEqual(edits.length, 1);
    const lines = text.split('\n');
    const e = edits[0].range;
    assert.strictEqual(e.start.line, e.end.line);
    lines[e.start.line] = lines[e.start.line].slice(0, e.start.character) + edits[0].newText + lines[e.start.line].slice(e.end.character);
    await editAndSave(uri, file, lines.join('\n'));
    await diagnosticsWhen(uri, 'no diagnostics after the fix', (d) => d.length === 0);
    const fixed = await statusWhen(path.dirname(file), 'every target building', (p) => !p.running && p.targets.every((t) => t.status === 'ok'));
    assert.strictEqual(fixed.targets.length, 4);
    return lines.join('\n');
  }

  it('shows one diagnostic for a per-target field type, naming the failing targets, with the analyzer\'s fix; the fix makes it vanish', async () => {
    await start();
    const { file, uri, text } = await openFile('nlink/nlink.go');
    const diagnostics = await diagnosticsWhen(uri, 'the build diagnostic', (d) => d.some((x) => x.code === 'build'));
    assert.strictEqual(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [build] = diagnostics;
    assert.strictEqual(build.source, 'go-arch-lens');
    assert.strictEqual(build.message.split('\n')[0],
      'cannot use st.Nlink (variable of type uint32) as uint64 value in variable declaration (linux/arm64, linux/386, linux/arm)');
    assert.match(build.message.split('\n')[1], /^syscall\.Stat_t\.Nlink is uint64 on linux\/amd64; .* \(fieldtype\)$/);
    const line = text.split('\n').findIndex((l) => l.includes('st.Nlink'));
    assert.deepStrictEqual(build.range.start, { line, character: text.split('\n')[line].indexOf('st.Nlink') });

    const state = await statusWhen(path.dirname(file), 'the verdict of nlink', (p) => !p.running);
    assert.deepStrictEqual(state.targets.map((t) => [t.target, t.status]),
      [['linux/amd64', 'ok'], ['linux/arm64', 'failed'], ['linux/386', 'failed'], ['linux/arm', 'failed']]);
    assert.ok(progress.some((p) => p.kind === 'begin' && p.title === 'Go Arch Lens: compiling for 4 targets'), JSON.stringify(progress));
    assert.ok(progress.some((p) => p.kind === 'end'), JSON.stringify(progress));

    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: build.range, context: { diagnostics: [build], only: [CodeActionKind.QuickFix] },
    }) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Convert to uint64: uint64(st.Nlink)');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    await applyAndSave(uri, file, text, fix);
  });

  it('carries sysname\'s rewrite to openat on the build diagnostic of a missing SYS_OPEN; the fix makes it vanish', async () => {
    await start();
    const { file, uri, text } = await openFile('sysopen/sysopen.go');
    const diagnostics = await diagnosticsWhen(uri, 'the build diagnostic', (d) => d.some((x) => x.code === 'build'));
    assert.deepStrictEqual(diagnostics.map((d) => [d.code, d.message]), [['build', 'undefined: unix.SYS_OPEN (linux/arm64)\n' +
      'unix.SYS_OPEN does not exist on linux/arm64 (nor on linux/loong64, linux/riscv64): use unix.SYS_OPENAT with AT_FDCWD (sysname)']]);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics, only: [CodeActionKind.QuickFix] },
    }) as CodeAction[];
    assert.deepStrictEqual(actions.map((a) => [a.title, a.isPreferred, a.diagnostics?.map((d) => d.code)]),
      [['Call unix.SYS_OPENAT with AT_FDCWD', true, ['build']]]);
    const fixed = await applyAndSave(uri, file, text, actions[0]);
    assert.match(fixed, /\tfd, _, errno := unix\.Syscall6\(unix\.SYS_OPENAT, \^uintptr\(99\) \/\* AT_FDCWD \*\/, uintptr\(0\), 0, 0, 0, 0\)\n/);
  });

  it('checks a file opened while the window starts (settings pushed and pulled late), without a save', async () => {
    // VS Code's order: initialized, the pushed goArchLens section, the open documents; its answer to the pull comes
    // later than the check's debounce.
    await start(true, { targets: ['linux/amd64', 'linux/arm64'] }, 3 * BUILD_DELAY_MS);
    await client.changeSettings(client.settings);
    const { file, uri } = await openFile('perarch/name.go');
    const [build] = await diagnosticsWhen(uri, 'the build diagnostic', (d) => d.some((x) => x.code === 'build'));
    assert.strictEqual(build.message, 'undefined: archName (linux/arm64)');
    const state = await statusWhen(path.dirname(file), 'the verdict', (p) => !p.running);
    assert.deepStrictEqual(state.targets.map((t) => [t.target, t.status]), [['linux/amd64', 'ok'], ['linux/arm64', 'failed']]);
  });

  it('names the target whose per-arch file lacks a function, and follows the line while the document is edited', async () => {
    await start();
    const { uri, text } = await openFile('perarch/name.go');
    const [build] = await diagnosticsWhen(uri, 'the build diagnostic', (d) => d.some((x) => x.code === 'build'));
    assert.strictEqual(build.message, 'undefined: archName (linux/arm64)');
    const line = text.split('\n').findIndex((l) => l.includes('archName()'));
    assert.strictEqual(build.range.start.line, line);
    // Two lines inserted above, not saved: the diagnostic moves with its line.
    await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n// a comment\n' }]);
    const moved = await diagnosticsWhen(uri, 'the diagnostic two lines down', (d) => d.some((x) => x.code === 'build' && x.range.start.line === line + 2));
    assert.strictEqual(moved.length, 1);
  });

  it('leaves out an error every target and the host have, and shows it when asked', async () => {
    await start();
    const { uri } = await openFile('everywhere/everywhere.go');
    await statusWhen(path.join(moduleDir, 'everywhere'), 'the verdict', (p) => !p.running && p.targets.every((t) => t.status === 'failed'));
    assert.deepStrictEqual(published.get(uri)?.at(-1) ?? [], []);
    await client.changeSettings({ build: { showErrorsOnEveryTarget: true } });
    const [shown] = await diagnosticsWhen(uri, 'the error of every target', (d) => d.length > 0);
    assert.strictEqual(shown.message, 'undefined: notDeclaredAnywhere (linux/amd64, linux/arm64, linux/386, linux/arm)');
  });

  it('compiles every package on Check All Targets, publishing errors of files that are not open', async () => {
    await start();
    const result = await client.connection.sendRequest(CHECK_ALL_REQUEST, { folders: [moduleDir] }) as CheckAllResult;
    assert.strictEqual(result.packages, 9);
    // everywhere fails on all four (its error is hidden, its verdict is not); sysopen, perarch on arm64; nlink on three;
    // overflow on the 32-bit ones; importer on 386.
    assert.deepStrictEqual(result.failing.map((f) => [f.target, f.packages]),
      [['linux/amd64', 1], ['linux/arm64', 4], ['linux/386', 4], ['linux/arm', 3]]);
    const sysopen = pathToFileURL(path.join(moduleDir, 'sysopen', 'sysopen.go')).href;
    const [diagnostic] = await diagnosticsWhen(sysopen, 'the SYS_OPEN error', (d) => d.length > 0);
    assert.strictEqual(diagnostic.message, 'undefined: unix.SYS_OPEN (linux/arm64)');
    const cgo = packageState(path.join(moduleDir, 'cgouser'));
    assert.deepStrictEqual(cgo?.targets.map((t) => [t.target, t.status, t.cgoSkipped.map((f) => path.basename(f))]),
      [['linux/amd64', 'ok', []], ['linux/arm64', 'ok', ['alloc.go']], ['linux/386', 'ok', ['alloc.go']], ['linux/arm', 'ok', ['alloc.go']]]);
    assert.strictEqual(packageState(path.join(moduleDir, 'notfor386'))?.targets[2].status, 'excluded');
  });

  it('checks a folder with its own .go-arch-lens.json for its targets on Check All Targets', async () => {
    // sub/ ships linux/amd64 and linux/riscv64; the root, linux/amd64 and linux/386. sub overflows int on 386 only,
    // sub/arch lacks its name on riscv64 only: checked with the root's targets, both would fail on 386.
    const split = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-build-split-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(split, rel)), { recursive: true });
      fs.writeFileSync(path.join(split, rel), text);
    };
    try {
      write('go.mod', 'module example.com/split\n\ngo 1.21\n');
      write('.go-arch-lens.json', '{"targets": ["linux/amd64", "linux/386"]}\n');
      write('root.go', 'package split\n\nvar Root = 1\n');
      write('other/other.go', 'package other\n\nvar Other = 2\n');
      write('sub/.go-arch-lens.json', '{"targets": ["linux/amd64", "linux/riscv64"]}\n');
      write('sub/sub.go', 'package sub\n\nvar Big int = 1 << 40\n');
      write('sub/arch/name_amd64.go', 'package arch\n\nfunc name() string { return "amd64" }\n');
      write('sub/arch/arch.go', 'package arch\n\nvar Name = name()\n');
      await start();
      const result = await client.connection.sendRequest(CHECK_ALL_REQUEST, { folders: [split] }) as CheckAllResult;
      assert.strictEqual(result.packages, 4);
      assert.deepStrictEqual(result.failing.map((f) => [f.target, f.packages]), [['linux/riscv64', 1]]);
      assert.deepStrictEqual(result.problems, []);
      const verdict = (rel: string) => packageState(path.join(split, rel))?.targets.map((t) => [t.target, t.status]);
      assert.deepStrictEqual(verdict('.'), [['linux/amd64', 'ok'], ['linux/386', 'ok']]);
      assert.deepStrictEqual(verdict('other'), [['linux/amd64', 'ok'], ['linux/386', 'ok']]);
      assert.deepStrictEqual(verdict('sub'), [['linux/amd64', 'ok'], ['linux/riscv64', 'ok']]);
      assert.deepStrictEqual(verdict('sub/arch'), [['linux/amd64', 'ok'], ['linux/riscv64', 'failed']]);
      const arch = pathToFileURL(path.join(split, 'sub', 'arch', 'arch.go')).href;
      const diagnostics = await diagnosticsWhen(arch, 'the riscv64 error', (d) => d.length > 0);
      assert.deepStrictEqual(diagnostics.map((d) => d.message), ['undefined: name (linux/riscv64)']);
      assert.deepStrictEqual(published.get(pathToFileURL(path.join(split, 'sub', 'sub.go')).href)?.at(-1) ?? [], []);
    } finally {
      fs.rmSync(split, { recursive: true, force: true });
    }
  });

  it('compiles for the targets of the project\'s .go-arch-lens.json, and again when it changes', async () => {
    await start();
    const { file, uri } = await openFile('overflow/overflow.go');
    const dir = path.dirname(file);
    await statusWhen(dir, 'the verdict for the 4 default targets', (p) => !p.running && p.targets.length === 4);
    const [overflow] = await diagnosticsWhen(uri, 'the overflow on 32-bit targets', (d) => d.length > 0);
    assert.match(overflow.message, /overflows int \(linux\/386, linux\/arm\)$/);
    const project = path.join(moduleDir, '.go-arch-lens.json');
    fs.writeFileSync(project, JSON.stringify({ targets: ['linux/amd64', 'linux/arm64'] }));
    await client.fileChangedOnDisk(project);
    const state = await statusWhen(dir, 'the verdict for the project\'s targets', (p) => !p.running && p.targets.length === 2);
    // int(1 << 40) fits the 64-bit int of both: the 32-bit targets' errors are gone.
    assert.deepStrictEqual(state.targets.map((t) => [t.target, t.status]), [['linux/amd64', 'ok'], ['linux/arm64', 'ok']]);
    await diagnosticsWhen(uri, 'no diagnostics', (d) => d.length === 0);
  });

  it('compiles with goArchLens.toolchainEnv (GOEXPERIMENT), as the layouts do', async () => {
    const exp = path.join(moduleDir, 'experiment');
    fs.mkdirSync(exp);
    fs.writeFileSync(path.join(exp, 'g.go'), 'package experiment\n\nfunc G() int { return f() }\n');
    fs.writeFileSync(path.join(exp, 'f_amd64.go'), 'package experiment\n\nfunc f() int { return 1 }\n');
    fs.writeFileSync(path.join(exp, 'f_json.go'), '//go:build goexperiment.jsonv2 && !amd64\n\npackage experiment\n\nfunc f() int { return 2 }\n');
    await start();
    const { uri } = await openFile('experiment/g.go');
    const [missing] = await diagnosticsWhen(uri, 'f missing without the experiment', (d) => d.length > 0);
    assert.strictEqual(missing.message, 'undefined: f (linux/arm64, linux/386, linux/arm)');
    await client.changeSettings({ toolchainEnv: { GOEXPERIMENT: 'jsonv2' } });
    await diagnosticsWhen(uri, 'no diagnostics with GOEXPERIMENT=jsonv2', (d) => d.length === 0);
    assert.ok(packageState(exp)?.targets.every((t) => t.status === 'ok'), JSON.stringify(packageState(exp)));
  });

  it('compiles a package\'s tests once one of its test files is opened, after the package was checked without them', async () => {
    const dir = path.join(moduleDir, 'wide');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'wide.go'), 'package wide\n\nconst Shift = 40\n');
    fs.writeFileSync(path.join(dir, 'wide_test.go'), 'package wide\n\nvar tooWide = int(1 << Shift)\n');
    await start();
    await openFile('wide/wide.go');
    const before = await statusWhen(dir, 'the verdict without tests', (p) => !p.running);
    assert.deepStrictEqual(before.targets.map((t) => t.status), ['ok', 'ok', 'ok', 'ok']);
    const { uri } = await openFile('wide/wide_test.go');
    const diagnostics = await diagnosticsWhen(uri, 'the test file\'s build diagnostic', (d) => d.some((x) => x.code === 'build'));
    assert.deepStrictEqual(diagnostics.map((d) => [d.range.start.line, d.message]),
      [[2, 'constant 1099511627776 overflows int (linux/386, linux/arm)']]);
  });

  it('shows a broken go.mod once, naming the targets it stops, not once per target', async () => {
    const goMod = path.join(moduleDir, 'go.mod');
    fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8').replace(/^require/m, 'requre'));
    await start();
    const { file } = await openFile('overflow/overflow.go');
    await statusWhen(path.dirname(file), 'the verdict', (p) => !p.running && p.targets.every((t) => t.problem !== undefined));
    const shown = client.shownMessages.filter((m) => m.message.includes('go.mod'));
    assert.deepStrictEqual(shown.map((m) => m.message.replace(/go\.mod:\d+/, 'go.mod:N')),
      ['Go Arch Lens: go: errors parsing go.mod:\ngo.mod:N: unknown directive: requre (linux/amd64, linux/arm64, linux/386, linux/arm)']);
  });

  it('starts no go in an untrusted workspace: the analyzers still report, the compiler does not', async () => {
    await start(false);
    const { uri } = await openFile('sysopen/sysopen.go');
    const diagnostics = await diagnosticsWhen(uri, 'the analyzer diagnostic', (d) => d.length > 0);
    assert.deepStrictEqual(diagnostics.map((d) => d.code), ['sysname']);
    const refused = await client.connection.sendRequest(CHECK_ALL_REQUEST, { folders: [moduleDir] });
    assert.deepStrictEqual(refused, { error: 'the build check runs only in a trusted workspace' });
    assert.deepStrictEqual(statuses, []);
  });
});
