import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection, DidChangeConfigurationNotification, DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification,
  ExitNotification, FileChangeType, HoverRequest, InitializedNotification, InitializeRequest, InlayHintRequest,
  IPCMessageReader, IPCMessageWriter, LogMessageNotification, RegistrationRequest, ShowMessageNotification,
  ShutdownRequest, WorkDoneProgressCreateRequest, StreamMessageReader, StreamMessageWriter, ConfigurationRequest, InlayHintRefreshRequest,
  type Hover, type InitializeResult, type InlayHint, type LogMessageParams, type ProtocolConnection, type Range,
  type Registration, type ShowMessageParams, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

/** The repository root, found from the compiled test's folder (out/test/lsp). */
export const REPO_ROOT = findRepoRoot(__dirname);

export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    // out/ holds a compiled copy of package.json and the sources, but never the build script.
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'scripts', 'build.mjs'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}

export type Transport = 'ipc' | 'stdio';

export interface StartOptions {
  transport?: Transport;
  /** The `goArchLens` section answered to workspace/configuration; the test may change it later. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Another copy of the server bundle, e.g. one without its WASM files beside it. */
  serverPath?: string;
  /** The server's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Answer workspace/configuration this late, as VS Code may while the window starts. */
  configurationDelayMs?: number;
}

/**
 * A real LSP client for the bundled server, speaking JSON-RPC over node IPC (as VS Code does) or stdio. It
 * answers the server's requests the way VS Code would and records what the server shows and asks.
 */
export class LspTestClient {
  settings: Record<string, unknown>;
  readonly shownMessages: ShowMessageParams[] = [];
  readonly logMessages: LogMessageParams[] = [];
  readonly registrations: Registration[] = [];
  refreshRequests = 0;
  stderr = '';
  private readonly versions = new Map<string, number>();

  private constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection, settings: Record<string, unknown>) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const serverPath = options.serverPath ?? SERVER_BUNDLE;
    if (!fs.existsSync(serverPath)) throw new Error(`${serverPath} is missing: run \`node scripts/build.mjs\` first`);
    const transport = options.transport ?? 'ipc';
    const child = fork(serverPath, [transport === 'ipc' ? '--node-ipc' : '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'], env: options.env ?? process.env,
    });
    const connection = transport === 'ipc'
      ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
      : createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection, options.settings ?? {});
    child.stderr!.on('data', (chunk: Buffer) => { client.stderr += chunk.toString(); });
    client.answerServerRequests(options.configurationDelayMs ?? 0);
    connection.listen();
    await client.initialize(options.initializationOptions ?? {});
    return client;
  }

  private answerServerRequests(configurationDelayMs: number): void {
    const c = this.connection;
    c.onRequest(ConfigurationRequest.type, async (params) => {
      if (configurationDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, configurationDelayMs));
      return params.items.map((item) => (item.section === 'goArchLens' ? this.settings : null));
    });
    c.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
    c.onRequest(InlayHintRefreshRequest.type, () => {
      this.refreshRequests++;
    });
    // VS Code shows the progress the server reports; the tests read the $/progress notifications.
    c.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    c.onNotification(ShowMessageNotification.type, (params) => this.shownMessages.push(params));
    c.onNotification(LogMessageNotification.type, (params) => this.logMessages.push(params));
  }

  private async initialize(initializationOptions: Record<string, unknown>): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: false },
          didChangeWatchedFiles: { dynamicRegistration: true },
          inlayHint: { refreshSupport: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          inlayHint: { dynamicRegistration: false },
        },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(file: string, text: string): Promise<string> {
    const uri = pathToFileURL(file).href;
    await this.openUri(uri, text);
    return uri;
  }

  async openUri(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'go', version: 1, text },
    });
  }

  async change(uri: string, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    // VS Code's client sends the section too; this server pulls it with workspace/configuration.
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { goArchLens: settings } });
  }

  async fileChangedOnDisk(file: string): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(file).href, type: FileChangeType.Changed }],
    });
  }

  inlayHints(uri: string, range: Range = WHOLE_FILE): Promise<InlayHint[] | null> {
    return this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  /**
   * Polls `condition` until it holds; the server's refreshes and messages arrive asynchronously, as late as the
   * machine's load makes them. Without `timeoutMs` the test's own (mocha) timeout bounds the wait; a server that
   * exits ends it at once.
   */
  async waitFor(what: string, condition: () => boolean, timeoutMs = Infinity): Promise<void> {
    await this.poll(what, async () => condition(), (holds) => holds, timeoutMs);
  }

  /** Asks `probe` again every 20 ms until `accept` takes its answer, which it returns; bounded as `waitFor`. */
  async poll<T>(what: string, probe: () => Promise<T>, accept: (answer: T) => boolean, timeoutMs = Infinity): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await probe();
      if (accept(answer)) return answer;
      if (!this.alive) throw new Error(`the server exited while waiting for ${what}; server stderr: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(answer)}); server stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
      await exited;
    }
    this.connection.dispose();
  }
}

/**
 * For a describe block: starts the bundled server for the running test and stops every server it started after
 * that test, whether the test passed or failed.
 */
export function serverPerTest(): (options?: StartOptions) => Promise<LspTestClient> {
  const running: LspTestClient[] = [];
  afterEach(async () => {
    for (const client of running.splice(0)) await client.stop();
  });
  return async (options) => {
    const client = await LspTestClient.start(options);
    running.push(client);
    return client;
  };
}

export const WHOLE_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } };

/** The text of an inlay hint's label, whether it came as a string or as parts. */
export function labelOf(hint: InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
}

export function tooltipOf(hint: InlayHint): string {
  const tooltip = hint.tooltip;
  return tooltip === undefined ? '' : typeof tooltip === 'string' ? tooltip : tooltip.value;
}

export function hoverText(hover: Hover | null): string {
  if (!hover) return '';
  const contents = hover.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value;
}
