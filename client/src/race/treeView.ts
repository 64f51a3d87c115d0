// The "Data Races" view: race → access, previous access and goroutine creation stacks → frames; a frame opens
// its file at its line.
import * as vscode from 'vscode';
import type { RaceAccess, RaceFrame, RaceGroup, RaceReport } from '../../../core/src/race/types';
import { frameLine, frameUri, isOpenable, OwnCode, shortFunction, shortLocation } from './locations';
import type { RaceResults } from './results';
import { unlistedText } from '../../../core/src/race/dedup';

export const RACE_VIEW_ID = 'goArchLens.races';

export type RaceNode =
  | { kind: 'group'; group: RaceGroup }
  | { kind: 'stack'; label: string; description: string; frames: RaceFrame[]; own: OwnCode }
  | { kind: 'frame'; frame: RaceFrame; own: boolean };

function accessLabel(access: RaceAccess, previous: boolean): string {
  const kind = `${access.atomic ? 'atomic ' : ''}${access.kind}`;
  const what = previous ? `Previous ${kind}` : kind[0].toUpperCase() + kind.slice(1);
  const at = access.address ? ` at ${access.address}` : '';
  const by = access.goroutine === 'main' ? 'main goroutine' : `goroutine ${access.goroutine}`;
  return `${what}${at} by ${by}`;
}

/** `write racy.go:10 ↔ read racy.go:15`, or the runtime's message for a map error. */
function groupLabel(report: RaceReport, own: OwnCode): string {
  const where = (access: RaceAccess | null) => {
    const frame = access ? own.first(access.frames) ?? access.frames[0] : undefined;
    return access && frame ? `${access.kind} ${shortLocation(frame)}` : undefined;
  };
  const first = where(report.access);
  if (report.kind === 'concurrent map access') return first ? `${report.message}: ${first}` : report.message;
  const second = where(report.previous);
  return [first ?? 'data race', second].filter((s) => s !== undefined).join(' ↔ ');
}

function groupDescription(group: RaceGroup): string {
  const parts = [group.tests.join(', ') || group.report.package || ''];
  if (group.occurrences > 1) parts.push(`×${group.occurrences}`);
  if (group.report.incomplete) parts.push('(log cut off)');
  return parts.filter((p) => p !== '').join(' · ');
}

function stacksOf(report: RaceReport): RaceNode[] {
  const own = new OwnCode(report);
  const stacks: RaceNode[] = [];
  const describe = (frames: RaceFrame[]) => {
    const frame = own.first(frames) ?? frames[0];
    return frame ? shortLocation(frame) : '';
  };
  if (report.access) stacks.push({ kind: 'stack', label: accessLabel(report.access, false), description: describe(report.access.frames), frames: report.access.frames, own });
  if (report.previous) stacks.push({ kind: 'stack', label: accessLabel(report.previous, true), description: describe(report.previous.frames), frames: report.previous.frames, own });
  for (const origin of report.goroutines) {
    stacks.push({ kind: 'stack', label: `Goroutine ${origin.goroutine} (${origin.state}) created at`, description: describe(origin.frames), frames: origin.frames, own });
  }
  return stacks;
}

export class RaceTreeProvider implements vscode.TreeDataProvider<RaceNode> {
  private readonly changed = new vscode.EventEmitter<RaceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly results: RaceResults) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: RaceNode): RaceNode[] {
    if (!node) return this.results.groups().map((group) => ({ kind: 'group', group }));
    if (node.kind === 'group') return stacksOf(node.group.report);
    if (node.kind === 'stack') return node.frames.map((frame) => ({ kind: 'frame', frame, own: node.own.has(frame) }));
    return [];
  }

  getTreeItem(node: RaceNode): vscode.TreeItem {
    if (node.kind === 'group') return this.groupItem(node.group);
    if (node.kind === 'stack') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.description;
      item.contextValue = 'raceStack';
      return item;
    }
    return frameItem(node.frame, node.own);
  }

  private groupItem(group: RaceGroup): vscode.TreeItem {
    const report = group.report;
    const item = new vscode.TreeItem(groupLabel(report, new OwnCode(report)), vscode.TreeItemCollapsibleState.Collapsed);
    item.description = groupDescription(group);
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.errorForeground'));
    item.contextValue = 'raceGroup';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${report.message}${report.package ? ` in ${report.package}` : ''}\n`);
    if (group.tests.length > 0) tooltip.appendText(`Tests: ${group.tests.join(', ')}\n`);
    tooltip.appendText(`Seen ${group.occurrences} time(s)`);
    tooltip.appendCodeblock(report.raw, 'go-race-log');
    item.tooltip = tooltip;
    return item;
  }
}

function frameItem(frame: RaceFrame, own: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(shortFunction(frame.function), vscode.TreeItemCollapsibleState.None);
  item.description = shortLocation(frame);
  item.tooltip = `${frame.function}\n${frame.file}:${frame.line}`;
  // The program's own frames stand out; runtime and testing frames are kept for context.
  item.iconPath = new vscode.ThemeIcon(own ? 'debug-stackframe' : 'debug-stackframe-dot');
  item.contextValue = own ? 'raceFrameOwn' : 'raceFrame';
  if (isOpenable(frame)) {
    const line = frameLine(frame);
    const options: vscode.TextDocumentShowOptions = { selection: new vscode.Range(line, 0, line, 0), preview: true };
    item.command = { title: 'Open Frame', command: 'vscode.open', arguments: [frameUri(frame), options] };
  }
  return item;
}

export function registerRaceTree(results: RaceResults): { provider: RaceTreeProvider; disposable: vscode.Disposable } {
  const provider = new RaceTreeProvider(results);
  const view = vscode.window.createTreeView(RACE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const update = () => {
    provider.refresh();
    const count = results.groups().length;
    view.badge = count > 0 ? { value: count, tooltip: `${count} data race(s)` } : undefined;
    const unlisted = results.unlisted();
    view.message = unlisted ? unlistedText(unlisted) : undefined;
  };
  return { provider, disposable: vscode.Disposable.from(view, results.onDidChange(update)) };
}
