// Race logs opened as files (the go-race-log language): frames become links to file:line, and a command reads a
// log's reports into the Data Races view and the Problems panel.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { logLocations, type LogLocation } from '../../../core/src/race/logLinks';
import { RaceLogParser } from '../../../core/src/race/logParser';
import { parseRaceLog } from '../../../core/src/race/stream';
import type { RaceLogSummary } from '../../../core/src/race/types';
import type { RaceResults } from './results';

export const RACE_LOG_LANGUAGE = 'go-race-log';
export const SHOW_LOG_COMMAND = 'goArchLens.race.showLog';

function linkOf(line: number, location: LogLocation): vscode.DocumentLink {
  const target = vscode.Uri.file(location.file).with({ fragment: `L${location.line}` });
  const link = new vscode.DocumentLink(new vscode.Range(line, location.start, line, location.end), target);
  link.tooltip = `Open ${location.file} at line ${location.line}`;
  return link;
}

/** Links from every frame location in a race log to the file and line (a `#L12` fragment, which the editor opens at). */
export function frameLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
  const links: vscode.DocumentLink[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    for (const location of logLocations(document.lineAt(line).text)) links.push(linkOf(line, location));
  }
  return links;
}

function parseText(text: string, results: RaceResults): RaceLogSummary {
  const parser = new RaceLogParser((report) => results.add(report));
  parser.write(text);
  return parser.end();
}

async function parseFile(file: string, results: RaceResults): Promise<RaceLogSummary> {
  return parseRaceLog(fs.createReadStream(file), (report) => results.add(report));
}

/** The log to read: the argument (explorer menu), the active race-log editor, else one the user picks. */
async function logToRead(uri: vscode.Uri | undefined): Promise<{ name: string; text?: string; file?: string } | undefined> {
  if (uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ? { name: uri.fsPath, text: open.getText() } : { name: uri.fsPath, file: uri.fsPath };
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.languageId === RACE_LOG_LANGUAGE) return { name: active.uri.fsPath || active.uri.toString(), text: active.getText() };
  const picked = await vscode.window.showOpenDialog({
    title: 'Race log to show', canSelectMany: false, openLabel: 'Show Races',
    filters: { 'Race logs': ['racelog', 'log', 'txt', 'json'], 'All files': ['*'] },
  });
  return picked?.[0] ? { name: picked[0].fsPath, file: picked[0].fsPath } : undefined;
}

/** Reads a log into the results; resolves to its summary, or undefined when no log was chosen. Runs no code, so
 * it is allowed in untrusted workspaces. */
export async function showRacesFromLog(uri: vscode.Uri | undefined, results: RaceResults): Promise<RaceLogSummary | undefined> {
  const log = await logToRead(uri);
  if (!log) return undefined;
  const before = results.groups().length;
  let summary: RaceLogSummary;
  try {
    summary = log.text !== undefined ? parseText(log.text, results) : await parseFile(log.file!, results);
  } catch (err) {
    void vscode.window.showErrorMessage(`Cannot read the race log ${log.name}: ${(err as Error).message}`);
    return undefined;
  } finally {
    results.flush();
  }
  const added = results.groups().length - before;
  const found = summary.reports === 0
    ? `No race reports in ${log.name}.`
    : `${summary.reports} race report(s) in ${log.name}: ${added} new race(s) in the Data Races view.`;
  void vscode.window.showInformationMessage(found);
  return summary;
}

export function registerRaceLogs(results: RaceResults): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentLinkProvider({ language: RACE_LOG_LANGUAGE }, { provideDocumentLinks: frameLinks }),
    vscode.commands.registerCommand(SHOW_LOG_COMMAND, (uri?: vscode.Uri) => showRacesFromLog(uri instanceof vscode.Uri ? uri : undefined, results)),
  );
}
