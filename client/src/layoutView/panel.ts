import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ReorderGoal } from '../../../core/src/analysis/finding';
import { MEMORY_LAYOUT_METHOD, type MemoryLayoutModel, type MemoryLayoutParams } from '../../../server/src/layoutViewProtocol';
import { layoutViewHtml } from './html';
import type { Control, EpochMs, FromWebview, PageModel, RenderedView, ToWebview } from './messages';

export const SHOW_MEMORY_LAYOUT_COMMAND = 'goArchLens.showMemoryLayout';
const VIEW_TYPE = 'goArchLens.memoryLayout';
/** Cursor moves and typing come in bursts; the view asks the server once a burst pauses this long. */
const FOLLOW_DELAY_MS = 60;
/** A reply computed before the latest edit reached the server is asked again, at most this many times. */
const STALE_RETRIES = 20;

/** What the integration tests and the benchmark use to see the view. */
export interface LayoutViewApi {
  /** The model on screen, if any. */
  readonly model: MemoryLayoutModel | undefined;
  /** What the webview rendered, read from its DOM. */
  describe(): Promise<RenderedView>;
  /** Activates a control of the view as a click would. */
  press(control: Control): Promise<void>;
  /**
   * Resolves once a draw whose model satisfies `accept` is on screen, with the time from its command (or cursor move,
   * or edit) to the paint; at once (0 ms) when the last draw already satisfies it.
   */
  whenDrawn(accept: (model: MemoryLayoutModel) => boolean): Promise<DrawTiming>;
  /** Resolves when the next draw is on screen, with the time from its command (or cursor move, or edit) to the paint. */
  nextDraw(): Promise<DrawTiming>;
  /** Exports the picture to `uri` as the Export SVG button does, without the save dialog. */
  exportSvg(uri: vscode.Uri): Promise<void>;
  /** What the page is sent for the model on screen (the benchmark reports its size). */
  pageModel(): PageModel | undefined;
}

/** One finished draw: the model, the time from its command (or cursor move, or edit) to the paint, and its parts. */
export interface DrawTiming {
  model: MemoryLayoutModel;
  /** From the command (or cursor move, or edit) to the page's frame with the picture painted. */
  ms: number;
  /** The language server's answer, from sending the request to receiving it. */
  requestMs: number;
  /** The model's way from the extension to the page (through VS Code's webview messaging). */
  transitMs: number;
  /** The page building its elements. */
  renderMs: number;
  /** The frame that draws them: its style, layout and paint. */
  frameMs: number;
}

/** Wall clock with sub-millisecond resolution, comparable with the page's (see `EpochMs`). */
function epochNow(): EpochMs {
  return performance.timeOrigin + performance.now();
}

interface Followed {
  uri: string;
  position: vscode.Position;
}

interface Draw {
  token: number;
  model: MemoryLayoutModel;
  /** `epochNow()` at the command, cursor move or edit. */
  started: EpochMs;
  requestMs: number;
  sentAt: EpochMs;
}

/**
 * The Memory Layout panel beside the editor: asks the language server for the struct under the cursor and hands
 * the answer to the webview, which draws it. Follows the cursor and edits; starts no process (Restricted Mode).
 */
export class LayoutViewController implements LayoutViewApi {
  private panel?: vscode.WebviewPanel;
  private ready = false;
  private followed?: Followed;
  private current?: MemoryLayoutModel;
  /** The model of the last draw the webview finished. */
  private lastDrawn?: MemoryLayoutModel;
  private pending?: { model: MemoryLayoutModel; note?: string; started: number; requestMs: number };
  private timer?: NodeJS.Timeout;
  private nextToken = 1;
  private nextRequest = 1;
  private readonly draws = new Map<number, Draw>();
  private readonly drawWaiters: { accept: (m: MemoryLayoutModel) => boolean; resolve: (d: DrawTiming) => void }[] = [];
  private readonly replies = new Map<number, (message: FromWebview) => void>();
  /** The page model last posted, as JSON: a draw of the same picture (a cursor move inside the struct) is skipped. */
  private postedJson?: string;
  /** Set by exportSvg(): where the next export goes instead of asking, and who waits for it. */
  private exportRequest?: { uri: vscode.Uri; done: () => void };
  /** The editor column the followed document is shown in, where "jump to field" opens it. */
  private editorColumn?: vscode.ViewColumn;

  constructor(private readonly context: vscode.ExtensionContext, private readonly client: () => LanguageClient | undefined) {}

