// The compiler's verdict per target in the editor: after a save, and when a package is first opened, the real go
// compiles the package for every target (core/src/build). Its errors become diagnostics (code `build`), merged with
// the analyzers' in AnalyzerDiagnostics; a verdict per package goes to the client's status bar.
import * as fs from 'fs';
import * as path from 'path';
import type { Target } from '../../core/src/api';
import type { Finding } from '../../core/src/analysis/finding';
import { checkBuild, type BuildVerdict, type TargetVerdict } from '../../core/src/build/buildCheck';
import { hostTarget } from '../../core/src/build/hostTarget';
import { relativePattern, splitByTargets } from '../../core/src/build/targetGroups';
import { targetKey } from '../../core/src/targets';
import type { BuildStatusParams, CheckAllResult, PackageState } from './buildProtocol';
import type { Settings } from './settings';

/** Saves come in bursts (Save All, format on save); a check starts once they pause this long. */
export const BUILD_DELAY_MS = 400;

export interface ProgressReporter {
  report(percentage: number, message: string): void;
  done(): void;
}

export interface BuildHost {
  settings(): Settings;
  settingsLoaded(): Promise<void>;
  /** Settles when no request the user waits on (hints, hover) is in flight: go starts after those are answered. */
  idle?(): Promise<void>;
  targetsFor(file: string): Target[];
  /** The text of an open document, if the file is open. */
  openText(file: string): string | undefined;
  /** The build findings of these files changed: publish again. */
  findingsChanged(files: string[]): void;
  status(params: BuildStatusParams): void;
  progress(title: string): Promise<ProgressReporter>;
  /** A problem the user must see (no go, a broken go.mod): shown once per distinct text. */
  showProblem(message: string): void;
  log(message: string): void;
}

interface StoredFinding {
  finding: Finding;
  /** The text of the finding's line when it was checked, to follow it (or drop it) as the document is edited. */
  lineText: string;
}

interface Run {
  dirs: Set<string>;
  controller: AbortController;
  done: Promise<void>;
}

/** Compiles packages per target after saves and first opens; one run at a time, a new save cancels the one in flight. */
export class BuildChecks {
  private readonly pending = new Set<string>();
  /** Package folders where a test file was opened or saved: their tests are compiled too. */
  private readonly testDirs = new Set<string>();
  /** Package folders checked once already (opening another file there does not check again). */
  private readonly seen = new Set<string>();
  private readonly findings = new Map<string, StoredFinding[]>();
  private readonly states = new Map<string, PackageState>();
  private readonly loggedNotes = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running?: Run;
  /** Every check in flight (a save's run and Check All Targets), so that shutdown stops them all. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stopAll = new AbortController();
  private host?: Promise<Target | { error: string }>;

  constructor(private readonly goBinary: string, private readonly editor: BuildHost) {}

  /** A package is checked when first opened, and again when its first test file is opened: tests join its check. */
  opened(file: string): void {
    const dir = path.dirname(file);
    const testsJoin = file.endsWith('_test.go') && !this.testDirs.has(dir);
    if (testsJoin) this.testDirs.add(dir);
    if (this.seen.has(dir) && !testsJoin) return;
    this.seen.add(dir);
    this.request(dir);
  }

  saved(file: string): void {
    if (file.endsWith('_test.go')) this.testDirs.add(path.dirname(file));
    this.request(path.dirname(file));
  }

  /** Settings changed (targets, enable): check again what was checked. */
  settingsChanged(): void {
    if (!this.editor.settings().build.enable) {
      this.running?.controller.abort();
      const files = [...this.findings.keys()];
      this.findings.clear();
      this.states.clear();
      this.editor.findingsChanged(files);
      this.editor.status({ packages: [] });
      return;
    }
    for (const dir of this.seen) this.request(dir);
  }

