import * as path from 'path';
import type { StructInfo, StructLayout, Target } from '../../core/src/api';
import { cacheLineSize, heapCost, type HeapCost } from '../../core/src/layout/memoryCosts';
import { PROJECT_FILE, resolveTargets } from '../../core/src/projectTargets';
import { DEFAULT_TARGETS, defaultGoosFor, GC_ARCHES, isGoTarget, parseTarget, targetKey } from '../../core/src/targets';
import { listFlag, parseArgs, UsageError } from './args';
import { expandGoPaths } from './paths';
import type { Engine } from '../../core/src/engine';
import { engineFor } from './engineSetup';
import { StreamedArray, writeJson } from './jsonStream';
import { exitStatus } from './exitCodes';
import { chunkSink, type Output } from './output';

export const LAYOUT_USAGE = `usage: go-arch-lens layout [--goarch a,b,…|all] [--goos os] [--json] [--allow-skipped] <file|dir|dir/...>…
  Lays out every struct type of the given Go files (a folder means its .go files) for each GOARCH: named ones,
  then anonymous struct{…} types (named after their field or variable: T.f, v, F.tests).
  Without --goarch/--goos: the targets of the nearest ${PROJECT_FILE} above the first path, else ${DEFAULT_TARGETS.map(targetKey).join(', ')}.
  --goarch all: every GOARCH that --goos builds for; without --goos all 14 (linux, and js/wasm).
  Files that cannot be read are listed on stderr (and in the JSON's "skipped") and give exit status 3 unless --allow-skipped.`;

export async function runLayout(argv: string[], io: Output): Promise<number> {
  const args = parseArgs(argv, new Set(['json', 'allow-skipped']), new Set(['goarch', 'goos']));
  if (args.positional.length === 0) throw new UsageError('no files or folders given');
  const files = expandGoPaths(args.positional);
  const targets = targetsFrom(args.flags.get('goarch'), args.flags.get('goos'), projectTargets(args.positional[0], io));
  const engine = await engineFor(files, io, targets);
  const internalErrors: string[] = [];
  const structs = structsOf(engine, files, targets, io, internalErrors);
  // Read once the structs are written: the files skipped by then include package-mates read for declarations.
  const skipped = () => engine.skippedFiles();
  if (args.flags.has('json')) {
    const sink = chunkSink(io);
    await writeJson({
      structs: StreamedArray.of(structs, (s) => jsonStruct(s, targets)),
      skipped: StreamedArray.of(lazily(skipped), (s) => ({ file: s.file, reason: s.reason, message: s.message })),
    }, sink.write);
    sink.end();
  } else {
    for (const s of structs) io.out(textBlock(s, targets));
  }
  const unread = skipped();
  for (const s of unread.filter((s) => !files.includes(s.file))) io.err(`${s.file}: ${s.message}`);
  return exitStatus({ found: false, unreadable: unread.length > 0 && !args.flags.has('allow-skipped'), internal: internalErrors.length > 0 });
}

/**
 * The structs of each file in turn, computed as they are written; a file's problems go to stderr first. A file
 * that fails inside the engine is reported and recorded in `internalErrors`; the others go on.
 */
function* structsOf(engine: Engine, files: string[], targets: Target[], io: Output, internalErrors: string[]): Generator<StructInfo> {
  for (const file of files) {
    const problem = engine.fileProblem(file);
    if (problem) {
      io.err(`${file}: ${problem}`);
      continue;
    }
    try {
      for (const e of engine.syntaxErrors(file)) {
        io.err(`${file}:${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}`);
      }
      yield* engine.eachStructInFile(file, targets);
      // Then its anonymous struct types (`struct{}` without fields, 0 B everywhere, left out), outer before nested.
      yield* engine.literalStructsInFile(file, targets).filter((s) => s.fields.length > 0);
    } catch (err) {
      const message = `${file}: internal error: ${(err as Error)?.message ?? String(err)}`;
      internalErrors.push(message);
      io.err(message);
    }
  }
}

/** The items of `make()`, called when the first item is asked for. */
function* lazily<T>(make: () => T[]): Generator<T> {
  yield* make();
}

/**
 * The targets of the project file above `firstPath` (a `dir/...` pattern means dir), else the default; one per
 * GOARCH, since layouts are listed by GOARCH.
 */
