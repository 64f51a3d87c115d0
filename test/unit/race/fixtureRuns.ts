// Runs the race fixtures (test/fixtures/race) with the real go toolchain once per mocha process and shares the logs
// between the race test files. Nothing is kept between mocha runs except Go's own build cache.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RaceDeduplicator } from '../../../core/src/race/dedup';
import { RaceLogParser } from '../../../core/src/race/logParser';
import type { RaceGroup, RaceLogSummary, RaceReport } from '../../../core/src/race/types';

export const FIXTURE_DIR = path.join(__dirname, '../../../../test/fixtures/race');

export interface GoRun {
  /** stdout and stderr written to one file descriptor, interleaved as in a terminal. */
  log: string;
  exitCode: number | null;
}

export interface RaceRuns {
  /** `go test -race -json -count=2 -bench=. -benchtime=1x ./...`, default GORACE. */
  json: GoRun;
  /**
   * The same without -json, with the detector's duplicate suppression off so that -count=2 repeats report again;
   * then, as a CI script's second go test would write it, the map fixture with the default GORACE. With suppression
   * off, its loop prints reports until the runtime's fatal error and one may land inside that error's line, which the
   * runtime writes in pieces (what is printed would depend on scheduling).
   */
  plain: GoRun;
  /** `go run -race ./cmd/racemain`. */
  program: GoRun;
  /** `go test -race -json -run ^TestClean$ ./basic`: a log without races. */
  clean: GoRun;
}

/** -race needs cgo on Linux; a toolchain switch or a go.work outside the fixture must not change what runs. */
function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '1', GOTOOLCHAIN: 'local', GOWORK: 'off', ...extra };
}

function runGo(args: string[], env: NodeJS.ProcessEnv): Promise<GoRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gal-race-'));
  const file = path.join(dir, 'log');
  const fd = fs.openSync(file, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd: FIXTURE_DIR, env, stdio: ['ignore', fd, fd] });
    child.on('error', (err) => {
      fs.closeSync(fd);
      reject(new Error(`cannot run go (these tests need the go toolchain and gcc): ${err.message}`));
    });
    child.on('close', (exitCode) => {
      fs.closeSync(fd);
      const log = fs.readFileSync(file, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ log, exitCode });
    });
  });
}

let runs: Promise<RaceRuns> | undefined;

/** Starts the four go commands on first use; later callers share the same promise. */
export function raceRuns(): Promise<RaceRuns> {
  runs ??= (async () => {
    const testArgs = ['test', '-race', '-count=2', '-bench=.', '-benchtime=1x', './...'];
    // First alone: on a cold build cache it compiles the standard library with -race, which the others then reuse
    // instead of compiling it at the same time.
    const json = await runGo([...testArgs.slice(0, 2), '-json', ...testArgs.slice(2)], goEnv());
    const allButMap = fs.readdirSync(FIXTURE_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'mapfatal').map((entry) => `./${entry.name}/...`);
    const [plainRest, plainMap, program, clean] = await Promise.all([
      runGo([...testArgs.slice(0, -1), ...allButMap], goEnv({ GORACE: 'suppress_equal_stacks=0 suppress_equal_addresses=0' })),
      runGo([...testArgs.slice(0, -1), './mapfatal'], goEnv()),
      runGo(['run', '-race', './cmd/racemain'], goEnv()),
      runGo(['test', '-race', '-json', '-run', '^TestClean$', './basic'], goEnv()),
    ]);
    const plain = { log: plainRest.log + plainMap.log, exitCode: plainRest.exitCode === 0 ? plainMap.exitCode : plainRest.exitCode };
    return { json, plain, program, clean };
  })();
  return runs;
}

export interface Parsed {
  reports: RaceReport[];
  groups: RaceGroup[];
  summary: RaceLogSummary;
}

/** Parses a whole log, feeding it in the given chunk sizes (cycled) to exercise lines split between chunks. */
export function parseLog(log: string, chunkSizes: number[] = [log.length || 1]): Parsed {
  const reports: RaceReport[] = [];
  const dedup = new RaceDeduplicator();
  const parser = new RaceLogParser((report) => {
    reports.push(report);
    dedup.add(report);
  });
  for (let at = 0, i = 0; at < log.length; i++) {
    const size = chunkSizes[i % chunkSizes.length];
    parser.write(log.slice(at, at + size));
    at += size;
  }
  const summary = parser.end();
  return { reports, groups: dedup.list(), summary };
}

export interface Marker {
  file: string;
  line: number;
}

let markers: Map<string, Marker> | undefined;

/** Lines of the fixture sources marked `// race: NAME`, by NAME (1-based line numbers, absolute files). */
export function marker(name: string): Marker {
  if (!markers) {
    markers = new Map();
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(file);
        else if (entry.name.endsWith('.go')) {
          fs.readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
            const found = /\/\/ race: (\S+)$/.exec(text);
            if (!found) return;
            if (markers!.has(found[1])) throw new Error(`marker ${found[1]} appears twice`);
            markers!.set(found[1], { file, line: i + 1 });
          });
        }
      }
    };
    visit(FIXTURE_DIR);
  }
  const found = markers.get(name);
  if (!found) throw new Error(`no // race: ${name} marker in ${FIXTURE_DIR}`);
  return found;
}

/**
 * For a describe block: a scratch folder made before its tests and removed after them; `write` puts a log file
 * there and returns its path, `dir` is the folder.
 */
export function logFolder(prefix: string): { dir(): string; write(name: string, text: string): string } {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    write: (name, text) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
  };
}