  /** Shutdown: no new check starts, and those in flight are killed (go and its compilers); resolves once they are gone. */
  async dispose(): Promise<void> {
    clearTimeout(this.timer);
    this.pending.clear();
    this.stopAll.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Build findings of `file`, moved along with their lines where the open document was edited since the check. */
  findingsFor(file: string): Finding[] {
    const stored = this.findings.get(file);
    if (!stored?.length) return [];
    const text = this.editor.openText(file);
    if (text === undefined) return stored.map((s) => s.finding);
    const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    return stored.flatMap((s) => {
      const line = nearestLine(lines, s.lineText, s.finding.range.start.line);
      if (line === undefined) return [];
      const shift = line - s.finding.range.start.line;
      if (shift === 0) return [s.finding];
      const range = { start: { ...s.finding.range.start, line }, end: { ...s.finding.range.end, line: s.finding.range.end.line + shift } };
      return [{ ...s.finding, range }];
    });
  }

  /**
   * Compiles every package of each folder's modules for every target; resolves with a summary. The run after a save
   * in flight is cancelled (this one covers it); saves during this one start their own runs beside it.
   */
  async checkAll(folders: string[]): Promise<CheckAllResult> {
    await this.editor.settingsLoaded();
    this.running?.controller.abort();
    const roots = folders.flatMap(moduleRootsIn);
    const results: CheckAllResult = { packages: 0, failing: [], problems: [], cancelled: false };
    for (const root of roots) {
      // A folder with its own .go-arch-lens.json is checked for its targets, in a run of its own.
      for (const group of splitByTargets(root, (dir) => this.editor.targetsFor(dir))) {
        const verdict = await this.runOne(root, group.patterns, group.targets, false, new Set(), group.covers);
        if (!verdict) continue;
        results.packages += verdict.packages.length;
        results.cancelled ||= verdict.cancelled;
        for (const t of verdict.targets) {
          // A broken go.mod stops every group's run with the same words.
          const problem = t.problem && `${t.target}: ${t.problem}`;
          if (problem && !results.problems.includes(problem)) results.problems.push(problem);
          const count = verdict.packages.filter((p) => p.targets[t.target]?.status === 'failed').length;
          const entry = results.failing.find((f) => f.target === t.target);
          if (entry) entry.packages += count;
          else results.failing.push({ target: t.target, packages: count });
        }
      }
    }
    results.failing = results.failing.filter((f) => f.packages > 0);
    return results;
  }

  private request(dir: string): void {
    if (!this.editor.settings().build.enable) return;
    this.pending.add(dir);
    // The code on disk changed under the run in flight: its answer would be stale.
    this.running?.controller.abort();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), BUILD_DELAY_MS);
  }

  private async flush(): Promise<void> {
    await this.editor.settingsLoaded();
    await this.editor.idle?.();
    if (this.running) {
      // Cancelled by the save that scheduled this flush; its folders are checked again below.
      await this.running.done;
      return;
    }
    const dirs = [...this.pending];
    this.pending.clear();
    if (dirs.length === 0) return;
    const controller = new AbortController();
    const run: Run = { dirs: new Set(dirs), controller, done: Promise.resolve() };
    run.done = this.runDirs(dirs, controller.signal).catch((err: Error) => this.editor.log(`build check failed: ${err.stack ?? err.message}`));
    this.running = run;
    await run.done;
    this.running = undefined;
    if (controller.signal.aborted) for (const dir of dirs) this.pending.add(dir);
    if (this.pending.size > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), BUILD_DELAY_MS);
    }
  }

  /** One go run per module and set of targets, covering every requested package folder in it. */
  private async runDirs(dirs: string[], signal: AbortSignal): Promise<void> {
    const groups = new Map<string, { root: string; targets: Target[]; dirs: string[] }>();
    for (const dir of dirs) {
      const root = moduleRootOf(dir) ?? dir;
      const targets = this.editor.targetsFor(dir);
      const key = `${root}\0${targets.map(targetKey).join(',')}`;
      const group = groups.get(key) ?? { root, targets, dirs: [] };
      group.dirs.push(dir);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      if (signal.aborted) return;
      const patterns = group.dirs.map((d) => relativePattern(group.root, d));
      const tests = group.dirs.some((d) => this.testDirs.has(d));
      await this.runOne(group.root, patterns, group.targets, tests, new Set(group.dirs), undefined, signal);
    }
  }

  /**
   * Runs one check and files its results: findings of the requested package folders (or, for Check All, of every
   * folder its patterns cover) replace the earlier ones.
   */
  private async runOne(root: string, patterns: string[], targets: Target[], tests: boolean, dirs: Set<string>,
    covers?: (dir: string) => boolean, signal?: AbortSignal): Promise<BuildVerdict | undefined> {
    const host = await (this.host ??= hostTarget(this.goBinary));
    if ('error' in host) {
      this.host = undefined;
      this.editor.showProblem(`Go Arch Lens cannot check the build per target: ${host.error}`);
      return undefined;
    }
    if (this.stopAll.signal.aborted) return undefined;
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    this.stopAll.signal.addEventListener('abort', abort, { once: true });
    this.setRunning(dirs, targets);
    const progress = await this.editor.progress(`Go Arch Lens: compiling for ${targets.length} target${targets.length === 1 ? '' : 's'}`);
    let finished = 0;
    let verdict: BuildVerdict;
    let check: Promise<BuildVerdict> | undefined;
    try {
      check = checkBuild({
        goBinary: this.goBinary, cwd: root, patterns, targets, host, tests,
        // GOEXPERIMENT, GOAMD64, GOARM… from goArchLens.toolchainEnv, as the layouts use them.
        env: { ...process.env, ...this.editor.settings().toolchainEnv },
        showEverywhere: this.editor.settings().build.showErrorsOnEveryTarget,
        timeoutMs: this.editor.settings().build.timeoutSeconds * 1000,
        signal: controller.signal,
        readText: (file) => this.editor.openText(file),
        onTarget: (t: TargetVerdict) => {
          finished++;
          progress.report(Math.round((100 * finished) / targets.length), `${t.target} ${t.status === 'failed' ? '✗' : '✓'} (${finished}/${targets.length})`);
        },
      });
      this.inFlight.add(check);
      verdict = await check;
    } finally {
      if (check) this.inFlight.delete(check);
      progress.done();
      signal?.removeEventListener('abort', abort);
      this.stopAll.signal.removeEventListener('abort', abort);
    }
    if (verdict.cancelled) {
      this.setStates(dirs, (state) => ({ ...state, running: false }));
      return verdict;
    }
    this.file(verdict, dirs, covers, targets);
    return verdict;
  }

  private file(verdict: BuildVerdict, dirs: Set<string>, covers: ((dir: string) => boolean) | undefined, targets: Target[]): void {
    const covered = (file: string) => dirs.has(path.dirname(file)) || covers?.(path.dirname(file)) === true;
    const changed = new Set<string>();
    for (const file of [...this.findings.keys()].filter(covered)) {
      this.findings.delete(file);
      changed.add(file);
    }
    for (const finding of verdict.findings.filter((f) => covered(f.file))) {
      const text = this.editor.openText(finding.file) ?? readText(finding.file);
      const lineText = text?.split('\n')[finding.range.start.line]?.replace(/\r$/, '') ?? '';
      this.findings.set(finding.file, [...(this.findings.get(finding.file) ?? []), { finding, lineText }]);
      changed.add(finding.file);
    }
    this.editor.findingsChanged([...changed]);
    this.showProblems(verdict);
    for (const note of verdict.notes.filter((n) => !this.loggedNotes.has(n))) {
      this.loggedNotes.add(note);
      this.editor.log(note);
    }
    const packageDirs = new Set([...dirs, ...verdict.packages.map((p) => p.dir)]);
    for (const dir of packageDirs) {
      const pkg = verdict.packages.find((p) => p.dir === dir);
      this.states.set(dir, {
        dir, importPath: pkg?.importPath, running: false,
        targets: targets.map(targetKey).map((target) => {
          const own = pkg?.targets[target];
          const overall = verdict.targets.find((t) => t.target === target);
          if (own) return { target, status: own.status, errors: own.errors, cgoSkipped: own.cgoSkipped, ...(own.problem ? { problem: own.problem } : {}) };
          // No answer about this package: go failed for the target (problem), or the package has no file for it.
          if (overall?.problem) return { target, status: 'error', errors: 0, cgoSkipped: [], problem: overall.problem };
          return { target, status: 'excluded', errors: 0, cgoSkipped: [] };
        }),
      });
    }
    this.sendStatus();
  }

  /** One message per distinct problem, naming its targets: a broken go.mod stops every target with the same words. */
  private showProblems(verdict: BuildVerdict): void {
    const targetsOf = new Map<string, string[]>();
    for (const { target, problem } of verdict.targets) {
      if (problem) targetsOf.set(problem, [...(targetsOf.get(problem) ?? []), target]);
    }
    for (const [problem, targets] of targetsOf) this.editor.showProblem(`Go Arch Lens: ${problem} (${targets.join(', ')})`);
  }

  private setRunning(dirs: Set<string>, targets: Target[]): void {
    for (const dir of dirs) {
      if (!this.states.has(dir)) {
        this.states.set(dir, { dir, running: true, targets: targets.map((t) => ({ target: targetKey(t), status: 'pending', errors: 0, cgoSkipped: [] })) });
      }
    }
    this.setStates(dirs, (state) => ({ ...state, running: true }));
  }

  private setStates(dirs: Set<string>, update: (state: PackageState) => PackageState): void {
    for (const dir of dirs) {
      const state = this.states.get(dir);
      if (state) this.states.set(dir, update(state));
    }
    this.sendStatus();
  }

  private sendStatus(): void {
    this.editor.status({ packages: [...this.states.values()] });
  }
}

