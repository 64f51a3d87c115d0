import * as path from 'path';
import {
  CodeActionKind, DidChangeWatchedFilesNotification, MessageType, ShowMessageNotification, TextDocumentSyncKind,
  type CodeAction, type CodeActionParams, type Connection, type DidChangeConfigurationParams,
  type DidChangeTextDocumentParams, type DidChangeWatchedFilesParams, type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams, type Hover, type HoverParams, type InitializeParams, type InitializeResult,
  type CancellationToken, type InlayHint, type InlayHintParams, type DidSaveTextDocumentParams,
} from 'vscode-languageserver/node';
import { BuildChecks, type ProgressReporter } from './buildDiagnostics';
import { BUILD_STATUS_NOTIFICATION, CHECK_ALL_REQUEST, type CheckAllResult } from './buildProtocol';
import type { LayoutEngine, Range, StructInfo, Target } from '../../core/src/api';
import { escapeName } from '../../core/src/model/extract';
import { PROJECT_FILE, resolveTargets } from '../../core/src/projectTargets';
import { codeActionsFor } from './codeActions';
import { AnalyzerDiagnostics } from './diagnostics';
import { fileOfUri, OpenDocuments } from './documents';
import { createEngine, parseInitOptions, ToolTagFeed } from './engineSetup';
import { ForegroundRequests, guarded, unlessCancelled } from './guard';
import { hoverAt } from './hover';
import { inlayHintsFor } from './inlayHints';
import { LineBreaks } from './lineBreaks';
import { serverLog, type ServerLog } from './log';
import { memoryLayoutAt } from './memoryLayout';
import { MEMORY_LAYOUT_METHOD, type MemoryLayoutModel, type MemoryLayoutParams } from './layoutViewProtocol';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings';
import { StructIndex } from './structIndex';

/** Edits come in bursts while typing; other editors' hints are refreshed once the burst is over. */
const REFRESH_DELAY_MS = 200;

const WATCHED_GLOBS = ['**/*.go', '**/go.mod', `**/${PROJECT_FILE}`];

interface ClientAbilities {
  pullsConfiguration: boolean;
  refreshesHints: boolean;
  registersWatchers: boolean;
  /** Takes versioned `documentChanges` in workspace edits. */
  documentChanges: boolean;
}

/**
 * Connects the layout engine to one LSP client: document sync, settings, inlay hints, hover, and the analyzers'
 * findings as diagnostics with code actions.
 */
export class LayoutServer {
  private engine?: LayoutEngine;
  /** Asks go for each target's build tags in a trusted workspace; the engine uses its table meanwhile. */
  private toolTags?: ToolTagFeed;
  private index?: StructIndex;
  private diagnostics?: AnalyzerDiagnostics;
  /** The compiler's verdict per target; only in a trusted workspace, since it starts go. */
  private builds?: BuildChecks;
  private settings: Settings = DEFAULT_SETTINGS;
  /** Settle before hints are computed, so the first hints already use the user's targets. */
  private settingsLoaded: Promise<void> = Promise.resolve();
  private readonly documents = new OpenDocuments();
  /** Invalid target entries already shown to the user; each is reported once per session. */
  private readonly reportedProblems = new Set<string>();
  /** Skipped files (with their reason) already logged; each is logged once per session, not per keystroke. */
  private readonly reportedSkips = new Set<string>();
  private abilities: ClientAbilities = {
    pullsConfiguration: false, refreshesHints: false, registersWatchers: false, documentChanges: false,
  };
  private refreshTimer?: NodeJS.Timeout;
  private readonly foreground = new ForegroundRequests();

  private readonly log: ServerLog;

  constructor(private readonly connection: Connection, private readonly wasmDir: string) {
    this.log = serverLog(connection.console);
  }

