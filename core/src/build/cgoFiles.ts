// Files that use cgo (`import "C"`) cannot be compiled for a target without a C cross-compiler, so the build check
// runs those targets with CGO_ENABLED=0 and the go command leaves such files out. These helpers find them and the
// names they declare, so that the absence of those names is not reported as an error of the user's code.
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../api';
import { fileMatchesTarget, findBuildConstraint } from '../parse/buildConstraints';
import { readSourceFile } from '../resolve/sourceFiles';

/** Whether a Go source imports the pseudo-package "C" (in its import declarations, before the first other declaration). */
export function importsC(source: string): boolean {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
  const header = code.split(/^(?:func|type|var|const)\b/m, 1)[0];
  return /\bimport\s+(?:[\w.]+\s+)?"C"/.test(header) || /\bimport\s*\([^)]*(?:^|\s)"C"\s/m.test(header);
}

/**
 * Whether `file` would be compiled for `target` if cgo were on: its name and build constraint allow the target once
 * the `cgo` tag counts as satisfied.
 */
export function buildsWithCgo(file: string, source: string, target: Target): boolean {
  const constraint = findBuildConstraint(source)?.replace(/\bcgo\b/g, target.goarch);
  return fileMatchesTarget(path.basename(file), constraint, target);
}

/**
 * The cgo files among a package's ignored files that only cgo being off keeps out of a build for `target`. Files
 * whose name already excludes the target (`zsyscall_linux_mips.go` for arm64: most of x/sys/unix's) are not read.
 */
export function cgoSkippedFiles(dir: string, ignoredFiles: string[], target: Target): { file: string; source: string }[] {
  const skipped: { file: string; source: string }[] = [];
  for (const name of ignoredFiles) {
    if (!name.endsWith('.go') || name.endsWith('_test.go') || !fileMatchesTarget(name, undefined, target)) continue;
    const file = path.join(dir, name);
    const source = cgoSource(file);
    if (source !== undefined && buildsWithCgo(file, source, target)) skipped.push({ file, source });
  }
  return skipped;
}

/** What each file read held, by path, checked again when its size or modification time changes. */
const cgoSourceCache = new Map<string, { stamp: string; source: string | undefined }>();

/** The text of a file if it imports "C"; undefined for any other (or an unreadable) file. */
function cgoSource(file: string): string | undefined {
  let stamp: string;
  try {
    const stat = fs.statSync(file);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
  const cached = cgoSourceCache.get(file);
  if (cached?.stamp === stamp) return cached.source;
  const read = readSourceFile(file);
  const source = 'text' in read && importsC(read.text) ? read.text : undefined;
  cgoSourceCache.set(file, { stamp, source });
  return source;
}

/** Top-level names a Go source declares (functions, methods, types, variables, constants). */
export function declaredNames(source: string): Set<string> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
  const names = new Set<string>();
  for (const m of code.matchAll(/^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/gm)) names.add(m[1]);
  for (const m of code.matchAll(/^(?:type|var|const)\s+([A-Za-z_]\w*)/gm)) names.add(m[1]);
  for (const group of code.matchAll(/^(?:type|var|const)\s*\(([\s\S]*?)^\)/gm)) {
    for (const m of group[1].matchAll(/^\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/gm)) {
      for (const name of m[1].split(',')) names.add(name.trim());
    }
  }
  return names;
}

/**
 * Whether a compiler error only says that something a skipped cgo file declares is missing
 * (`undefined: Alloc`, `x.Close undefined (type *T has no field or method Close)`).
 */
export function blamesMissingCgoName(message: string, cgoNames: Set<string>): boolean {
  const undefinedName = /^undefined: (?:[\w]+\.)?(\w+)$/.exec(message);
  if (undefinedName) return cgoNames.has(undefinedName[1]);
  const noMember = /has no field or method (\w+)/.exec(message);
  return noMember !== null && cgoNames.has(noMember[1]);
}
