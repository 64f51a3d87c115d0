// The build check in VS Code: a status bar item with the compiler's verdict for the active file's package, a quick
// pick to change goArchLens.targets, and the Check All Targets command. The server does the checking.
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GC_ARCHES } from '../../../core/src/targets';
import {
  BUILD_STATUS_NOTIFICATION, CHECK_ALL_REQUEST, type BuildStatusParams, type CheckAllResult, type PackageState, type TargetState,
} from '../../../server/src/buildProtocol';

export const CHECK_ALL_COMMAND = 'goArchLens.checkAllTargets';
export const PICK_TARGETS_COMMAND = 'goArchLens.pickTargets';

/** What the integration tests read: the status bar item as shown, and the last verdicts. */
export interface BuildApi {
  readonly statusBar: vscode.StatusBarItem;
  packageState(dir: string): PackageState | undefined;
}

/** Targets offered in the quick pick besides the configured ones: every linux GOARCH and the common desktop pairs. */
const OFFERED_TARGETS = [
  ...GC_ARCHES.filter((a) => a !== 'wasm').map((a) => `linux/${a}`),
  'darwin/amd64', 'darwin/arm64', 'windows/amd64', 'windows/arm64', 'windows/386', 'freebsd/amd64', 'js/wasm', 'wasip1/wasm',
];

export class BuildStatus implements BuildApi {
  readonly statusBar = vscode.window.createStatusBarItem('goArchLens.build', vscode.StatusBarAlignment.Left, 10);
  private readonly states = new Map<string, PackageState>();
  private lastGoFile?: string;

  constructor() {
    this.statusBar.name = 'Go Arch Lens: build per target';
    this.statusBar.command = PICK_TARGETS_COMMAND;
  }

  packageState(dir: string): PackageState | undefined {
    return this.states.get(dir);
  }

  /** Listens to a (re)started client's verdicts. */
  attach(client: LanguageClient): vscode.Disposable {
    this.states.clear();
    this.update();
    return client.onNotification(BUILD_STATUS_NOTIFICATION, (params: BuildStatusParams) => {
      this.states.clear();
      for (const pkg of params.packages) this.states.set(pkg.dir, pkg);
      this.update();
    });
  }

  /** Shows the verdict of the active Go file's package, or hides the item. */
  update(): void {
    const file = this.activeGoFile();
    const state = file === undefined ? undefined : this.states.get(path.dirname(file));
    if (!state) {
      this.statusBar.hide();
      return;
    }
    this.statusBar.text = statusText(state);
    this.statusBar.tooltip = tooltip(state);
    this.statusBar.show();
  }

  /** The targets now used for the active package (the setting, a project file or the default). */
  activeTargets(): string[] | undefined {
    const file = this.activeGoFile();
    return file === undefined ? undefined : this.states.get(path.dirname(file))?.targets.map((t) => t.target);
  }

  /**
   * The Go file whose package the item describes: the active editor's, or, while the focus is outside the editors
   * (window.activeTextEditor is then the Output panel's document, or none while a webview has it), the last active
   * Go file that is still open in a tab. Keying on activeTextEditor alone hid the verdict that arrived while the
   * Output panel had the focus.
   */
  private activeGoFile(): string | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && doc.uri.scheme !== 'output') {
      this.lastGoFile = doc.languageId === 'go' && doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
      return this.lastGoFile;
    }
    const open = vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) =>
      tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'file' && tab.input.uri.fsPath === this.lastGoFile));
    return open ? this.lastGoFile : undefined;
  }

  dispose(): void {
    this.statusBar.dispose();
  }
}

/** `✓ 4/4 targets`, `✗ linux/arm64, linux/386`, or a spinner while the compiler runs. */
export function statusText(state: PackageState): string {
  const total = state.targets.length;
  if (state.running) return `$(sync~spin) ${total} target${total === 1 ? '' : 's'}`;
  const failed = state.targets.filter((t) => t.status === 'failed');
  if (failed.length > 0) return `✗ ${failed.map((t) => t.target).join(', ')}`;
  if (state.targets.some((t) => t.status === 'error')) return '$(warning) build check failed';
  const ok = state.targets.filter((t) => t.status === 'ok').length;
  return `✓ ${ok}/${total} targets`;
}

function tooltip(state: PackageState): vscode.MarkdownString {
  const lines = state.targets.map((t) => `- \`${t.target}\`: ${describe(t)}`);
  const md = new vscode.MarkdownString(
    `**Go Arch Lens: the compiler's verdict** for ${state.importPath ?? state.dir}\n\n${lines.join('\n')}\n\nClick to add or remove targets.`);
  return md;
}

function describe(t: TargetState): string {
  const cgo = t.cgoSkipped.length > 0 ? ` (cgo files skipped: ${t.cgoSkipped.map((f) => path.basename(f)).join(', ')})` : '';
  switch (t.status) {
    case 'ok': return `builds${cgo}`;
    case 'failed': return `${t.errors} error${t.errors === 1 ? '' : 's'}${cgo}`;
    case 'excluded': return `not built: build constraints exclude every file${cgo}`;
    case 'error': return `not checked: ${(t.problem ?? 'go failed').split('\n')[0]}`;
    case 'cancelled': return 'cancelled';
    case 'pending': return 'compiling…';
  }
}

/** Quick pick of targets; the picked ones are written to goArchLens.targets. */
async function pickTargets(status: BuildStatus): Promise<void> {
  const config = vscode.workspace.getConfiguration('goArchLens');
  const current = status.activeTargets() ?? config.get<string[]>('targets') ?? [];
  const items = [...new Set([...current, ...OFFERED_TARGETS])].map((label) => ({ label, picked: current.includes(label) }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true, title: 'Go Arch Lens: targets to lay out and compile for', placeHolder: 'GOOS/GOARCH',
  });
  if (!picked || picked.length === 0) return;
  const chosen = picked.map((p) => p.label);
  const ordered = [...current.filter((t) => chosen.includes(t)), ...chosen.filter((t) => !current.includes(t))];
  const scope = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('targets', ordered, scope);
}

async function checkAll(client: () => LanguageClient | undefined): Promise<CheckAllResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Go Arch Lens: Check All Targets starts go, which runs only in a trusted workspace.');
    return undefined;
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const running = client();
  if (!running || folders.length === 0) return undefined;
  const result = await running.sendRequest<CheckAllResult | { error: string } | null>(CHECK_ALL_REQUEST, { folders });
  if (!result || 'error' in result) {
    void vscode.window.showWarningMessage(`Go Arch Lens: ${result?.error ?? 'the check did not run'}`);
    return undefined;
  }
  const verdict = result.failing.length === 0
    ? `${result.packages} package${result.packages === 1 ? '' : 's'} build on every target`
    : `${result.packages} packages; failing: ${result.failing.map((f) => `${f.target} (${f.packages})`).join(', ')} — see Problems`;
  void vscode.window.showInformationMessage(`Go Arch Lens: ${result.cancelled ? 'cancelled; ' : ''}${verdict}`);
  return result;
}

export function registerBuildFeatures(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): BuildStatus {
  const status = new BuildStatus();
  context.subscriptions.push(
    status,
    vscode.window.onDidChangeActiveTextEditor(() => status.update()),
    // Closing the last Go file's tab while the focus is in a panel changes no active editor.
    vscode.window.tabGroups.onDidChangeTabs(() => status.update()),
    vscode.commands.registerCommand(PICK_TARGETS_COMMAND, () => pickTargets(status)),
    vscode.commands.registerCommand(CHECK_ALL_COMMAND, () => checkAll(client)),
  );
  return status;
}
