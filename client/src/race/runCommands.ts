// "Run Package Tests with -race" and "Run Test with -race": pick the mode, preflight, then run go test -json -race
// with progress and cancel, streaming output to a channel and reports into the results.
import * as path from 'path';
import * as vscode from 'vscode';
import { goTestSelection } from '../../../core/src/gotest/testFunctions';
import { escapeName, escapeUnprintable } from '../../../core/src/model/extract';
import { isAppleSilicon, preflightRace, type PlatformProbe, type PreflightFailed, type PreflightProblem, type RaceMode } from '../../../core/src/race/preflight';
import { raceTestArgs, startRaceRun, type RaceRunResult } from '../../../core/src/race/runner';
import { RACE_VIEW_ID } from './treeView';
import type { RaceResults } from './results';
import { readRaceSettings } from './settings';
import { namedTest, testsInActiveEditor, type SingleTestTarget } from '../testTarget';

export const RUN_PACKAGE_COMMAND = 'goArchLens.race.runPackage';

export const UNTRUSTED_MESSAGE = 'Go Arch Lens does not run tests in an untrusted workspace: go test -race builds and runs '
  + 'the workspace\'s code. Trust the workspace (Manage Workspace Trust) to run race tests.';

/** What a run command resolves to: the run, the preflight problems that stopped it, or undefined when it was
 * refused or dismissed. */
export type RaceCommandResult = RaceRunResult | PreflightFailed | undefined;

interface RunSpec {
  /** The package folder go test runs in. */
  folder: string;
  /** Flags that select one test; none runs the whole package. */
  selection?: string[];
  /** What the progress notification and messages call the run. */
  title: string;
}

/** Opened once per window; runs one at a time, since two -race builds on a small machine crawl. */
export class RaceRunner {
  private running = false;

  constructor(
    private readonly results: RaceResults,
    private readonly output: vscode.OutputChannel,
    private readonly probe: PlatformProbe,
  ) {}

  /** The package of a folder or file URI, else of the active Go file, else a folder the user picks. */
  async runPackage(target?: vscode.Uri): Promise<RaceCommandResult> {
    const folder = target ? await folderOf(target) : await activeOrPickedFolder();
    if (!folder) return undefined;
    return this.run({ folder, title: `go test -race ${relativeName(folder)}` });
  }

  /** The named test of a _test.go file (CodeLens), else the test around the cursor. */
  async runTest(uri?: vscode.Uri, testName?: string): Promise<RaceCommandResult> {
    const found = uri && testName ? await namedTest(uri, testName) : testAtCursor();
    if (typeof found === 'string') {
      void vscode.window.showErrorMessage(found);
      return undefined;
    }
    return this.run({
      folder: found.packageDir, selection: goTestSelection(found.test), title: `go test -race ${found.test.name} in ${relativeName(found.packageDir)}`,
    });
  }

