import { CodeActionKind, type CodeAction, type CodeActionContext, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { Finding } from '../../core/src/analysis/finding';
import { SUGGESTION_ANALYZERS } from '../../core/src/analysis/registry';
import {
  DIAGNOSTIC_SOURCE, quickFixAction, rewriteAction, sameDiagnostic, toDiagnostic, workspaceEditOf,
  type EditTarget, type PublishedFinding,
} from './format/diagnostics';

export interface CodeActionInputs {
  /** The range the client asks about (the selection, or a diagnostic's range). */
  range: Range;
  context: CodeActionContext;
  /** Our published findings in the document, current with its text. */
  published: PublishedFinding[];
  /** Suggestions (field order) for the document as it is now, published or not; computed only if rewrites are wanted. */
  suggestions: () => Finding[];
  editTarget: EditTarget;
  /** Whether the client takes versioned `documentChanges` rather than a plain `changes` map. */
  documentChanges: boolean;
}

/**
 * Quick fixes for the diagnostics of ours the client sends back, and the rewrites of suggestions whose code the
 * range touches. A diagnostic that no current finding matches (it predates the latest edit) gets nothing, since
 * its fix's ranges would no longer fit the text.
 */
export function codeActionsFor(inputs: CodeActionInputs): CodeAction[] {
  const wanted = (kind: string) => !inputs.context.only || inputs.context.only.some((only) => isOfKind(kind, only));
  return [
    ...(wanted(CodeActionKind.QuickFix) ? quickFixes(inputs) : []),
    ...(wanted(CodeActionKind.RefactorRewrite) ? rewrites(inputs) : []),
  ];
}

function quickFixes({ context, published, editTarget, documentChanges }: CodeActionInputs): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const sent of context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)) {
    const match = published.find((p) => sameDiagnostic(sent, p.diagnostic));
    // A published suggestion's fix comes as its rewrite below, not a second time as a quick fix.
    if (!match || SUGGESTION_ANALYZERS.has(match.finding.analyzer)) continue;
    for (const fix of match.finding.fixes ?? []) {
      actions.push(quickFixAction(fix, [sent], workspaceEditOf(fix, editTarget, documentChanges)));
    }
  }
  return actions;
}

function rewrites({ range, context, suggestions, editTarget, documentChanges }: CodeActionInputs): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of suggestions().filter((f) => touches(range, linesOf(f)))) {
    const shown = toDiagnostic(finding, (file) => editTarget(file).uri);
    const linked: Diagnostic[] = context.diagnostics.filter((d) => sameDiagnostic(d, shown));
    for (const fix of finding.fixes ?? []) actions.push(rewriteAction(fix, linked, workspaceEditOf(fix, editTarget, documentChanges)));
  }
  return actions;
}

/**
 * The lines a suggestion is about: from the line it is reported on (a struct's name) to the last line its fix
 * edits in that file, plus the line the edit ends on (a struct's closing brace, since the reorder ends at the
 * start of that line).
 */
function linesOf(finding: Finding): { first: number; last: number } {
  const ends = (finding.fixes ?? []).flatMap((fix) => fix.edits.filter((e) => e.file === finding.file).map((e) => e.range.end.line));
  return { first: finding.range.start.line, last: Math.max(finding.range.end.line, ...ends) };
}

function touches(range: Range, lines: { first: number; last: number }): boolean {
  return range.start.line <= lines.last && range.end.line >= lines.first;
}

/** `refactor.rewrite` is of kind `refactor`; a client asking for `quickfix` gets quick fixes only. */
function isOfKind(kind: string, wanted: string): boolean {
  return wanted === CodeActionKind.Empty || kind === wanted || kind.startsWith(`${wanted}.`);
}