  listen(): void {
    const c = this.connection;
    const logError = this.log.error;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(guarded('initialized', undefined, logError, () => this.initialized()));
    c.onDidOpenTextDocument(guarded('didOpen', undefined, logError, (p: DidOpenTextDocumentParams) => this.didOpen(p)));
    c.onDidChangeTextDocument(guarded('didChange', undefined, logError, (p: DidChangeTextDocumentParams) => this.didChange(p)));
    c.onDidCloseTextDocument(guarded('didClose', undefined, logError, (p: DidCloseTextDocumentParams) => this.didClose(p)));
    c.onDidChangeWatchedFiles(guarded('didChangeWatchedFiles', undefined, logError, (p: DidChangeWatchedFilesParams) => this.filesChanged(p)));
    c.onDidChangeConfiguration(guarded('didChangeConfiguration', undefined, logError, (p: DidChangeConfigurationParams) => this.configurationChanged(p)));
    c.languages.inlayHint.on(guarded('inlayHint', null, logError, (p: InlayHintParams, token) => this.foreground.run(() => this.inlayHints(p, token))));
    c.onHover(guarded('hover', null, logError, (p: HoverParams, token) => this.foreground.run(() => this.hover(p, token))));
    c.onCodeAction(guarded('codeAction', null, logError, (p: CodeActionParams) => this.codeActions(p)));
    c.onRequest(MEMORY_LAYOUT_METHOD, guarded('memoryLayout', null, logError, (p: MemoryLayoutParams) => this.memoryLayout(p)));
    c.onDidSaveTextDocument(guarded('didSave', undefined, logError, (p: DidSaveTextDocumentParams) => this.didSave(p)));
    c.onRequest(CHECK_ALL_REQUEST, guarded('checkAllTargets', null, logError, (p: { folders?: unknown }) => this.checkAll(p)));
    // Build checks in flight are killed before shutdown answers; exit and a closed connection end the process, whose
    // exit hook (core/src/build/goList.ts) kills any left.
    c.onShutdown(() => this.builds?.dispose());
    c.listen();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    const workspace = params.capabilities.workspace;
    this.abilities = {
      pullsConfiguration: workspace?.configuration === true,
      refreshesHints: workspace?.inlayHint?.refreshSupport === true,
      registersWatchers: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      documentChanges: workspace?.workspaceEdit?.documentChanges === true,
    };
    try {
      const { engine, description, mayRunGo } = await createEngine(params.initializationOptions, this.wasmDir);
      this.engine = engine;
      this.toolTags = new ToolTagFeed(engine, mayRunGo, () => {
        this.sourcesChanged(0);
        this.diagnostics?.sourcesChanged();
      },
        this.log.warn, () => this.foreground.idle());
      this.index = new StructIndex(engine, (file) => this.targetsFor(file));
      this.diagnostics = new AnalyzerDiagnostics(engine, {
        documents: this.documents,
        settings: () => this.settings,
        targetsFor: (file) => this.targetsFor(file),
        settingsLoaded: () => this.settingsLoaded,
        idle: () => this.foreground.idle(),
        publish: (params) => {
          this.connection.sendDiagnostics(params)
            .catch((err: Error) => this.log.error(`cannot publish diagnostics: ${err.message}`));
        },
        log: this.log.error,
        buildFindings: (file) => this.builds?.findingsFor(file) ?? [],
      });
      if (parseInitOptions(params.initializationOptions).trusted) this.builds = this.createBuildChecks(params);
      this.log.info(`Go Arch Lens layout engine ready: ${description}`);
    } catch (err) {
      const message = `Go Arch Lens could not start its layout engine: ${(err as Error).message}`;
      this.log.error(message);
      // Node's module errors append a require stack; the first line says what is missing.
      this.show(MessageType.Error, message.split('\n')[0]);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
      serverInfo: { name: 'go-arch-lens' },
    };
  }

