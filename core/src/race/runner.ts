// Runs `go test -json -race` and parses the race reports while the output streams in. Cancel and timeout kill the
// whole process tree (go, the test binary, whatever the tests started); the reports read until then are kept. The
// tree also ends when the process that started it does, however it ends (spawnWatched).
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import { RaceLogParser } from './logParser';
import { killProcessTree } from '../process/processTree';
import { execFailure, spawnWatched } from '../process/watchedSpawn';
import type { RaceLogSummary, RaceReport } from './types';

export interface RaceRunRequest {
  /** the module or package folder */
  cwd: string;
  /** e.g. ['./...'] or ['.'] */
  packages: string[];
  /** go test flags selecting one test (core/src/gotest/testFunctions.ts goTestSelection) */
  selection?: string[];
  /** user flags, e.g. ['-count=2', '-timeout=60s'] */
  flags?: string[];
  /** GORACE value, e.g. 'halt_on_error=1' */
  gorace?: string;
  /** from PreflightOk */
  goBinary: string;
  env: Record<string, string>;
  /** kill the run after this */
  timeoutMs?: number;
}

export interface RaceRunHandlers {
  /** plain text rebuilt from the -json events, for an output channel */
  onOutput?(text: string): void;
  onReport?(report: RaceReport): void;
}

export interface RaceRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
  timedOut: boolean;
  summary: RaceLogSummary;
  reports: RaceReport[];
  args: string[];
  /** e.g. 'go test exited 1' or 'cancelled: the process tree was killed' */
  outcome: string;
}

export interface RaceRun {
  readonly done: Promise<RaceRunResult>;
  cancel(): void;
}

/** `go test -json -race <selection> <flags> <packages>`. */
export function raceTestArgs(request: Pick<RaceRunRequest, 'packages' | 'selection' | 'flags'>): string[] {
  return ['test', '-json', '-race', ...(request.selection ?? []), ...(request.flags ?? []), ...request.packages];
}

/** -json events carry the text go test would have printed; anything else on stdout is passed through as is. */
class PlainOutput {
  private partial = '';

  constructor(private readonly emit: (text: string) => void) {}

  write(chunk: string): void {
    const text = this.partial + chunk;
    const lastNewline = text.lastIndexOf('\n');
    this.partial = text.slice(lastNewline + 1);
    if (lastNewline === -1) return;
    let out = '';
    for (const line of text.slice(0, lastNewline).split('\n')) out += this.plain(line);
    if (out !== '') this.emit(out);
  }

  end(): void {
    if (this.partial !== '') this.emit(this.plain(this.partial));
    this.partial = '';
  }

  private plain(line: string): string {
    if (line.startsWith('{')) {
      try {
        const event = JSON.parse(line) as { Action?: unknown; Output?: unknown };
        if (typeof event.Action === 'string') {
          // `output` is test output; `build-output` (Go 1.24+) holds compiler errors.
          return typeof event.Output === 'string' ? event.Output : '';
        }
      } catch {
        // A plain line that starts with `{`.
      }
    }
    return `${line}\n`;
  }
}

function describeExit(exitCode: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `go test was killed by ${signal}` : `go test exited ${exitCode}`;
}

function spawnFailure(goBinary: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `cannot run go test: ${goBinary} was not found (is Go installed and on PATH?)`;
  if (err.code === 'EACCES') return `cannot run go test: ${goBinary} is not executable`;
  return `cannot run go test: ${err.message}`;
}

/** How long output may still arrive after the process tree was killed. */
const PIPE_GRACE_MS = 1000;

const emptySummary = (): RaceLogSummary => ({ reports: 0, foundByPrograms: null, testsFailedByRace: [], moreTestsFailedByRace: 0, racesOutsideTests: [] });

/**
 * Starts `go test -json -race`, with no shell between the user's values and go (see spawnWatched). Never throws: problems starting it (no go, no folder) resolve `done`
 * with an outcome that says so. Handlers are called while the run streams; an exception from one is reported in the
 * outcome rather than breaking the run.
 */
