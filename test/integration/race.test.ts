// Race runs through the real editor: CodeLens, real `go test -race` runs on test/fixtures/workspace/racy started by
// the commands, the races they find (the extension's API, the Data Races view, the Problems panel), a stopped run's
// kept reports, and race-log files with clickable frames. Expected lines come from the fixture's `// race:` comments.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RaceApi } from '../../client/src/race';
import type { RaceNode } from '../../client/src/race/treeView';
import type { GoArchLensApi } from '../../client/src/extension';
import type { PreflightFailed } from '../../core/src/race/preflight';
import type { RaceRunResult } from '../../core/src/race/runner';
import type { RaceGroup, RaceReport } from '../../core/src/race/types';
import { EXTENSION_ID, waitFor, workspaceDir } from './fixture';

const racyDir = path.join(workspaceDir, 'racy');
const racyFile = path.join(racyDir, 'racy.go');
const racyTestFile = path.join(racyDir, 'racy_test.go');
const RACE_SOURCE = 'go-race';

/** 1-based line of the `// race: <marker>` comment in `file`. */
function markerLine(file: string, marker: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.endsWith(`// race: ${marker}`));
  if (index < 0) throw new Error(`no "// race: ${marker}" in ${file}`);
  return index + 1;
}

/** A race of the fixture: its two racing lines in racy.go and where the racing goroutine is started. */
interface ExpectedRace {
  test: string;
  lines: number[];
  created: { file: string; line: number };
}

const counterRace = (test: string, go: string): ExpectedRace => ({
  test,
  lines: [markerLine(racyFile, 'counter write'), markerLine(racyFile, 'counter read')].sort((a, b) => a - b),
  created: { file: racyTestFile, line: markerLine(racyTestFile, go) },
});
const hitsRace: ExpectedRace = {
  test: 'TestHitsRace',
  lines: [markerLine(racyFile, 'hits record'), markerLine(racyFile, 'hits reset')].sort((a, b) => a - b),
  created: { file: racyTestFile, line: markerLine(racyTestFile, 'hits go') },
};

/** The racy.go lines of a report's two accesses (their first own frames), ascending. */
function racingLines(report: RaceReport): number[] {
  return [report.access, report.previous].map((a) => {
    assert.ok(a?.top, `an access without an own frame in\n${report.raw}`);
    assert.strictEqual(a.top.file, racyFile);
    return a.top.line;
  }).sort((a, b) => a - b);
}

function groupOf(groups: RaceGroup[], expected: ExpectedRace): RaceGroup {
  const group = groups.find((g) => JSON.stringify(racingLines(g.report)) === JSON.stringify(expected.lines));
  assert.ok(group, `no race on racy.go lines ${expected.lines} among ${JSON.stringify(groups.map((g) => racingLines(g.report)))}`);
  return group;
}

function raceDiagnostics(file: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === RACE_SOURCE);
}

function sameLocation(location: vscode.Location, file: string, line: number): boolean {
  return location.uri.fsPath === file && location.range.start.line === line - 1;
}

/** The diagnostics on both racing lines of a race, each pointing at the other line and at the creation site. */
function assertDiagnostics(expected: ExpectedRace): void {
  const diagnostics = raceDiagnostics(racyFile);
  for (const [here, other] of [[expected.lines[0], expected.lines[1]], [expected.lines[1], expected.lines[0]]]) {
    const diagnostic = diagnostics.find((d) => d.range.start.line === here - 1);
    assert.ok(diagnostic, `no race diagnostic on racy.go:${here}; diagnostics on ${diagnostics.map((d) => d.range.start.line + 1)}`);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, new RegExp(`^Data race: .* conflicts with a (read|write) at racy\\.go:${other} by goroutine \\d+ in ${expected.test}`));
    const related = diagnostic.relatedInformation ?? [];
    assert.ok(related.some((r) => sameLocation(r.location, racyFile, other)), `racy.go:${here} is not related to racy.go:${other}`);
    assert.ok(related.some((r) => sameLocation(r.location, expected.created.file, expected.created.line) && /^goroutine \d+ created here$/.test(r.message)),
      `racy.go:${here} is not related to the go statement at line ${expected.created.line}: ${JSON.stringify(related.map((r) => [r.location.uri.fsPath, r.location.range.start.line + 1, r.message]))}`);
  }
}

async function raceApi(): Promise<RaceApi> {
  const extension = vscode.extensions.getExtension<GoArchLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(racyTestFile));
  const api = await extension.activate();
  return api.race;
}

async function setRaceSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('goArchLens.race').update(name, value, vscode.ConfigurationTarget.Global);
}

