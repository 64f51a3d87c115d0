import { pathToFileURL } from 'url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { Target } from '../../core/src/api';
import { escapeName } from '../../core/src/model/extract';
import type { Finding } from '../../core/src/analysis/finding';
import type { Analyzer } from '../../core/src/analysis/pass';
import { ALL_ANALYZERS, SUGGESTION_ANALYZERS } from '../../core/src/analysis/registry';
import { fileOfUri, type OpenDocuments } from './documents';
import { mergeBuildAndAnalyzerFindings } from '../../core/src/build/analyzerMerge';
import { diagnosticsByUri, isInternalError, toDiagnostic, type EditTarget, type PublishedFinding } from './format/diagnostics';
import type { Settings } from './settings';
import { findingToEditor, LineBreaks } from './lineBreaks';
import { MAX_WHOLE_PARSE_CHARS } from '../../core/src/resolve/sourceStore';

/** Typing comes in bursts; a document is analyzed once its edits pause this long. */
export const ANALYSIS_DELAY_MS = 150;

/**
 * Open documents longer than this (UTF-16 units) are not analyzed: the analyzers walk the whole syntax tree, which
 * took seconds per typing pause on a 7 MB file (blocking every keystroke and hint meanwhile) and keeps the whole
 * tree alive. Such a document still gets its hints and hovers; `go-arch-lens check` analyzes it from disk. The
 * engine parses no more of it per keystroke than those need (MAX_WHOLE_PARSE_CHARS).
 */
export const MAX_ANALYZED_CHARS = MAX_WHOLE_PARSE_CHARS;

/** What the diagnostics need of the engine (Engine.analyzeFile). */
export interface FileAnalyzer {
  analyzeFile(file: string, targets: Target[], analyzers: Analyzer[], fallbackTarget?: Target): Finding[] | { error: string };
}

export interface DiagnosticsHost {
  documents: OpenDocuments;
  settings(): Settings;
  /** The targets to analyze a file for (the user's setting, else the project's file, else the default). */
  targetsFor(file: string): Target[];
  /** Settles once the user's settings are in, so no analysis runs with the defaults by mistake. */
  settingsLoaded(): Promise<void>;
  /** Settles when no request the user waits on (hints, hover) is in flight: analysis gives way to those. */
  idle?(): Promise<void>;
  publish(params: PublishDiagnosticsParams): void;
  /** The compiler's findings in a file (the build check), shown with the analyzers' and merged where they agree. */
  buildFindings?(file: string): Finding[];
  log(message: string): void;
}

/** The findings of one analysis of one open document, by the URI of the file each is in. */
interface Analysis {
  version: number;
  byUri: Map<string, PublishedFinding[]>;
  /** Problems logged for this analysis (engine errors, analyzer crashes), so each is logged once, not per keystroke. */
  logged: Set<string>;
}

/**
 * Runs the analyzers over open documents and publishes their findings as diagnostics. The findings are kept, per
 * document version, for the code actions that offer their fixes.
 */
export class AnalyzerDiagnostics {
  private readonly analyses = new Map<string, Analysis>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent per URI, so an unchanged set is not sent again. */
  private readonly published = new Map<string, string>();
  /** Open documents by engine file path, so findings in a file go to that document's URI (untitled ones too). */
  private readonly openFiles = new Map<string, string>();
  /** Suggestions computed on demand for code actions, per document version and state of every source. */
  private readonly suggestions = new Map<string, { version: number; generation: number; findings: Finding[] }>();
  /** Open documents said to be too long to analyze (said once per opening). */
  private readonly toldTooLong = new Set<string>();
  /** Bumped by every change that can change any analysis: sources anywhere, settings. */
  private generation = 0;

  constructor(private readonly engine: FileAnalyzer, private readonly host: DiagnosticsHost) {}

  opened(uri: string): void {
    const file = fileOfUri(uri);
    if (file) this.openFiles.set(file, uri);
    this.generation++;
    this.schedule(uri);
  }

  /** Layouts cross files, so any edit, disk change or settings change re-runs every open document. */
  sourcesChanged(): void {
    this.generation++;
    for (const uri of this.openFiles.values()) this.schedule(uri);
  }

  closed(uri: string): void {
    const file = fileOfUri(uri);
    if (file && this.openFiles.get(file) === uri) this.openFiles.delete(file);
    if (file) this.toldTooLong.delete(file);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.suggestions.delete(uri);
    const analysis = this.analyses.get(uri);
    this.analyses.delete(uri);
    this.republish(new Set([uri, ...(analysis?.byUri.keys() ?? [])]));
    // Its disk content replaces the closed document's text, which other documents may depend on.
    this.sourcesChanged();
  }

  /** The published findings in `uri`, brought up to date first if an edit or setting has not been analyzed yet. */
  currentFindings(uri: string): PublishedFinding[] {
    for (const [source, analysis] of this.analyses) {
      if (source === uri || analysis.byUri.has(uri)) this.ensureCurrent(source);
    }
    this.ensureCurrent(uri);
    return this.findingsIn(uri);
  }

  /** Findings of the suggestion analyzers (field order) for the document as it is now, for its refactorings. */
  suggestionsFor(uri: string): Finding[] {
    const doc = this.host.documents.get(uri);
    const file = fileOfUri(uri);
    if (!doc || !file) return [];
    const cached = this.suggestions.get(uri);
    if (cached && cached.version === doc.version && cached.generation === this.generation) return cached.findings;
    const analyzers = ALL_ANALYZERS.filter((a) => SUGGESTION_ANALYZERS.has(a.name));
    const findings = this.findingsOf(file, analyzers, this.host.settings(), (problem) => this.host.log(problem));
    this.suggestions.set(uri, { version: doc.version, generation: this.generation, findings });
    return findings;
  }