  register(): void {
    this.context.subscriptions.push(
      vscode.commands.registerCommand(SHOW_MEMORY_LAYOUT_COMMAND, (uri?: string, position?: { line: number; character: number }) => this.show(uri, position)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.cursorMoved(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.cursorMoved(editor)),
      vscode.workspace.onDidChangeTextDocument((e) => this.documentChanged(e.document)),
    );
  }

  get model(): MemoryLayoutModel | undefined {
    return this.current;
  }

  /** The command: the struct at the given position, else at the active editor's cursor. */
  async show(uri?: string, position?: { line: number; character: number }): Promise<void> {
    const started = epochNow();
    const editor = vscode.window.activeTextEditor;
    const followed = uri && position
      ? { uri, position: new vscode.Position(position.line, position.character) }
      : editor?.document.languageId === 'go' ? { uri: editor.document.uri.toString(), position: editor.selection.active } : undefined;
    if (!followed) {
      void vscode.window.showInformationMessage('Go Arch Lens: put the cursor in a Go struct to see its memory layout.');
      return;
    }
    if (editor && editor.document.uri.toString() === followed.uri) this.editorColumn = editor.viewColumn;
    this.followed = followed;
    this.openPanel();
    await this.refresh(started, true);
  }

  private openPanel(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Memory Layout', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.png');
    panel.webview.html = layoutViewHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'layoutView.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'layoutView.css')).toString(),
      cspSource: panel.webview.cspSource,
    });
    panel.webview.onDidReceiveMessage((message: FromWebview) => void this.received(message));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.current = undefined;
      this.lastDrawn = undefined;
      this.postedJson = undefined;
      clearTimeout(this.timer);
    });
    this.panel = panel;
    this.ready = false;
  }

  private cursorMoved(editor: vscode.TextEditor): void {
    if (!this.panel || editor.document.languageId !== 'go') return;
    this.followed = { uri: editor.document.uri.toString(), position: editor.selection.active };
    this.editorColumn = editor.viewColumn;
    this.schedule();
  }

  private documentChanged(document: vscode.TextDocument): void {
    if (!this.panel || document.uri.toString() !== this.followed?.uri) return;
    const editor = vscode.window.activeTextEditor;
    if (editor?.document === document) this.followed = { uri: this.followed.uri, position: editor.selection.active };
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const started = epochNow();
    this.timer = setTimeout(() => void this.refresh(started, false), FOLLOW_DELAY_MS);
  }

  /** Asks the server for the followed position's struct and shows it; outside any struct the last one stays. */
  private async refresh(started: number, fromCommand: boolean, retries = STALE_RETRIES): Promise<void> {
    const followed = this.followed;
    const client = this.client();
    if (!followed || !client || !this.panel) return;
    const params: MemoryLayoutParams = { textDocument: { uri: followed.uri }, position: { line: followed.position.line, character: followed.position.character } };
    let model: MemoryLayoutModel | null;
    const asked = performance.now();
    try {
      model = await client.sendRequest<MemoryLayoutModel | null>(MEMORY_LAYOUT_METHOD, params);
    } catch (err) {
      this.post({ type: 'note', note: `The language server could not lay out this struct: ${(err as Error).message}` });
      return;
    }
    if (followed !== this.followed) return; // the cursor moved on; its own refresh follows
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === followed.uri);
    if (model && document && model.version < document.version && retries > 0) {
      // The server answered from text older than the editor's: the edit is still on its way.
      setTimeout(() => void this.refresh(started, fromCommand, retries - 1), 25);
      return;
    }
    if (!model) {
      const note = this.current ? `The cursor is not in a struct; showing ${this.current.struct.name}.` : 'Put the cursor in a Go struct.';
      if (fromCommand && !this.current) void vscode.window.showInformationMessage('Go Arch Lens: the cursor is not in a struct type declaration.');
      this.post({ type: 'note', note });
      return;
    }
    this.current = model;
    this.display({ model, note: `${model.struct.name} in ${fileName(model.uri)}`, started, requestMs: performance.now() - asked });
  }

  private display(draw: { model: MemoryLayoutModel; note?: string; started: number; requestMs: number }): void {
    if (!this.ready) {
      this.pending = draw;
      return;
    }
    const pageModel = forPage(draw.model);
    const json = JSON.stringify(pageModel);
    if (json === this.postedJson) {
      // The page already shows this picture: moving the cursor inside a struct, or the command on the struct shown,
      // costs no redraw (on a 200-field struct and 14 targets, 75–95 ms of CPU at load 10).
      if (draw.note !== undefined) this.post({ type: 'note', note: draw.note });
      return;
    }
    this.postedJson = json;
    const token = this.nextToken++;
    const sentAt = epochNow();
    this.draws.set(token, { token, model: draw.model, started: draw.started, requestMs: draw.requestMs, sentAt });
    this.post({ type: 'show', modelJson: json, token, note: draw.note, sentAt });
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private async received(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postedJson = undefined; // a new page, or one VS Code reloaded: it shows nothing yet
        if (this.pending) this.display(this.pending);
        else if (this.current) this.display({ model: this.current, started: epochNow(), requestMs: 0 });
        this.pending = undefined;
        break;
      case 'drawn':
        this.drawn(message);
        break;
      case 'reveal':
        await this.reveal(message.fieldIndex);
        break;
      case 'applyReorder':
        await this.applyReorder(message.version, message.goal);
        break;
      case 'exportSvg':
        await this.saveSvg(message.svg);
        break;
      case 'description': case 'pressed':
        this.replies.get(message.id)?.(message);
        this.replies.delete(message.id);
        break;
    }
  }

  private drawn(report: Extract<FromWebview, { type: 'drawn' }>): void {
    const draw = this.draws.get(report.token);
    if (!draw) return;
    this.draws.delete(report.token);
    const done: DrawTiming = {
      model: draw.model,
      ms: report.paintedAt - draw.started,
      requestMs: draw.requestMs,
      transitMs: report.receivedAt - (draw.sentAt ?? report.receivedAt),
      renderMs: report.renderMs,
      frameMs: report.paintedAt - report.frameAt,
    };
    this.lastDrawn = draw.model;
    for (const waiter of [...this.drawWaiters]) {
      if (!waiter.accept(draw.model)) continue;
      this.drawWaiters.splice(this.drawWaiters.indexOf(waiter), 1);
      waiter.resolve(done);
    }
  }

  private async reveal(fieldIndex: number): Promise<void> {
    const model = this.current;
    const field = model?.struct.fields[fieldIndex];
    if (!model || !field) return;
    const range = new vscode.Range(field.range.start.line, field.range.start.character, field.range.end.line, field.range.end.character);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(model.uri));
    await vscode.window.showTextDocument(document, { viewColumn: this.editorColumn ?? vscode.ViewColumn.One, selection: range });
  }

  /** Applies the goal's reorder: the same edit as the code action's. */
  private async applyReorder(version: number, goal: ReorderGoal): Promise<void> {
    const model = this.current;
    const client = this.client();
    const reorder = model?.reorders.find((r) => r.goal === goal);
    if (!model || !reorder || !client) return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === model.uri);
    if (!document || document.version !== version || model.version !== version) {
      void vscode.window.showWarningMessage('Go Arch Lens: the file changed since the view was drawn; try again once it has updated.');
      return;
    }
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(reorder.edit);
    if (!(await vscode.workspace.applyEdit(edit))) void vscode.window.showWarningMessage('Go Arch Lens: the reorder could not be applied.');
  }

  private async saveSvg(svg: string): Promise<void> {
    const name = `${(this.current?.struct.name ?? 'struct').replace(/\W+/g, '_')}-layout.svg`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const request = this.exportRequest;
    this.exportRequest = undefined;
    const target = request?.uri ?? await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { SVG: ['svg'] },
      saveLabel: 'Export',
    });
    if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(svg, 'utf8'));
    request?.done();
  }

  // ---- for tests and the benchmark ----

  describe(): Promise<RenderedView> {
    return this.ask((id) => ({ type: 'describe', id })).then((reply) => (reply as Extract<FromWebview, { type: 'description' }>).view);
  }

  async press(control: Control): Promise<void> {
    const reply = await this.ask((id) => ({ type: 'press', id, control })) as Extract<FromWebview, { type: 'pressed' }>;
    if (!reply.found) throw new Error(`the view has no control ${control}`);
  }

  whenDrawn(accept: (model: MemoryLayoutModel) => boolean): Promise<DrawTiming> {
    if (this.lastDrawn && accept(this.lastDrawn)) return Promise.resolve({ model: this.lastDrawn, ms: 0, requestMs: 0, renderMs: 0, transitMs: 0, frameMs: 0 });
    return new Promise((resolve) => this.drawWaiters.push({ accept, resolve }));
  }

  nextDraw(): Promise<DrawTiming> {
    return new Promise((resolve) => this.drawWaiters.push({ accept: () => true, resolve }));
  }

  pageModel(): PageModel | undefined {
    return this.current && forPage(this.current);
  }

  async exportSvg(uri: vscode.Uri): Promise<void> {
    const written = new Promise<void>((done) => (this.exportRequest = { uri, done }));
    await this.press('export-svg');
    await written;
  }

  private ask(message: (id: number) => ToWebview): Promise<FromWebview> {
    if (!this.panel || !this.ready) return Promise.reject(new Error('the Memory Layout view is not open'));
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.post(message(id));
    });
  }
}

/** The model without what the page does not use: the edits and the fields' source ranges. */
function forPage(model: MemoryLayoutModel): PageModel {
  return {
    version: model.version,
    struct: { name: model.struct.name, fields: model.struct.fields.map((f) => ({ name: f.name, typeText: f.typeText })) },
    targets: model.targets,
    reorders: model.reorders.map(({ goal, title, fieldOrder, layouts, heapCosts }) => ({ goal, title, fieldOrder, layouts, heapCosts })),
  };
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
