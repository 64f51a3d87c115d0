// Checks every race debug session passes before anything runs: workspace trust, a debuggable architecture
// (Rosetta), and a dlv to start. Each explains in a message why a session does not start.
import * as vscode from 'vscode';
import { decideDebugArch } from '../../../core/src/debug/rosetta';
import { locateDlv, readGoInstallDirs, type DlvLocation } from '../../../core/src/debug/dlvLocator';
import { isAppleSilicon, realPlatformProbe } from '../../../core/src/race/preflight';

export const UNTRUSTED_MESSAGE =
  'Go Arch Lens does not debug in an untrusted workspace: debugging builds and runs the workspace\'s code with go and dlv. ' +
  'Trust the workspace to debug tests with -race.';
export const DEBUG_NATIVELY = 'Debug natively';

export function workspaceTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
  return false;
}

/**
 * Returns the configuration to run (its env made native when the user agrees), or undefined when the session must
 * not start. Delve cannot debug amd64 code under Rosetta, so a modal offers the native session instead.
 */
export async function settleArchitecture<C extends vscode.DebugConfiguration>(config: C): Promise<C | undefined> {
  const raceMode = vscode.workspace.getConfiguration('goArchLens').get<string>('race.mode', 'ask');
  const env = (config.env ?? {}) as Record<string, string | null | undefined>;
  const appleSilicon = process.platform === 'darwin' && (await isAppleSilicon(realPlatformProbe()));
  const decision = decideDebugArch({ platform: process.platform, arch: process.arch, appleSilicon }, raceMode, env);
  if (decision.kind === 'native') return config;
  const choice = await vscode.window.showWarningMessage(decision.message, { modal: true }, DEBUG_NATIVELY);
  if (choice !== DEBUG_NATIVELY) return undefined;
  return { ...config, env: decision.nativeEnv };
}

const COPY_COMMAND = 'Copy Install Command';
const INSTALL_IN_TERMINAL = 'Install in Terminal';

/**
 * dlv as the launch configuration's dlvPath, the setting, PATH, GOPATH/bin and GOBIN give it; offers to install it
 * when missing.
 */
export async function findDlv(cwd: string | undefined, fromConfiguration?: unknown): Promise<DlvLocation> {
  const configuredPath = typeof fromConfiguration === 'string' && fromConfiguration
    ? fromConfiguration
    : vscode.workspace.getConfiguration('goArchLens').get<string>('dlvPath', '');
  const location = locateDlv({ configuredPath, env: process.env, goDirs: await readGoInstallDirs(process.env, cwd) });
  if (!location.found) void offerInstall(location.message, location.installCommand);
  return location;
}

async function offerInstall(message: string, installCommand: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, COPY_COMMAND, INSTALL_IN_TERMINAL);
  if (choice === COPY_COMMAND) {
    await vscode.env.clipboard.writeText(installCommand);
  } else if (choice === INSTALL_IN_TERMINAL) {
    // The user's own terminal and shell run it, visibly, after they asked for it.
    const terminal = vscode.window.createTerminal('Install Delve');
    terminal.show();
    terminal.sendText(installCommand);
  }
}