export function startRaceRun(request: RaceRunRequest, handlers: RaceRunHandlers = {}): RaceRun {
  const args = raceTestArgs(request);
  const reports: RaceReport[] = [];
  let handlerError: string | null = null;
  const call = <T>(fn: ((value: T) => void) | undefined, value: T) => {
    if (!fn) return;
    try {
      fn(value);
    } catch (err) {
      handlerError ??= (err as Error).message ?? String(err);
    }
  };
  const failed = (outcome: string): RaceRun => ({
    done: Promise.resolve({
      exitCode: null, signal: null, cancelled: false, timedOut: false, summary: emptySummary(), reports, args, outcome,
    }),
    cancel() {},
  });

  if (!fs.existsSync(request.cwd)) return failed(`cannot run go test: the folder ${request.cwd} does not exist`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...request.env };
  if (request.gorace !== undefined) env.GORACE = request.gorace;

  let child: ChildProcess;
  try {
    child = spawnWatched(request.goBinary, args, { cwd: request.cwd, env });
  } catch (err) {
    return failed(spawnFailure(request.goBinary, err as NodeJS.ErrnoException));
  }

  const parser = new RaceLogParser((report) => {
    reports.push(report);
    call(handlers.onReport, report);
  });
  // A parser bug must not throw out of a stream handler (that would take the editor's extension host with it):
  // parsing stops, the output still streams, and the outcome says what happened.
  let parserError: string | null = null;
  const parse = (text: string) => {
    if (parserError !== null) return;
    try {
      parser.write(text);
    } catch (err) {
      parserError = (err as Error).message ?? String(err);
    }
  };
  const endParse = (): RaceLogSummary => {
    if (parserError !== null) return emptySummary();
    try {
      return parser.end();
    } catch (err) {
      parserError = (err as Error).message ?? String(err);
      return emptySummary();
    }
  };
  const plain = new PlainOutput((text) => call(handlers.onOutput, text));
  const stdoutDecoder = new TextDecoder('utf-8');
  const stderrDecoder = new TextDecoder('utf-8');
  let printed = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    printed = true;
    const text = stdoutDecoder.decode(chunk, { stream: true });
    parse(text);
    plain.write(text);
  });
  // Build failures and go's own messages; not test output, so not parsed for reports.
  child.stderr!.on('data', (chunk: Buffer) => call(handlers.onOutput, stderrDecoder.decode(chunk, { stream: true })));

  let cancelled = false;
  let timedOut = false;
  let finished = false;
  let killing: Promise<void> | null = null;
  const kill = () => {
    if (finished || killing) return;
    killing = killProcessTree(child).then(() => {
      // A process that left the group (setsid) could keep our pipes open and the run from ever ending; once the tree
      // is dead, stop waiting for the rest of the output.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_GRACE_MS).unref();
    });
  };
  const timer = request.timeoutMs === undefined ? null : setTimeout(() => {
    timedOut = true;
    kill();
  }, request.timeoutMs);

  const done = new Promise<RaceRunResult>((resolve) => {
    let spawnError: NodeJS.ErrnoException | null = null;
    child.on('error', (err) => { spawnError ??= err; });
    child.on('close', async (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      // The process is gone; wait for its descendants too before saying the run is over.
      if (killing) await killing;
      finished = true;
      const text = stdoutDecoder.decode();
      parse(text);
      plain.write(text);
      plain.end();
      const tail = stderrDecoder.decode();
      if (tail !== '') call(handlers.onOutput, tail);
      const summary = endParse();
      // Without a word from go, the watchdog's shell exiting 127/126 means go could not be started at all.
      const startError = child.pid === undefined ? spawnError : printed ? null : execFailure(exitCode) ?? null;
      const started = child.pid !== undefined && startError === null;
      let outcome = startError
        ? spawnFailure(request.goBinary, startError)
        : cancelled
          ? 'cancelled: the process tree was killed'
          : timedOut
            ? `timed out after ${request.timeoutMs} ms: the process tree was killed`
            : describeExit(exitCode, signal);
      if (parserError !== null) outcome += ` (reading race reports failed: ${parserError})`;
      if (handlerError !== null) outcome += ` (a handler threw: ${handlerError})`;
      resolve({ exitCode: started ? exitCode : null, signal, cancelled, timedOut, summary, reports, args, outcome });
    });
  });

  return {
    done,
    cancel() {
      if (finished || killing) return;
      cancelled = true;
      kill();
    },
  };
}
