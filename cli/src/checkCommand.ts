import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../core/src/analysis/finding';
import type { Analyzer } from '../../core/src/analysis/pass';
import { analyzersNamed, DEFAULT_ANALYZERS } from '../../core/src/analysis/registry';
import type { Target } from '../../core/src/api';
import { DEFAULT_TARGETS, parseTarget, targetKey } from '../../core/src/targets';
import { PROJECT_FILE, resolveTargets } from '../../core/src/projectTargets';
import { parseArgs, UsageError } from './args';
import { engineFor } from './engineSetup';
import { chunkSink, type Output } from './output';
import { StreamedArray, writeJson } from './jsonStream';
import { expandGoPaths } from './paths';
import { toSarif, type RuleInfo } from './sarif';
import { buildFailed, buildSummary, runBuildCheck } from './buildCheck';
import { BUILD_RULE, type BuildVerdict } from '../../core/src/build/buildCheck';
import { mergeBuildAndAnalyzerFindings } from '../../core/src/build/analyzerMerge';

export const CHECK_USAGE = `usage: go-arch-lens check [--build [--tests]] [--targets os/arch,…] [--analyzers a,b,…] [--format text|json|sarif] <file|dir|dir/...>…
  Reports portability problems between targets. Exit status: 1 when something is found, 0 when clean, 2 on bad usage.
  --build also compiles the packages (go patterns such as ./...) with the real go for every target and reports each
  compile error once with the targets it fails on; exit status 1 when a target fails to build. --tests compiles tests too.
  Targets: --targets, else those of the nearest ${PROJECT_FILE} above each file, else ${DEFAULT_TARGETS.map(targetKey).join(', ')}.
  Default analyzers: ${DEFAULT_ANALYZERS.map((a) => a.name).join(', ')}.`;

const FORMATS = new Set(['text', 'json', 'sarif']);

export async function runCheck(argv: string[], io: Output, version: string): Promise<number> {
  const args = parseArgs(argv, new Set(['build', 'tests']), new Set(['targets', 'format', 'analyzers']));
  if (args.positional.length === 0) throw new UsageError('no files or folders given');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (!FORMATS.has(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const flagTargets = parseTargets(args.flags.get('targets') as string | undefined);
  const analyzers = selectAnalyzers(args.flags.get('analyzers') as string | undefined);
  const build = args.flags.get('build') === true;
  if (args.flags.has('tests') && !build) throw new UsageError('--tests goes with --build');
  // With --build the arguments are go packages: import paths are compiled but have no files to analyze here.
  const files = expandGoPaths(build ? args.positional.filter(isLocalPath) : args.positional);
  const engine = await engineFor(files, io);
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const file of files) {
    const { targets, problems } = resolveTargets(file, flagTargets);
    for (const problem of problems.filter((p) => !reported.has(p))) {
      reported.add(problem);
      io.err(`note: ${problem}`);
    }
    const result = engine.analyzeFile(file, targets, analyzers);
    if ('error' in result) io.err(`${file}: ${result.error}`);
    else findings.push(...result);
  }
  if (!build) {
    await render(format, findings, analyzers, version, io);
    return findings.length > 0 ? 1 : 0;
  }
  const verdict = await runBuildCheck(args.positional, flagTargets, args.flags.has('tests'), io);
  const merged = mergeBuildAndAnalyzerFindings(verdict?.findings ?? [], findings);
  await render(format, merged, [BUILD_RULE, ...analyzers], version, io, verdict);
  return merged.length > 0 || buildFailed(verdict) ? 1 : 0;
}

function isLocalPath(arg: string): boolean {
  return arg === '.' || arg === '..' || arg === '...' || arg.startsWith('./') || arg.startsWith('../') || path.isAbsolute(arg) || fs.existsSync(arg);
}

/** The `--targets` flag's targets; undefined without the flag (each file's project file or the default apply). */
function parseTargets(flag: string | undefined): Target[] | undefined {
  if (!flag) return undefined;
  return flag.split(',').map((text) => {
    const parsed = parseTarget(text);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    return parsed;
  });
}

function selectAnalyzers(flag: string | undefined): Analyzer[] {
  if (!flag) return DEFAULT_ANALYZERS;
  const selected = analyzersNamed(flag.split(',').map((n) => n.trim()).filter(Boolean));
  if (typeof selected === 'string') throw new UsageError(selected);
  return selected;
}

async function render(format: string, findings: Finding[], analyzers: RuleInfo[], version: string, io: Output, verdict?: BuildVerdict): Promise<void> {
  if (format === 'sarif' || format === 'json') {
    const sink = chunkSink(io);
    const document = format === 'sarif'
      ? toSarif(findings, analyzers, process.cwd(), version)
      : { findings: StreamedArray.of(findings, jsonFinding), ...(verdict ? { build: { targets: verdict.targets, notes: verdict.notes } } : {}) };
    await writeJson(document, sink.write);
    sink.end();
    return;
  }
  for (const f of findings) {
    io.out(`${path.relative(process.cwd(), f.file) || f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.message.replace(/\n/g, '\n\t')} (${f.analyzer})`);
  }
  if (verdict) io.out(buildSummary(verdict));
  io.out(findings.length === 0 ? 'no findings' : `${findings.length} finding(s)`);
}

function jsonFinding(f: Finding) {
  return {
    analyzer: f.analyzer, file: f.file, line: f.range.start.line + 1, column: f.range.start.character + 1,
    endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1, severity: f.severity, message: f.message,
    related: f.related ?? [], fixes: (f.fixes ?? []).map((x) => ({ title: x.title, edits: x.edits })),
    ...(f.targets ? { targets: f.targets } : {}),
  };
}
