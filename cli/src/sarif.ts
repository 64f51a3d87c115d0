import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import type { Finding, Severity, TextEdit } from '../../core/src/analysis/finding';
import type { Range } from '../../core/src/api';
import { StreamedArray } from './jsonStream';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error', warning: 'warning', information: 'note', hint: 'note',
};

/**
 * A SARIF 2.1.0 log as GitHub code scanning ingests it: one run, a rule per analyzer, paths relative to
 * `root` (the %SRCROOT% of the checkout), 1-based lines and UTF-16 columns, fixes as replacements. The results
 * are a StreamedArray, built one by one as they are written.
 */
/** What a SARIF rule needs of an analyzer (the build check has one too: compile errors per target). */
export interface RuleInfo {
  name: string;
  ruleId: string;
  doc: string;
}

export function toSarif(findings: Finding[], analyzers: RuleInfo[], root: string, version: string) {
  const rules: Sarif.ReportingDescriptor[] = analyzers.map((a) => ({
    id: a.ruleId,
    name: a.name,
    shortDescription: { text: a.doc },
    fullDescription: { text: a.doc },
    help: { text: a.doc },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['portability'] },
  }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'go-arch-lens', version, semanticVersion: version, rules } },
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root + path.sep).href } },
      columnKind: 'utf16CodeUnits',
      results: StreamedArray.of(findings, (f): Sarif.Result => ({
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