/** The line holding `text` nearest to `line` (the document may have gained or lost lines above it). */
function nearestLine(lines: string[], text: string, line: number): number | undefined {
  for (let distance = 0; distance < lines.length; distance++) {
    if (lines[line - distance] === text) return line - distance;
    if (lines[line + distance] === text) return line + distance;
    if (line - distance < 0 && line + distance >= lines.length) break;
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `dir` holding go.mod. */
export function moduleRootOf(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, 'go.mod'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

const SKIPPED_DIR = /^(testdata|vendor|node_modules|[._].*)$/;
const MAX_MODULE_SEARCH_DEPTH = 4;

/** The modules of a workspace folder: the folder itself when it (or a folder above) has go.mod or go.work, else those below. */
export function moduleRootsIn(folder: string): string[] {
  if (fs.existsSync(path.join(folder, 'go.work'))) return [folder];
  const above = moduleRootOf(folder);
  if (above) return [folder];
  const roots: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === 'go.mod')) {
      roots.push(dir);
      return;
    }
    if (depth >= MAX_MODULE_SEARCH_DEPTH) return;
    for (const e of entries) if (e.isDirectory() && !SKIPPED_DIR.test(e.name)) walk(path.join(dir, e.name), depth + 1);
  };
  walk(folder, 0);
  return roots;
}