function projectTargets(firstPath: string, io: Output): Target[] {
  const start = firstPath === '...' ? '.' : firstPath.replace(/\/\.\.\.$/, '');
  const { targets, problems } = resolveTargets(start);
  for (const problem of problems) io.err(`note: ${problem}`);
  return targets.filter((t, i) => targets.findIndex((u) => u.goarch === t.goarch) === i);
}

function targetsFrom(goarchFlag: string | true | undefined, goosFlag: string | true | undefined, project: Target[]): Target[] {
  const goos = typeof goosFlag === 'string' ? goosFlag : undefined;
  if (typeof goarchFlag !== 'string' && !goos) return project;
  if (typeof goarchFlag !== 'string' || goarchFlag === 'all') {
    // The default GOARCHes, or all of them, that the GOOS builds for (darwin: amd64 and arm64 only; without
    // --goos: linux, and js for wasm).
    const candidates = goarchFlag === 'all' ? GC_ARCHES : DEFAULT_TARGETS.map((t) => t.goarch);
    const arches = candidates.filter((goarch) => isGoTarget(goos ?? defaultGoosFor(goarch, 'linux'), goarch));
    if (arches.length === 0) throw new UsageError(`--goos ${goos} builds for none of ${candidates.join(', ')} (go tool dist list)`);
    return arches.map((goarch) => targetOf(goos, goarch));
  }
  const arches = [...new Set(listFlag('goarch', goarchFlag))];
  return arches.map((goarch) => targetOf(goos, goarch));
}

function targetOf(goos: string | undefined, goarch: string): Target {
  const parsed = parseTarget(`${defaultGoosFor(goarch, goos ?? 'linux')}/${goarch}`);
  if (typeof parsed === 'string') throw new UsageError(parsed);
  return parsed;
}

interface JsonLayout {
  size: number | null;
  align: number | null;
  fields: { name: string; offset: number | null; size: number | null; align: number | null }[];
  ptrBytes: number | null;
  heap: HeapCost | null;
  cacheLine: number | null;
  unknown?: string;
}

/** `"anonymous": true` marks a `struct{…}` type, named after the field or variable holding it (`T.f`, `F.tests`). */
function jsonStruct(s: StructInfo, targets: Target[]) {
  return {
    file: s.file,
    line: s.nameRange.start.line + 1,
    type: s.name,
    ...(isAnonymous(s) ? { anonymous: true } : {}),
    layouts: Object.fromEntries(targets.map((t) => [t.goarch, jsonLayout(s.layouts[targetKey(t)], t.goarch)])),
  };
}

function jsonLayout(layout: StructLayout, goarch: string): JsonLayout {
  const known = layout.size !== null && layout.ptrBytes !== null;
  const json: JsonLayout = {
    size: layout.size,
    align: layout.align,
    fields: layout.fields.map((f) => ({ name: f.name, offset: f.offset, size: f.size, align: f.align })),
    ptrBytes: layout.ptrBytes,
    heap: known ? heapCost(layout.size!, layout.ptrBytes!, goarch) ?? null : null,
    cacheLine: cacheLineSize(goarch) ?? null,
  };
  if (layout.unknown ?? layout.ptrBytesUnknown) json.unknown = layout.unknown ?? layout.ptrBytesUnknown;
  return json;
}

/** One block per struct; targets with identical layouts share a line. */
function textBlock(s: StructInfo, targets: Target[]): string {
  const kind = isAnonymous(s) ? ' (anonymous struct)' : '';
  const lines = [`${path.relative(process.cwd(), s.file) || s.file}:${s.nameRange.start.line + 1}: ${s.name}${kind}`];
  const groups = new Map<string, string[]>();
  for (const t of targets) {
    const summary = summarize(s.layouts[targetKey(t)]);
    groups.set(summary, [...(groups.get(summary) ?? []), t.goarch]);
  }
  for (const [summary, arches] of groups) lines.push(`  ${arches.join(', ')}: ${summary}`);
  return lines.join('\n');
}

function isAnonymous(s: StructInfo): boolean {
  return s.form?.kind === 'literal';
}

function summarize(layout: StructLayout): string {
  if (layout.size === null) return `unknown (${layout.unknown})`;
  const padding = layout.fields.reduce((sum, f) => sum + (f.paddingBefore ?? 0), 0) + (layout.trailingPadding ?? 0);
  return `size ${layout.size}, align ${layout.align}${padding ? `, ${padding} B padding` : ''}`;
}
