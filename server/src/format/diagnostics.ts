import {
  CodeActionKind, DiagnosticSeverity, TextDocumentEdit,
  type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../../../core/src/analysis/finding';

/** The `source` of every diagnostic this server publishes; code actions only answer for these. */
export const DIAGNOSTIC_SOURCE = 'go-arch-lens';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The URI a file's diagnostics and edits belong to: an open document's own URI (untitled ones too), else file:. */
export type UriOfFile = (file: string) => string;

/** Where an edit to a file goes: its URI, and the version of the open document it was computed for (null if closed). */
export type EditTarget = (file: string) => { uri: string; version: number | null };

/** A published diagnostic with the finding behind it, whose fixes code actions offer. */
export interface PublishedFinding {
  diagnostic: Diagnostic;
  finding: Finding;
}

export function toDiagnostic(finding: Finding, uriOf: UriOfFile): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITIES[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.analyzer,
    message: finding.message,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: uriOf(r.file), range: r.range }, message: r.message }));
  }
  return diagnostic;
}

/**
 * The engine turns an analyzer's exception into an error finding; that is a bug of ours, not a problem in the
 * user's code, so it goes to the log instead of the Problems panel.
 */
export function isInternalError(finding: Finding): boolean {
  return finding.message.startsWith(`internal error in ${finding.analyzer}:`);
}

/** Diagnostics grouped by the URI of the file each finding is in (usually the analyzed document itself). */
export function diagnosticsByUri(findings: Finding[], uriOf: UriOfFile): Map<string, PublishedFinding[]> {
  const byUri = new Map<string, PublishedFinding[]>();
  for (const finding of findings) {
    const uri = uriOf(finding.file);
    byUri.set(uri, [...(byUri.get(uri) ?? []), { diagnostic: toDiagnostic(finding, uriOf), finding }]);
  }
  return byUri;
}

/** Whether a diagnostic the client sends back is one we published: same source, code, message and range. */
export function sameDiagnostic(sent: Diagnostic, published: Diagnostic): boolean {
  return sent.source === published.source && sent.code === published.code && sent.message === published.message &&
    sameRange(sent.range, published.range);
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character &&
    a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * A fix as a workspace edit. With `documentChanges` every file's edits carry the document version they were
 * computed for, so a client refuses to apply them to a document that has changed since.
 */
export function workspaceEditOf(fix: Fix, target: EditTarget, documentChanges: boolean): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) {
    byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), { range: edit.range, newText: edit.newText }]);
  }
  if (documentChanges) {
    return { documentChanges: [...byFile].map(([file, edits]) => TextDocumentEdit.create(target(file), edits)) };
  }
  return { changes: Object.fromEntries([...byFile].map(([file, edits]) => [target(file).uri, edits])) };
}

/** A fix for diagnostics the client showed, as the quick fix it offers on them. */
export function quickFixAction(fix: Fix, diagnostics: Diagnostic[], edit: WorkspaceEdit): CodeAction {
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics, isPreferred: fix.preferred === true, edit };
}

/** A fix offered without a diagnostic (the field-order suggestion), as a rewrite of the code under the cursor. */
export function rewriteAction(fix: Fix, diagnostics: Diagnostic[], edit: WorkspaceEdit): CodeAction {
  const action: CodeAction = { title: fix.title, kind: CodeActionKind.RefactorRewrite, edit };
  if (diagnostics.length > 0) action.diagnostics = diagnostics;
  return action;
}
