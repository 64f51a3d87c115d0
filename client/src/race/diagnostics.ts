// Races in the Problems panel: one diagnostic on each racing line (the first own-code frame of the access and of the
// previous access), with the other access and the goroutine creation sites as related information.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RaceAccess, RaceGroup, RaceReport } from '../../../core/src/race/types';
import { frameLine, frameUri, isOpenable, OwnCode } from './locations';
import type { RaceResults } from './results';

export const DIAGNOSTIC_SOURCE = 'go-race';

/** Reads each file once per redraw; lines of files that are gone get no diagnostic (a log from another machine). */
class LineRanges {
  private readonly lines = new Map<string, string[] | null>();

  rangeOf(file: string, line: number): vscode.Range | null {
    const lines = this.linesOf(file);
    if (!lines || line >= lines.length) return null;
    const text = lines[line];
    const start = text.length - text.trimStart().length;
    return new vscode.Range(line, start, line, Math.max(start, text.trimEnd().length));
  }

  private linesOf(file: string): string[] | null {
    if (!this.lines.has(file)) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
      let text: string | null = open ? open.getText() : null;
      if (text === null) {
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          text = null;
        }
      }
      this.lines.set(file, text === null ? null : text.split(/\r?\n/));
    }
    return this.lines.get(file)!;
  }
}

function accessWord(access: RaceAccess): string {
  return `${access.atomic ? 'atomic ' : ''}${access.kind}`;
}

function goroutineName(access: RaceAccess): string {
  return access.goroutine === 'main' ? 'the main goroutine' : `goroutine ${access.goroutine}`;
}

function testsSuffix(group: RaceGroup): string {
  const tests = group.tests.length > 0 ? ` in ${group.tests.join(', ')}` : '';
  const times = group.occurrences > 1 ? `, ${group.occurrences} times` : '';
  return `${tests}${times}`;
}

interface Site {
  access: RaceAccess;
  location: vscode.Location;
}

/** The diagnostics of one race, keyed by file. */
function diagnosticsOfGroup(group: RaceGroup, ranges: LineRanges): [vscode.Uri, vscode.Diagnostic][] {
  const report: RaceReport = group.report;
  const own = new OwnCode(report);
  const siteOf = (access: RaceAccess | null): Site | null => {
    const frame = access ? own.first(access.frames) : null;
    if (!access || !frame || !isOpenable(frame)) return null;
    const range = ranges.rangeOf(frame.file, frameLine(frame));
    return range ? { access, location: new vscode.Location(frameUri(frame), range) } : null;
  };
  const creations: vscode.DiagnosticRelatedInformation[] = [];
  for (const origin of report.goroutines) {
    const frame = own.first(origin.frames);
    const range = frame && isOpenable(frame) ? ranges.rangeOf(frame.file, frameLine(frame)) : null;
    if (frame && range) {
      creations.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(frameUri(frame), range), `goroutine ${origin.goroutine} created here`));
    }
  }
  const make = (location: vscode.Location, message: string, related: vscode.DiagnosticRelatedInformation[]): [vscode.Uri, vscode.Diagnostic] => {
    const diagnostic = new vscode.Diagnostic(location.range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = report.kind === 'data race' ? 'data-race' : 'concurrent-map-access';
    diagnostic.relatedInformation = related;
    return [location.uri, diagnostic];
  };

  const access = siteOf(report.access);
  const previous = siteOf(report.previous);
  if (report.kind === 'concurrent map access') {
    return access ? [make(access.location, `${report.message}${testsSuffix(group)}`, creations)] : [];
  }
  const found: [vscode.Uri, vscode.Diagnostic][] = [];
  const pairs: [Site | null, Site | null][] = [[access, previous], [previous, access]];
  for (const [here, other] of pairs) {
    if (!here) continue;
    if (other && other.location.uri.fsPath === here.location.uri.fsPath && other.location.range.start.line === here.location.range.start.line) {
      // Both accesses on one line (two goroutines running the same code): one diagnostic says it all.
      if (here !== access) continue;
      const message = `Data race: ${accessWord(here.access)} by ${goroutineName(here.access)} and ${accessWord(other.access)} by ${goroutineName(other.access)} on this line${testsSuffix(group)}`;
      found.push(make(here.location, message, creations));
      continue;
    }
    const otherText = other
      ? `${accessWord(other.access)} at ${path.basename(other.location.uri.fsPath)}:${other.location.range.start.line + 1} by ${goroutineName(other.access)}`
      : 'another access';
    const message = `Data race: ${accessWord(here.access)} by ${goroutineName(here.access)} conflicts with a ${otherText}${testsSuffix(group)}`;
    const related = other ? [new vscode.DiagnosticRelatedInformation(other.location, `the conflicting ${accessWord(other.access)} (${goroutineName(other.access)})`)] : [];
    found.push(make(here.location, message, [...related, ...creations]));
  }
  return found;
}

/** Keeps the 'go-race' diagnostic collection in step with the results. */
export function registerRaceDiagnostics(results: RaceResults): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  const redraw = () => {
    const ranges = new LineRanges();
    const byFile = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const group of results.groups()) {
      for (const [uri, diagnostic] of diagnosticsOfGroup(group, ranges)) {
        const entry = byFile.get(uri.toString()) ?? { uri, diagnostics: [] };
        entry.diagnostics.push(diagnostic);
        byFile.set(uri.toString(), entry);
      }
    }
    collection.clear();
    for (const { uri, diagnostics } of byFile.values()) collection.set(uri, diagnostics);
  };
  return vscode.Disposable.from(collection, results.onDidChange(redraw));
}
