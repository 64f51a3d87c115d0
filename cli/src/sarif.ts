import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import type { Finding, Severity, TextEdit } from '../../core/src/analysis/finding';
import type { Range } from '../../core/src/api';
import type { CheckOutcome } from './checkCommand';
import { StreamedArray } from './jsonStream';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error', warning: 'warning', information: 'note', hint: 'note',
};

/** What a SARIF rule needs of an analyzer (the build check has one too: compile errors per target). */
export interface RuleInfo {
  name: string;
  ruleId: string;
  doc: string;
}

/** Notification kinds, declared on the driver so that each notification names its descriptor. */
const NOTIFICATIONS: Sarif.ReportingDescriptor[] = [
  {
    id: 'GAL9001', name: 'skipped-file',
    shortDescription: { text: 'A file could not be read and was not checked.' },
    fullDescription: { text: 'A file was skipped: over the size cap, not a regular file, a symlink loop or a dangling symlink, or unreadable. Its findings, if any, are missing.' },
    help: { text: 'Make the file a regular, readable Go file under the size cap, or remove it; go-arch-lens check --allow-skipped accepts skipped files.' },
  },
  {
    id: 'GAL9002', name: 'internal-error',
    shortDescription: { text: 'go-arch-lens failed on a file.' },
    fullDescription: { text: 'An internal error of go-arch-lens stopped the analysis of a file; its findings, if any, are missing.' },
    help: { text: 'Please report it with the file (or a reduced copy) that triggers it.' },
  },
];

/**
 * A SARIF 2.1.0 log as GitHub code scanning ingests it: one run, a rule per analyzer, paths relative to
 * `root` (the %SRCROOT% of the checkout), 1-based lines and UTF-16 columns, fixes as replacements. The results
 * are a StreamedArray, built one by one as they are written. Files that were skipped or failed are the
 * invocation's tool execution notifications; the results of every other file are there all the same.
 */
export function toSarif(outcome: CheckOutcome, analyzers: RuleInfo[], root: string, version: string, exitCode: number) {
  const rules: Sarif.ReportingDescriptor[] = analyzers.map((a) => ({
    id: a.ruleId,
    name: a.name,
    shortDescription: { text: a.doc },
    fullDescription: { text: a.doc },
    help: { text: a.doc },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['portability'] },
  }));
  const notifications: Sarif.Notification[] = [
    ...outcome.skipped.map((s) => notification(root, 0, 'warning', s.file, s.message)),
    ...outcome.internalErrors.map((e) => notification(root, 1, 'error', e.file, e.message)),
  ];
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'go-arch-lens', version, semanticVersion: version, rules, notifications: NOTIFICATIONS } },
      invocations: [{
        executionSuccessful: outcome.internalErrors.length === 0,
        exitCode,
        toolExecutionNotifications: notifications,
      }],
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root + path.sep).href } },
      columnKind: 'utf16CodeUnits',
      results: StreamedArray.of(outcome.findings, (f): Sarif.Result => ({
        ruleId: analyzers.find((a) => a.name === f.analyzer)?.ruleId ?? f.analyzer,
        ruleIndex: analyzers.findIndex((a) => a.name === f.analyzer),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [location(root, f.file, f.range)],
        relatedLocations: f.related?.map((r, i) => ({ id: i, ...location(root, r.file, r.range), message: { text: r.message } })),
        partialFingerprints: { primaryLocationLineHash: fingerprint(f) },
        ...(f.targets ? { properties: { targets: f.targets } } : {}),
        fixes: f.fixes?.map((fix) => ({ description: { text: fix.title }, artifactChanges: changes(root, fix.edits) })),
      })),
    }],
  };
}

function notification(root: string, index: number, level: Sarif.Notification.level, file: string, text: string): Sarif.Notification {
  return {
    descriptor: { id: NOTIFICATIONS[index].id, index },
    level,
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(root, file), uriBaseId: 'SRCROOT' } } }],
  };
}

function location(root: string, file: string, range: Range): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeUri(root, file), uriBaseId: 'SRCROOT' },
      region: region(range),
    },
  };
}

function region(range: Range): Sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function relativeUri(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).map(encodeURIComponent).join('/');
}

function changes(root: string, edits: TextEdit[]): Sarif.ArtifactChange[] {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return [...byFile].map(([file, fileEdits]) => ({
    artifactLocation: { uri: relativeUri(root, file), uriBaseId: 'SRCROOT' },
    replacements: fileEdits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
  }));
}

/** Stable across runs and unrelated edits elsewhere in the file: analyzer, file and message. */
function fingerprint(f: Finding): string {
  let hash = 0;
  for (const ch of `${f.analyzer}|${path.basename(f.file)}|${f.message}`) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return (hash >>> 0).toString(16);
}
