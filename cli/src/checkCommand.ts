import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../core/src/analysis/finding';
import type { Analyzer } from '../../core/src/analysis/pass';
import { analyzersNamed, DEFAULT_ANALYZERS } from '../../core/src/analysis/registry';
import type { SkippedFile, Target } from '../../core/src/api';
import type { Engine } from '../../core/src/engine';
import { DEFAULT_TARGETS, parseTarget, targetKey } from '../../core/src/targets';
import { PROJECT_FILE, resolveTargets } from '../../core/src/projectTargets';
import { listGoFiles } from '../../core/src/resolve/sourceFiles';
import { listFlag, parseArgs, UsageError } from './args';
import { engineFor, everyTarget } from './engineSetup';
import { exitStatus } from './exitCodes';
import { chunkSink, type Output } from './output';
import { StreamedArray, writeJson } from './jsonStream';
import { expandGoPaths } from './paths';
import { toSarif, type RuleInfo } from './sarif';
import { buildSummary, runBuildCheck } from './buildCheck';
import { BUILD_RULE, type BuildVerdict } from '../../core/src/build/buildCheck';
import { mergeBuildAndAnalyzerFindings } from '../../core/src/build/analyzerMerge';

export const CHECK_USAGE = `usage: go-arch-lens check [--build [--tests]] [--targets os/arch,…] [--analyzers a,b,…] [--format text|json|sarif] [--allow-skipped] <file|dir|dir/...>…
  Reports portability problems between targets. Files that cannot be read are listed (stderr; SARIF
  notifications; JSON "skipped") and give exit status 3 unless --allow-skipped.
  --build also compiles the packages (go patterns such as ./...) with the real go for every target and reports each
  compile error once with the targets it fails on (exit status 1); a build check go could not run gives 3.
  --tests compiles tests too.
  Targets: --targets, else those of the nearest ${PROJECT_FILE} above each file, else ${DEFAULT_TARGETS.map(targetKey).join(', ')}.
  Default analyzers: ${DEFAULT_ANALYZERS.map((a) => a.name).join(', ')}.`;

const FORMATS = new Set(['text', 'json', 'sarif']);

/** A file whose analysis failed inside go-arch-lens (a bug), e.g. a stack overflow on a hostile input. */
export interface InternalError {
  file: string;
  message: string;
}

/** What a check run found, and what it could not look at. */
export interface CheckOutcome {
  findings: Finding[];
  skipped: SkippedFile[];
  internalErrors: InternalError[];
}