describe('race runs', function () {
  // The first -race build of the fixture compiles the race runtime's packages unless Go's build cache has them.
  this.timeout(240_000);
  let race: RaceApi;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-racelog-'));

  before(async () => {
    race = await raceApi();
    // Native without asking (the question only comes up on Apple Silicon anyway).
    await setRaceSetting('mode', 'native');
  });
  after(async () => {
    await setRaceSetting('mode', undefined);
    await setRaceSetting('timeout', undefined);
    await vscode.commands.executeCommand('goArchLens.race.clear');
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  it('puts run -race and debug -race above every test, benchmark, fuzz target and example', async () => {
    const uri = vscode.Uri.file(racyTestFile);
    const source = fs.readFileSync(racyTestFile, 'utf8').split('\n');
    const expected = source.flatMap((text, line) => {
      const name = /^func ((?:Test|Benchmark|Fuzz|Example)\w*)\(/.exec(text)?.[1];
      return name ? [{ line, name }] : [];
    });
    assert.deepStrictEqual(expected.map((e) => e.name),
      ['TestCounterRace', 'TestHitsRace', 'TestRaceThenHang', 'TestNoRace', 'BenchmarkCounter', 'FuzzCounter', 'ExampleCounter']);
    const lenses = await waitFor('the race CodeLenses', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri) ?? [];
      const ours = all.filter((l) => l.command?.command.startsWith('goArchLens.') ?? false);
      return ours.length > 0 ? ours : undefined;
    });
    const text = (args: unknown[] | undefined) => (args ?? []).map((a) => (a instanceof vscode.Uri ? a.toString() : a));
    const seen = lenses.map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command!.command, args: text(l.command!.arguments) }));
    const want = expected.flatMap(({ line, name }) => [
      { line, title: 'run -race', command: 'goArchLens.race.runTest', args: [uri.toString(), name] },
      { line, title: 'debug -race', command: 'goArchLens.debugTestWithRace', args: [uri.toString(), name] },
    ]);
    assert.strictEqual(JSON.stringify(seen), JSON.stringify(want));

    // The provider command needs the document loaded.
    const plainDoc = await vscode.workspace.openTextDocument(racyFile);
    const plain = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', plainDoc.uri) ?? [];
    assert.deepStrictEqual(plain.filter((l) => l.command?.command.startsWith('goArchLens.')), [], 'race lenses in a file that is not a _test.go file');
  });

  let packageRun: RaceRunResult | undefined;

  it('runs the package with -race and shows both races in the API, the Data Races view and the Problems panel', async () => {
    await vscode.commands.executeCommand('goArchLens.race.clear');
    packageRun = await vscode.commands.executeCommand<RaceRunResult>('goArchLens.race.runPackage', vscode.Uri.file(racyDir));
    assert.ok(packageRun, 'the command did not run (refused or preflight failed: see the Go Arch Lens: Race output)');
    assert.strictEqual(packageRun.exitCode, 1, packageRun.outcome);
    assert.strictEqual(packageRun.cancelled || packageRun.timedOut, false);
    assert.ok(packageRun.args.includes('-race') && packageRun.args.includes('-json'), JSON.stringify(packageRun.args));

    const groups = race.groups();
    assert.strictEqual(groups.length, 2, `races: ${JSON.stringify(groups.map((g) => racingLines(g.report)))}`);
    for (const expected of [counterRace('TestCounterRace', 'counter go'), hitsRace]) {
      const group = groupOf(groups, expected);
      assert.deepStrictEqual(group.tests, [expected.test]);
      assert.strictEqual(group.report.package, 'example.com/lensfixture/racy');
      assertDiagnostics(expected);
    }
    assert.strictEqual(raceDiagnostics(racyFile).length, 4, 'one diagnostic per racing line');

    // The view: race → access stacks → frames; the racing frame opens racy.go at its line.
    const itemOf = async (node: RaceNode) => (await race.tree.getTreeItem(node)) as vscode.TreeItem;
    const top = await race.tree.getChildren();
    assert.strictEqual(top?.length, 2);
    const stacks = (await race.tree.getChildren(top[0])) ?? [];
    const labels = await Promise.all(stacks.map(async (s) => String((await itemOf(s)).label)));
    assert.match(labels[0], /^(Read|Write) at 0x[0-9a-f]+ by goroutine \d+$/);
    assert.match(labels[1], /^Previous (read|write) at 0x[0-9a-f]+ by goroutine \d+$/);
    assert.ok(labels.slice(2).every((l) => /^Goroutine \d+ \((running|finished)\) created at$/.test(l)), JSON.stringify(labels));
    const frames = (await race.tree.getChildren(stacks[0])) ?? [];
    const firstFrame = await itemOf(frames[0]);
    const accessTop = groups[0].report.access!.top!;
    assert.strictEqual(firstFrame.description, `racy.go:${accessTop.line}`);
    assert.ok(firstFrame.command, 'a frame without a command');
    await vscode.commands.executeCommand(firstFrame.command.command, ...(firstFrame.command.arguments ?? []));
    const editor = await waitFor('racy.go to open at the frame', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.fsPath === racyFile ? active : undefined;
    });
    assert.strictEqual(editor.selection.active.line, accessTop.line - 1);
  });

  it('runs the test under the cursor, and the test a CodeLens names, with -race', async () => {
    await vscode.commands.executeCommand('goArchLens.race.clear');
    assert.deepStrictEqual(raceDiagnostics(racyFile), [], 'Clear left diagnostics behind');
    assert.strictEqual(race.groups().length, 0);

    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(racyTestFile));
    const inside = markerLine(racyTestFile, 'hits go') - 1;
    editor.selection = new vscode.Selection(inside, 1, inside, 1);
    const cursorRun = await vscode.commands.executeCommand<RaceRunResult>('goArchLens.race.runTest');
    assert.ok(cursorRun, 'the command did not run');
    assert.ok(cursorRun.args.join(' ').includes('-run ^TestHitsRace$'), JSON.stringify(cursorRun.args));
    assert.strictEqual(race.groups().length, 1);
    assert.deepStrictEqual(groupOf(race.groups(), hitsRace).tests, ['TestHitsRace']);
    assertDiagnostics(hitsRace);

    // The CodeLens's own command and arguments; its race adds a second group, the first stays (dedup across runs).
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri) ?? [];
    const lens = lenses.find((l) => l.command?.title === 'run -race' && l.command.arguments?.[1] === 'TestCounterRace');
    assert.ok(lens?.command, 'no run -race lens for TestCounterRace');
    const lensRun = await vscode.commands.executeCommand<RaceRunResult>(lens.command.command, ...lens.command.arguments!);
    assert.ok(lensRun?.args.join(' ').includes('-run ^TestCounterRace$'), JSON.stringify(lensRun?.args));
    assert.strictEqual(race.groups().length, 2);
    assertDiagnostics(counterRace('TestCounterRace', 'counter go'));
  });

  it('refuses to run when preflight finds a problem, and says why', async () => {
    const missing = path.join(logDir, 'no-such-go');
    await setRaceSetting('goBinary', missing);
    try {
      const refused = await vscode.commands.executeCommand<PreflightFailed>('goArchLens.race.runPackage', vscode.Uri.file(racyDir));
      assert.strictEqual(refused?.ok, false, JSON.stringify(refused));
      assert.deepStrictEqual(refused.problems.map((p) => p.message), [`The Go binary ${missing} does not exist.`]);
    } finally {
      await setRaceSetting('goBinary', undefined);
    }
  });

  it('keeps the reports of a run stopped by its timeout', async () => {
    await vscode.commands.executeCommand('goArchLens.race.clear');
    // TestRaceThenHang races, then sleeps; the build is cached by now, so 15 s leave time for the race to print.
    await setRaceSetting('timeout', 15);
    const started = Date.now();
    const run = await vscode.commands.executeCommand<RaceRunResult>('goArchLens.race.runTest', vscode.Uri.file(racyTestFile), 'TestRaceThenHang');
    assert.ok(run, 'the command did not run');
    assert.strictEqual(run.timedOut, true, run.outcome);
    assert.ok(Date.now() - started < 60_000, 'the killed run took a minute to end');
    const expected = counterRace('TestRaceThenHang', 'hang go');
    assert.deepStrictEqual(groupOf(race.groups(), expected).tests, ['TestRaceThenHang']);
    assertDiagnostics(expected);
  });

  it('opens race logs in the go-race-log language with frames linked to file and line, and shows their races', async () => {
    assert.ok(packageRun, 'needs the package run of an earlier test');
    const log = packageRun.reports.map((r) => r.raw).join('\n');
    const writeLine = markerLine(racyFile, 'counter write');
    for (const name of ['package.racelog', 'package.race.log']) {
      const file = path.join(logDir, name);
      fs.writeFileSync(file, log);
      const doc = await vscode.workspace.openTextDocument(file);
      assert.strictEqual(doc.languageId, 'go-race-log', name);
      await vscode.window.showTextDocument(doc);
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri) ?? [];
      const frameLines = doc.getText().split('\n').filter((l) => /^\s+\/.*\.go:\d+/.test(l)).length;
      assert.strictEqual(links.length, frameLines, 'one link per frame line');
      const line = doc.getText().split('\n').findIndex((l) => l.includes(`${racyFile}:${writeLine} `));
      assert.ok(line >= 0, `the log has no frame ${racyFile}:${writeLine}`);
      const link = links.find((l) => l.range.start.line === line);
      assert.ok(link?.target, `no link on line ${line + 1}`);
      assert.strictEqual(link.target.fsPath, racyFile);
      assert.strictEqual(link.target.fragment, `L${writeLine}`);
      assert.strictEqual(doc.getText(link.range), `${racyFile}:${writeLine}`);
    }

    await vscode.commands.executeCommand('goArchLens.race.clear');
    await vscode.commands.executeCommand('goArchLens.race.showLog');
    assert.strictEqual(race.groups().length, 2);
    assertDiagnostics(hitsRace);
    assertDiagnostics(counterRace('TestCounterRace', 'counter go'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
