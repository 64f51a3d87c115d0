import { execFile } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerRaceFeatures, type RaceApi } from './race';
import { registerDebugFeatures } from './debug';
import { LayoutViewController, SHOW_MEMORY_LAYOUT_COMMAND, type LayoutViewApi } from './layoutView/panel';
import { registerBuildFeatures, type BuildApi } from './build';

/** What activate() returns, for the integration tests: the running client, replaced if trust is granted later. */
export interface GoArchLensApi {
  readonly client: LanguageClient;
  /** Race runs: the races found so far and the Data Races view's data. */
  readonly race: RaceApi;
  /** The Memory Layout view: its model and what its webview rendered. */
  readonly layoutView: LayoutViewApi;
  /** The build check's status bar item and verdicts. */
  readonly build: BuildApi;
}

interface ToolchainFolders {
  goroot?: string;
  gomodcache?: string;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<GoArchLensApi> {
  // One channel for the server's log, kept across restarts of the client.
  const output = vscode.window.createOutputChannel('Go Arch Lens');
  context.subscriptions.push(output, vscode.commands.registerCommand('goArchLens.showOutput', () => output.show()));
  // Before the server starts: race runs and logs do not need it.
  const race = registerRaceFeatures(context);
  registerDebugFeatures(context, output);
  const layoutView = new LayoutViewController(context, () => client);
  layoutView.register();
  const build = registerBuildFeatures(context, () => client);
  client = await startClient(context, output);
  let listening = build.attach(client);
  // Trust granted later unlocks GOROOT sources and the build check; the server reads trust only at start, so start it again.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(async () => {
    listening.dispose();
    await client?.stop();
    client = await startClient(context, output);
    listening = build.attach(client);
  }), { dispose: () => listening.dispose() });
  return { get client() { return client!; }, race, layoutView, build };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

async function startClient(context: vscode.ExtensionContext, outputChannel: vscode.OutputChannel): Promise<LanguageClient> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const trusted = vscode.workspace.isTrusted;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'go' }, { scheme: 'untitled', language: 'go' }],
    synchronize: { configurationSection: 'goArchLens' },
    initializationOptions: { ...(trusted ? await toolchainFolders() : {}), trusted },
    outputChannel,
    // Hovers link to the Memory Layout view; no other command may run from the server's markdown.
    markdown: { isTrusted: { enabledCommands: [SHOW_MEMORY_LAYOUT_COMMAND] } },
  };
  const started = new LanguageClient('goArchLens', 'Go Arch Lens', serverOptions, clientOptions);
  await started.start();
  return started;
}

/**
 * GOROOT and GOMODCACHE of the `go` on PATH, run without a shell. Only called in a trusted workspace, since a
 * workspace can put its own `go` first on PATH. Without a working go the server uses its built-in std table.
 */
function toolchainFolders(): Promise<ToolchainFolders> {
  return new Promise((resolve) => {
    execFile('go', ['env', '-json', 'GOROOT', 'GOMODCACHE'], { timeout: 15000 }, (err, stdout) => {
      if (err) {
        resolve({});
        return;
      }
      try {
        const env = JSON.parse(stdout) as { GOROOT?: string; GOMODCACHE?: string };
        resolve({ goroot: env.GOROOT || undefined, gomodcache: env.GOMODCACHE || undefined });
      } catch {
        resolve({});
      }
    });
  });
}