/** `makeEngine` is replaceable so that tests can make one file fail inside the engine. */
export async function runCheck(argv: string[], io: Output, version: string, makeEngine: typeof engineFor = engineFor): Promise<number> {
  const args = parseArgs(argv, new Set(['build', 'tests', 'allow-skipped']), new Set(['targets', 'format', 'analyzers']));
  if (args.positional.length === 0) throw new UsageError('no files or folders given');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (!FORMATS.has(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const flagTargets = parseTargets(args.flags.get('targets') as string | undefined);
  const analyzers = selectAnalyzers(args.flags.get('analyzers') as string | undefined);
  const build = args.flags.get('build') === true;
  if (args.flags.has('tests') && !build) throw new UsageError('--tests goes with --build');
  // With --build the arguments are go packages: import paths are compiled but have no files to analyze here.
  const files = expandGoPaths(build ? args.positional.filter(isLocalPath) : args.positional);
  const engine = await makeEngine(files, io, everyTarget(files.map((f) => resolveTargets(f, flagTargets).targets)));
  const outcome = checkFiles(engine, files, flagTargets, analyzers, io);
  for (const s of outcome.skipped) io.err(`${shortPath(s.file)}: ${s.message}`);
  for (const e of outcome.internalErrors) io.err(`${shortPath(e.file)}: ${e.message}`);
  const unreadable = outcome.skipped.length > 0 && !args.flags.has('allow-skipped');
  const internal = outcome.internalErrors.length > 0;
  if (!build) {
    const status = exitStatus({ found: outcome.findings.length > 0, unreadable, internal });
    await render(format, outcome, analyzers, version, status, io);
    return status;
  }
  const verdict = await runBuildCheck(args.positional, flagTargets, args.flags.has('tests'), io);
  const merged = { ...outcome, findings: mergeBuildAndAnalyzerFindings(verdict?.findings ?? [], outcome.findings) };
  const status = exitStatus({
    found: merged.findings.length > 0 || (verdict?.targets.some((t) => t.status === 'failed') ?? false),
    // A build check that go could not run (or run for some target) has not looked: not a clean result.
    unreadable: unreadable || buildNotChecked(verdict),
    internal,
  });
  await render(format, merged, [BUILD_RULE, ...analyzers], version, status, io, verdict);
  return status;
}

function buildNotChecked(verdict: BuildVerdict | undefined): boolean {
  return !verdict || verdict.targets.some((t) => t.status === 'error');
}

/** Analyses each file on its own: one that cannot be read or that fails inside the engine costs only itself. */
function checkFiles(engine: Engine, files: string[], flagTargets: Target[] | undefined, analyzers: Analyzer[], io: Output): CheckOutcome {
  const outcome: CheckOutcome = { findings: [], skipped: [], internalErrors: [] };
  const reported = new Set<string>();
  const unreadable: SkippedFile[] = [];
  for (const file of files) {
    const { targets, problems } = resolveTargets(file, flagTargets);
    for (const problem of problems.filter((p) => !reported.has(p))) {
      reported.add(problem);
      io.err(`note: ${problem}`);
    }
    let result: ReturnType<Engine['analyzeFile']>;
    try {
      result = engine.analyzeFile(file, targets, analyzers);
    } catch (err) {
      outcome.internalErrors.push({ file, message: `internal error: ${(err as Error)?.message ?? String(err)}` });
      continue;
    }
    if ('error' in result) {
      unreadable.push({ file, reason: 'unreadable', message: result.error });
      continue;
    }
    for (const finding of result) {
      if (finding.internalError) outcome.internalErrors.push({ file: finding.file, message: finding.message });
      else outcome.findings.push(finding);
    }
  }
  // A named file's package-mates hold declarations its results can depend on, and layout reads them all: read
  // them here too, so that a skipped sibling makes `check ok.go` incomplete (exit 3) just as `layout ok.go`.
  for (const mate of packageMates(files)) engine.skippedFile(mate);
  // Every file the engine skipped, package-mates read for their declarations included; and any the engine
  // refused for another reason (a file that changed between reads).
  outcome.skipped = engine.skippedFiles();
  outcome.skipped.push(...unreadable.filter((u) => !outcome.skipped.some((s) => s.file === u.file)));
  return outcome;
}

/** The .go files in the folders of `files` that are not among them. */
function packageMates(files: string[]): string[] {
  const named = new Set(files);
  return [...new Set(files.map((f) => path.dirname(f)))].flatMap(listGoFiles).filter((f) => !named.has(f));
}

function shortPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function isLocalPath(arg: string): boolean {
  return arg === '.' || arg === '..' || arg === '...' || arg.startsWith('./') || arg.startsWith('../') || path.isAbsolute(arg) || fs.existsSync(arg);
}

/** The `--targets` flag's targets; undefined without the flag (each file's project file or the default apply). */
function parseTargets(flag: string | undefined): Target[] | undefined {
  if (!flag) return undefined;
  return listFlag('targets', flag).map((text) => {
    const parsed = parseTarget(text);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    return parsed;
  });
}

function selectAnalyzers(flag: string | undefined): Analyzer[] {
  if (!flag) return DEFAULT_ANALYZERS;
  const selected = analyzersNamed(listFlag('analyzers', flag));
  if (typeof selected === 'string') throw new UsageError(selected);
  return selected;
}

async function render(format: string, outcome: CheckOutcome, analyzers: RuleInfo[], version: string, status: number, io: Output, verdict?: BuildVerdict): Promise<void> {
  const { findings, skipped, internalErrors } = outcome;
  if (format === 'sarif' || format === 'json') {
    const sink = chunkSink(io);
    const document = format === 'sarif'
      ? toSarif(outcome, analyzers, process.cwd(), version, status)
      : {
        findings: StreamedArray.of(findings, jsonFinding),
        skipped: skipped.map((s) => ({ file: s.file, reason: s.reason, message: s.message })),
        internalErrors,
        ...(verdict ? { build: { targets: verdict.targets, notes: verdict.notes } } : {}),
      };
    await writeJson(document, sink.write);
    sink.end();
    return;
  }
  for (const f of findings) {
    io.out(`${shortPath(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.message.replace(/\n/g, '\n\t')} (${f.analyzer})`);
  }
  if (verdict) io.out(buildSummary(verdict));
  const summary = [findings.length === 0 ? 'no findings' : `${findings.length} finding(s)`];
  if (skipped.length > 0) summary.push(`${skipped.length} file(s) skipped, not checked (listed on stderr)`);
  if (internalErrors.length > 0) summary.push(`${internalErrors.length} file(s) failed with an internal error (listed on stderr)`);
  io.out(summary.join('; '));
}

function jsonFinding(f: Finding) {
  return {
    analyzer: f.analyzer, file: f.file, line: f.range.start.line + 1, column: f.range.start.character + 1,
    endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1, severity: f.severity, message: f.message,
    related: f.related ?? [], fixes: (f.fixes ?? []).map((x) => ({ title: x.title, edits: x.edits })),
    ...(f.targets ? { targets: f.targets } : {}),
  };
}