  private async run(spec: RunSpec): Promise<RaceCommandResult> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(UNTRUSTED_MESSAGE);
      return undefined;
    }
    if (this.running) {
      void vscode.window.showWarningMessage('A race run is already in progress; cancel it from its notification first.');
      return undefined;
    }
    this.running = true;
    try {
      return await this.runTrusted(spec);
    } finally {
      this.running = false;
    }
  }

  private async runTrusted(spec: RunSpec): Promise<RaceCommandResult> {
    const scope = vscode.Uri.file(spec.folder);
    const settings = readRaceSettings(scope);
    const mode = await this.chooseMode(settings.mode);
    if (!mode) return undefined;
    await saveDirtyGoFiles(spec.folder);

    this.output.show(true);
    this.logLine(`── ${spec.title} (${mode}) ──`);
    const preflight = await preflightRace(this.probe, { mode, goBinary: settings.goBinary, cwd: spec.folder });
    if (!preflight.ok) {
      this.reportProblems(preflight.problems);
      return preflight;
    }
    for (const note of preflight.notes) this.logLine(note);

    const request = {
      cwd: spec.folder, packages: ['.'], selection: spec.selection, flags: settings.flags, gorace: settings.gorace,
      goBinary: preflight.goBinary, env: preflight.env, timeoutMs: settings.timeoutMs,
    };
    const envText = Object.entries(preflight.env).map(([k, v]) => `${k}=${v} `).join('');
    this.logLine(`$ cd ${escapeName(spec.folder)} && ${envText}${settings.gorace ? `GORACE='${settings.gorace}' ` : ''}${preflight.goBinary} ${raceTestArgs(request).join(' ')}`);
    const run = startRaceRun(request, {
      onOutput: (text) => this.output.append(text),
      onReport: (report) => this.results.add(report),
    });
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: spec.title, cancellable: true },
      (_progress, token) => {
        const cancel = token.onCancellationRequested(() => run.cancel());
        return run.done.finally(() => cancel.dispose());
      },
    );
    this.results.flush();
    this.logLine(`── ${result.outcome} ──`);
    this.announce(spec, result, settings.timeoutMs);
    return result;
  }

  /**
   * A line of the channel's own (not go test's output, which streams as the test printed it). It carries folder
   * names and the go binary's path: their control characters are escaped, as the server's log does.
   */
  private logLine(text: string): void {
    this.output.appendLine(escapeUnprintable(text));
  }

  /** The setting, else native where there is nothing to choose, else the user's pick (undefined if dismissed). */
  private async chooseMode(setting: 'ask' | RaceMode): Promise<RaceMode | undefined> {
    if (setting !== 'ask') return setting;
    if (!(await isAppleSilicon(this.probe))) return 'native';
    const picked = await vscode.window.showQuickPick([
      { label: 'Native', description: 'darwin/arm64', mode: 'native' as const, detail: 'Also debuggable with Delve.' },
      { label: 'Rosetta', description: 'darwin/amd64 under Rosetta 2', mode: 'rosetta' as const, detail: 'The amd64 build, as on Intel Macs and amd64 CI.' },
    ], { title: 'Run the race detector', placeHolder: 'Which architecture? (goArchLens.race.mode skips this question)' });
    return picked?.mode;
  }

  private reportProblems(problems: PreflightProblem[]): void {
    const lines = problems.map((p) => (p.fix ? `${p.message} Fix: ${p.fix}` : p.message));
    for (const line of lines) this.logLine(`✗ ${line}`);
    void vscode.window.showErrorMessage(`Cannot run the race detector: ${lines.join(' — ')}`, 'Show Output').then((choice) => {
      if (choice) this.output.show();
    });
  }

  private announce(spec: RunSpec, result: RaceRunResult, timeoutMs: number | undefined): void {
    const races = new Set(result.reports.map((r) => r.key)).size;
    const found = `${races} data race(s) (${result.reports.length} report(s))`;
    const showRaces = (choice: string | undefined) => {
      if (choice === 'Show Data Races') void vscode.commands.executeCommand(`${RACE_VIEW_ID}.focus`);
      if (choice === 'Show Output') this.output.show();
    };
    if (result.cancelled || result.timedOut) {
      const why = result.cancelled ? 'was cancelled' : `timed out after ${(timeoutMs ?? 0) / 1000} s (goArchLens.race.timeout)`;
      void vscode.window.showWarningMessage(`${spec.title} ${why}; ${found} found before it stopped are kept.`, 'Show Data Races').then(showRaces);
    } else if (result.reports.length > 0) {
      void vscode.window.showWarningMessage(`${spec.title}: ${found}.`, 'Show Data Races', 'Show Output').then(showRaces);
    } else if (result.exitCode === 0) {
      void vscode.window.showInformationMessage(`${spec.title}: no data races.`);
    } else {
      const lost = result.summary.testsFailedByRace.length > 0 ? ' go test says a race happened, but its report was not in the output.' : '';
      void vscode.window.showErrorMessage(`${spec.title}: ${result.outcome}, no race reports.${lost}`, 'Show Output').then(showRaces);
    }
  }
}

function relativeName(folder: string): string {
  const relative = vscode.workspace.asRelativePath(folder, true);
  // The name titles the channel's lines and the notifications: one line, whatever the folder is called.
  return relative === '' ? '.' : escapeName(relative);
}

async function folderOf(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return stat.type & vscode.FileType.Directory ? uri.fsPath : path.dirname(uri.fsPath);
  } catch {
    void vscode.window.showErrorMessage(`${uri.fsPath} does not exist.`);
    return undefined;
  }
}

async function activeOrPickedFolder(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && active.languageId === 'go') return path.dirname(active.uri.fsPath);
  const picked = await vscode.window.showOpenDialog({
    title: 'Package to run with -race', canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri, openLabel: 'Run with -race',
  });
  return picked?.[0]?.fsPath;
}

/** go test reads the files on disk: unsaved edits in the package would silently not be tested. */
async function saveDirtyGoFiles(folder: string): Promise<void> {
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file'
    && path.dirname(d.uri.fsPath) === folder && (d.languageId === 'go' || path.basename(d.uri.fsPath) === 'go.mod'));
  await Promise.all(dirty.map((d) => d.save()));
}

/** The test under the cursor, or why there is none. */
function testAtCursor(): SingleTestTarget | string {
  const target = testsInActiveEditor();
  if (!target) return 'Run Test with -race needs the cursor inside a test function of a _test.go file.';
  if (!target.test) return 'The cursor is not inside a Test, Benchmark, Fuzz or Example function.';
  return { ...target, test: target.test };
}