  private initialized(): void {
    if (this.abilities.registersWatchers) {
      const watchers = WATCHED_GLOBS.map((globPattern) => ({ globPattern }));
      this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers })
        .catch((err: Error) => this.log.error(`cannot watch Go files: ${err.message}`));
    }
    this.settingsLoaded = this.reloadSettings(undefined);
  }

  private configurationChanged(params: DidChangeConfigurationParams): void {
    const pushed = (params.settings as { goArchLens?: unknown } | null)?.goArchLens;
    this.settingsLoaded = this.reloadSettings(pushed).then(() => {
      this.scheduleRefresh();
      this.diagnostics?.sourcesChanged();
      this.builds?.settingsChanged();
    });
  }

  private createBuildChecks(params: InitializeParams): BuildChecks {
    const reportsProgress = params.capabilities.window?.workDoneProgress === true;
    const shownProblems = new Set<string>();
    return new BuildChecks('go', {
      settings: () => this.settings,
      settingsLoaded: () => this.settingsLoaded,
      idle: () => this.foreground.idle(),
      targetsFor: (file) => this.targetsFor(file),
      openText: (file) => {
        const uri = this.diagnostics?.editTarget(file).uri;
        return uri ? this.documents.get(uri)?.getText() : undefined;
      },
      findingsChanged: (files) => this.diagnostics?.buildFindingsChanged(files),
      status: (status) => void this.connection.sendNotification(BUILD_STATUS_NOTIFICATION, status),
      progress: (title) => this.progress(reportsProgress, title),
      showProblem: (message) => {
        this.log.error(message);
        if (shownProblems.has(message)) return;
        shownProblems.add(message);
        this.show(MessageType.Warning, message);
      },
      log: this.log.info,
    });
  }

  /** A progress indicator in the client (window/workDoneProgress), or nothing when the client shows none. */
  private async progress(supported: boolean, title: string): Promise<ProgressReporter> {
    const none: ProgressReporter = { report: () => undefined, done: () => undefined };
    if (!supported) return none;
    try {
      const reporter = await this.connection.window.createWorkDoneProgress();
      reporter.begin(title, 0, undefined, false);
      return { report: (percentage, message) => reporter.report(percentage, message), done: () => reporter.done() };
    } catch {
      return none;
    }
  }

  private didSave({ textDocument }: DidSaveTextDocumentParams): void {
    if (textDocument.uri.startsWith('file:')) this.builds?.saved(fileOfUri(textDocument.uri)!);
  }

  private async checkAll({ folders }: { folders?: unknown }): Promise<CheckAllResult | { error: string }> {
    if (!this.builds) return { error: 'the build check runs only in a trusted workspace' };
    const paths = Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string') : [];
    return this.builds.checkAll(paths);
  }

  /** Pulls the settings when the client supports it, else uses what it pushed; never rejects. */
  private async reloadSettings(pushed: unknown): Promise<void> {
    try {
      const raw = this.abilities.pullsConfiguration ? await this.connection.workspace.getConfiguration('goArchLens') : pushed;
      const { settings, problems, otherProblems } = parseSettings(raw);
      this.reportNewProblems(problems, otherProblems);
      this.settings = settings;
      this.toolTags?.useSettings(settings.toolchainEnv);
      this.index?.forget();
    } catch (err) {
      this.log.error(`cannot read goArchLens settings: ${(err as Error).message}`);
    }
  }

  /**
   * The targets of a file: the user's setting when set, else the nearest project `.go-arch-lens.json`, else the
   * default. A project file's problems are shown once each.
   */
  private targetsFor(file: string): Target[] {
    const resolved = resolveTargets(file, this.settings.targetsFromUser ? this.settings.targets : undefined);
    if (resolved.problems.length > 0) this.reportNewProblems([], resolved.problems);
    this.toolTags?.ensure(resolved.targets);
    return resolved.targets;
  }

  private reportNewProblems(targetProblems: string[], otherProblems: string[]): void {
    const fresh = (problems: string[]) => {
      const unseen = problems.filter((p) => !this.reportedProblems.has(p));
      unseen.forEach((p) => this.reportedProblems.add(p));
      return unseen;
    };
    const targets = fresh(targetProblems);
    if (targets.length > 0) this.show(MessageType.Warning, `Go Arch Lens ignores these goArchLens.targets entries: ${targets.join('; ')}`);
    for (const problem of fresh(otherProblems)) this.show(MessageType.Warning, `Go Arch Lens: ${problem}`);
  }

  /** A plain window/showMessage notification: nothing to answer, so nothing waits on the user. */
  private show(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  private didOpen({ textDocument }: DidOpenTextDocumentParams): void {
    this.documents.open(textDocument.uri, textDocument.version, textDocument.text);
    const file = fileOfUri(textDocument.uri);
    if (!file || !this.engine) return;
    this.engine.openFile(file, textDocument.text);
    this.sourcesChanged(1);
    this.diagnostics?.opened(textDocument.uri);
    if (textDocument.uri.startsWith('file:')) this.builds?.opened(file);
  }

  private didChange({ textDocument, contentChanges }: DidChangeTextDocumentParams): void {
    const edits = this.documents.change(textDocument.uri, textDocument.version, contentChanges);
    const file = fileOfUri(textDocument.uri);
    if (!file || !this.engine) return;
    try {
      this.engine.editFile(file, edits);
    } catch (err) {
      // The engine's copy may now differ from the editor's; hand it the whole text again.
      this.log.error(`incremental edit of ${escapeName(file)} failed, reopening it: ${(err as Error).message}`);
      this.engine.openFile(file, this.documents.get(textDocument.uri)!.getText());
    }
    this.sourcesChanged(1);
    this.diagnostics?.sourcesChanged();
  }

  private didClose({ textDocument }: DidCloseTextDocumentParams): void {
    this.documents.close(textDocument.uri);
    const file = fileOfUri(textDocument.uri);
    if (!file || !this.engine) return;
    this.engine.closeFile(file);
    this.sourcesChanged(0);
    this.diagnostics?.closed(textDocument.uri);
  }

  private filesChanged({ changes }: DidChangeWatchedFilesParams): void {
    let buildSetupChanged = false;
    for (const change of changes) {
      const file = fileOfUri(change.uri);
      if (file) this.engine?.invalidate(file);
      // A project's targets or its module requirements changed: the packages checked need checking again.
      if (file && (path.basename(file) === PROJECT_FILE || path.basename(file) === 'go.mod')) buildSetupChanged = true;
    }
    this.sourcesChanged(0);
    this.diagnostics?.sourcesChanged();
    if (buildSetupChanged) this.builds?.settingsChanged();
  }

  /**
   * Layouts anywhere may depend on the changed source, so everything computed is forgotten and the hints of the
   * open documents refreshed — except the `selfRequesting` document(s) the client re-queries on its own.
   */
  private sourcesChanged(selfRequesting: number): void {
    this.index?.forget();
    if (this.documents.count > selfRequesting) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (!this.abilities.refreshesHints) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.connection.languages.inlayHint.refresh()
        .catch((err: Error) => this.log.error(`inlay hint refresh failed: ${err.message}`));
    }, REFRESH_DELAY_MS);
  }

  private async inlayHints({ textDocument, range }: InlayHintParams, token?: CancellationToken): Promise<InlayHint[] | null> {
    await this.settingsLoaded;
    await unlessCancelled(token);
    const doc = this.documents.get(textDocument.uri);
    const file = fileOfUri(textDocument.uri);
    if (!doc || !file || !this.index) return null;
    const hints = inlayHintsFor(this.structsIn(textDocument.uri, file, range), doc, range, this.settings, this.targetsFor(file));
    this.logNewSkips();
    return hints;
  }

  /**
   * The structs of a document on the lines of `range`, both in the editor's lines: they differ from the engine's
   * (Go's) in a document with lone CRs.
   */
  private structsIn(uri: string, file: string, range: Range): StructInfo[] {
    const doc = this.documents.get(uri);
    const breaks = doc && LineBreaks.of(doc);
    if (!this.index) return [];
    if (!breaks) return this.index.structsIn(file, range);
    return this.index.structsIn(file, breaks.rangeToEngine(range)).map((s) => breaks.structToEditor(s));
  }

  /** Logs each file the engine has skipped (a FIFO, a link to a device, too large…) once, with the reason. */
  private logNewSkips(): void {
    for (const skipped of this.engine?.skippedFiles() ?? []) {
      const key = `${skipped.file}\0${skipped.message}`;
      if (this.reportedSkips.has(key)) continue;
      this.reportedSkips.add(key);
      this.log.warn(`${escapeName(skipped.file)}: ${escapeName(skipped.message)}`);
    }
  }

  private async hover({ textDocument, position }: HoverParams, token?: CancellationToken): Promise<Hover | null> {
    await this.settingsLoaded;
    await unlessCancelled(token);
    const file = fileOfUri(textDocument.uri);
    if (!file || !this.index) return null;
    const engine = this.engine;
    const hover = hoverAt(textDocument.uri, this.structsIn(textDocument.uri, file, { start: position, end: position }), position, this.targetsFor(file),
      engine && ((target) => engine.toolTags(target)));
    this.logNewSkips();
    return hover;
  }

  /** The Memory Layout view's model of the struct around a position (a custom request). */
  private async memoryLayout({ textDocument, position }: MemoryLayoutParams): Promise<MemoryLayoutModel | null> {
    await this.settingsLoaded;
    const doc = this.documents.get(textDocument.uri);
    const file = fileOfUri(textDocument.uri);
    const { engine, index, diagnostics } = this;
    if (!doc || !file || !engine || !index || !diagnostics) return null;
    return memoryLayoutAt({
      uri: textDocument.uri,
      version: doc.version,
      file,
      position,
      structs: this.structsIn(textDocument.uri, file, { start: position, end: position }),
      targets: this.targetsFor(file),
      engine,
      suggestions: () => diagnostics.suggestionsFor(textDocument.uri),
      editTarget: diagnostics.editTarget,
      documentChanges: this.abilities.documentChanges,
    });
  }

  private async codeActions({ textDocument, range, context }: CodeActionParams): Promise<CodeAction[] | null> {
    await this.settingsLoaded;
    const diagnostics = this.diagnostics;
    if (!diagnostics || !this.documents.get(textDocument.uri)) return null;
    return codeActionsFor({
      range,
      context,
      published: diagnostics.currentFindings(textDocument.uri),
      suggestions: () => diagnostics.suggestionsFor(textDocument.uri),
      editTarget: diagnostics.editTarget,
      documentChanges: this.abilities.documentChanges,
    });
  }
}