  /** Where edits to `file` go: the open document's URI and version, else the file's URI with no version. */
  readonly editTarget: EditTarget = (file) => {
    const uri = this.uriOf(file);
    return { uri, version: this.host.documents.get(uri)?.version ?? null };
  };

  private uriOf(file: string): string {
    return this.openFiles.get(file) ?? pathToFileURL(file).href;
  }

  private schedule(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => void this.analyzeWhenReady(uri), ANALYSIS_DELAY_MS));
  }

  private async analyzeWhenReady(uri: string): Promise<void> {
    await this.host.settingsLoaded();
    await this.host.idle?.();
    // A code action may have analyzed the document meanwhile, taking the timer away. (Had an edit rescheduled it
    // instead, analyzing now is still right: analyze() cancels the newer timer.)
    if (!this.timers.has(uri)) return;
    try {
      this.analyze(uri);
    } catch (err) {
      this.host.log(`analysis of ${uri} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }

  private ensureCurrent(uri: string): void {
    const doc = this.host.documents.get(uri);
    if (this.timers.has(uri) || (doc && this.analyses.get(uri)?.version !== doc.version)) this.analyze(uri);
  }

  private analyze(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    const doc = this.host.documents.get(uri);
    const file = fileOfUri(uri);
    if (!doc || !file) return;
    const previous = this.analyses.get(uri);
    const analysis: Analysis = { version: doc.version, byUri: new Map(), logged: new Set() };
    const settings = this.host.settings();
    if (settings.diagnostics.enable) {
      const findings = this.findingsOf(file, publishedAnalyzers(settings), settings, (problem) => {
        analysis.logged.add(problem);
        if (!previous?.logged.has(problem)) this.host.log(problem);
      });
      analysis.byUri = diagnosticsByUri(findings, (f) => this.uriOf(f));
    }
    this.analyses.set(uri, analysis);
    this.republish(new Set([uri, ...analysis.byUri.keys(), ...(previous?.byUri.keys() ?? [])]));
  }

  /** What `analyzers` find in `file`; engine errors and analyzer crashes go to `log` instead. */
  private findingsOf(file: string, analyzers: Analyzer[], settings: Settings, log: (problem: string) => void): Finding[] {
    if (analyzers.length === 0) return [];
    const length = this.host.documents.get(this.uriOf(file))?.getText().length ?? 0;
    if (length > MAX_ANALYZED_CHARS) {
      if (!this.toldTooLong.has(file)) this.host.log(`${escapeName(file)} is not analyzed while open: ${(length / (1 << 20)).toFixed(1)} MiB, over the ${MAX_ANALYZED_CHARS / (1 << 20)} MiB analysis limit`);
      this.toldTooLong.add(file);
      return [];
    }
    const result = this.engine.analyzeFile(file, this.host.targetsFor(file), analyzers, settings.fallbackTarget);
    if ('error' in result) {
      log(`cannot analyze ${escapeName(file)}: ${escapeName(result.error)}`);
      return [];
    }
    for (const finding of result.filter(isInternalError)) log(`${file}: ${finding.message}`);
    return result.filter((f) => !isInternalError(f)).map((f) => findingToEditor(f, this.breaksOf));
  }

  /** How an open document's lines differ from the engine's (lone CRs), for positions sent to the editor. */
  private readonly breaksOf = (file: string): LineBreaks | undefined => {
    const uri = this.openFiles.get(file);
    const doc = uri === undefined ? undefined : this.host.documents.get(uri);
    return doc && LineBreaks.of(doc);
  };

  /** The build findings of these files changed: publish their documents again. */
  buildFindingsChanged(files: string[]): void {
    this.republish(new Set(files.map((file) => this.uriOf(file))));
  }

  /**
   * The analyzers' findings in `uri` and the compiler's: where sysname or fieldtype predicted a compile error the
   * compiler reports at the same place, one diagnostic (the compiler's, with the analyzer's advice and fixes).
   */
  private findingsIn(uri: string): PublishedFinding[] {
    const analyzed = [...this.analyses.values()].flatMap((a) => a.byUri.get(uri) ?? []);
    const file = fileOfUri(uri);
    const build = file && this.host.settings().build.enable ? (this.host.buildFindings?.(file) ?? []).map((f) => findingToEditor(f, this.breaksOf)) : [];
    if (build.length === 0) return analyzed;
    const merged = mergeBuildAndAnalyzerFindings(build, analyzed.map((p) => p.finding));
    const uriOf = (f: string) => this.uriOf(f);
    return merged.map((finding) => analyzed.find((p) => p.finding === finding) ?? { diagnostic: toDiagnostic(finding, uriOf), finding });
  }

  /**
   * Sends the diagnostics of each URI that changed. A document's first analysis is always sent, even when empty,
   * so the client drops whatever it still shows from before.
   */
  private republish(uris: Set<string>): void {
    for (const uri of uris) {
      const doc = this.host.documents.get(uri);
      const diagnostics = this.findingsIn(uri).map((p) => p.diagnostic);
      const text = JSON.stringify(diagnostics);
      if (this.published.get(uri) !== text) this.host.publish({ uri, version: doc?.version, diagnostics });
      // An empty set needs remembering only while the document is open (so that it is sent once, not per edit).
      if (diagnostics.length > 0 || doc) this.published.set(uri, text);
      else this.published.delete(uri);
    }
  }
}

/** The analyzers whose findings the settings ask to see as diagnostics. */
function publishedAnalyzers(settings: Settings): Analyzer[] {
  const names = new Set(settings.diagnostics.analyzers);
  if (settings.diagnostics.fieldOrderHints) names.add('fieldorder');
  return ALL_ANALYZERS.filter((a) => names.has(a.name));
}
