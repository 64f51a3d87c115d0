// This extension's own debug type: a DebugAdapterDescriptorFactory that starts `dlv dap` in the package
// directory and hands VS Code its loopback port, and a configuration provider that checks trust, architecture and
// dlv before a session starts. dlv ends with the session.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { OWN_DEBUG_TYPE, raceDebugConfiguration } from '../../../core/src/debug/launchConfig';
import { startDlvDap, type DlvDapServer } from '../../../core/src/debug/dlvServer';
import { escapeName } from '../../../core/src/model/extract';
import { findDlv, settleArchitecture, workspaceTrusted } from './guards';
import { testsInActiveEditor } from '../testTarget';

/** dlv resolves `program` against its working directory; a file stands for its folder. */
export function packageDirOf(program: string): string {
  try {
    return fs.statSync(program).isDirectory() ? program : path.dirname(program);
  } catch {
    return path.dirname(program);
  }
}

export class DlvConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** launch.json's first configuration when the user creates it for this type. */
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [raceDebugConfiguration({ type: OWN_DEBUG_TYPE, packageDir: '${fileDirname}' })];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    // F5 on a configuration without a package: the test under the cursor, else the active file's package.
    if (!config.program) {
      const target = testsInActiveEditor();
      if (!target) {
        void vscode.window.showErrorMessage('Open a Go test file to debug its tests with -race, or set "program" in launch.json.');
        return undefined;
      }
      const generated = raceDebugConfiguration({ type: OWN_DEBUG_TYPE, packageDir: target.packageDir, test: target.test ?? undefined });
      return { ...generated, ...config, type: OWN_DEBUG_TYPE, request: 'launch', name: config.name || generated.name, program: target.packageDir };
    }
    return config;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (!workspaceTrusted()) return undefined;
    const settled = await settleArchitecture(config);
    if (!settled) return undefined;
    // dlv starts in the package directory, so a relative program must be made absolute against the folder first.
    const program = folder && !path.isAbsolute(String(settled.program)) ? path.resolve(folder.uri.fsPath, String(settled.program)) : String(settled.program);
    const dlv = await findDlv(packageDirOf(program), settled.dlvPath);
    if (!dlv.found) return undefined;
    return { ...settled, program, dlvPath: dlv.path };
  }
}

export class DlvAdapterFactory implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  private readonly servers = new Map<string, DlvDapServer>();
  private readonly onTerminate: vscode.Disposable;

  constructor(private readonly log: vscode.OutputChannel) {
    this.onTerminate = vscode.debug.onDidTerminateDebugSession((session) => void this.stopServer(session.id));
  }

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const config = session.configuration;
    if (typeof config.dlvPath !== 'string' || typeof config.program !== 'string') {
      throw new Error('This debug configuration has no "program" or no dlv: start it from Run and Debug, or set goArchLens.dlvPath.');
    }
    const cwd = packageDirOf(config.program);
    // The package folder and the configuration's name come from the workspace: one line each in the log.
    this.log.appendLine(`starting ${escapeName(config.dlvPath)} dap in ${escapeName(cwd)}`);
    const server = await startDlvDap({ dlvPath: config.dlvPath, cwd });
    this.servers.set(session.id, server);
    server.process.once('exit', (code, signal) => {
      this.log.appendLine(`dlv for "${escapeName(session.name)}" exited (${signal ?? `code ${code}`})`);
      this.servers.delete(session.id);
    });
    return new vscode.DebugAdapterServer(server.port, server.host);
  }

  private async stopServer(sessionId: string): Promise<void> {
    const server = this.servers.get(sessionId);
    this.servers.delete(sessionId);
    await server?.stop();
  }

  dispose(): void {
    this.onTerminate.dispose();
    for (const id of [...this.servers.keys()]) void this.stopServer(id);
  }
}
